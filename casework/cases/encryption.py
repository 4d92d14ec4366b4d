"""Field encryption for identifying data.

Values are encrypted with ``cryptography``'s MultiFernet under FIELD_ENCRYPTION_KEYS
(newest first), keys of their own that are never derived from SECRET_KEY. A value no
key can open raises ``FieldDecryptionError``: showing ciphertext, or a blank, would
hide a misconfiguration that could end in data loss.

Fernet tokens are randomised, so encrypted columns cannot be searched; exact-match
look-ups (duplicate detection) go through a keyed HMAC "blind index" column instead.
"""

import datetime
import hashlib
import hmac
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.signals import setting_changed
from django.db import models


class FieldDecryptionError(ImproperlyConfigured):
    """No configured key opens a stored value."""


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    keys = settings.FIELD_ENCRYPTION_KEYS
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS holds a malformed key; each key must be 32 url-safe "
            "base64-encoded bytes (generate one with `python manage.py "
            "generate_encryption_key`)."
        ) from exc


def _reset_cache(*, setting: str, **kwargs) -> None:
    if setting == "FIELD_ENCRYPTION_KEYS":
        _fernet.cache_clear()


setting_changed.connect(_reset_cache)


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str, *, label: str = "a field") -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise FieldDecryptionError(
            f"Cannot decrypt {label}: no key in FIELD_ENCRYPTION_KEYS opens it. "
            "Check that the keys are the ones the data was written with."
        ) from exc


def rotate(token: str) -> str:
    """Re-encrypt a stored token under the newest key."""
    return _fernet().rotate(token.encode("ascii")).decode("ascii")


def blind_index(value: str) -> str:
    """A keyed, normalised HMAC of ``value`` for exact-match look-ups; '' for blank."""
    normalised = " ".join(unicodedata.normalize("NFKC", value or "").casefold().split())
    if not normalised:
        return ""
    key = settings.BLIND_INDEX_KEY.encode("utf-8")
    return hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column stored as a Fernet token. Only ``isnull`` look-ups make sense."""

    description = "Encrypted text"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return self.to_python(decrypt(value, label=self._label()))

    def _label(self) -> str:
        model = getattr(self, "model", None)
        return f"{model._meta.label}.{self.name}" if model else self.name

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise ImproperlyConfigured(
                f"{self._label()} is encrypted and cannot be searched with "
                f"'{lookup_name}'; use its blind index."
            )
        return super().get_lookup(lookup_name)


class EncryptedCharField(EncryptedTextField):
    """A single-line encrypted value (a name, a place); the length applies to the plaintext."""

    def formfield(self, **kwargs):
        return models.Field.formfield(
            self, **{"form_class": forms.CharField, "max_length": self.max_length, **kwargs}
        )


class EncryptedDateField(EncryptedTextField):
    """A date kept as an encrypted ISO string; Python sees a ``datetime.date``."""

    description = "Encrypted date"

    def to_python(self, value):
        if value is None or value == "" or isinstance(value, datetime.date):
            return value or None
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError as exc:
            raise ValidationError("Enter a valid date (YYYY-MM-DD).", code="invalid") from exc

    def get_prep_value(self, value):
        value = self.to_python(value)
        if value is None:
            return None
        return encrypt(value.isoformat())

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"form_class": forms.DateField, **kwargs})


def encrypted_fields(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
