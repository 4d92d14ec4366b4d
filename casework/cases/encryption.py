"""Encryption at rest of identifying data: the one owner of it, for columns and files.

Values are encrypted with ``cryptography``'s MultiFernet under FIELD_ENCRYPTION_KEYS
(newest first), keys of their own that are never derived from SECRET_KEY. A value no
key can open raises ``FieldDecryptionError``: showing ciphertext, or a blank, would
hide a misconfiguration that could end in data loss.

Fernet tokens are randomised, so encrypted columns cannot be searched; exact-match
look-ups (duplicate detection) go through a keyed HMAC "blind index" column instead.

Stored files (documents, rendered letters) are whole Fernet tokens under the same keys
(``encrypt_bytes`` / ``decrypt_bytes``). Each app that stores such files registers them
with ``encrypted_files_register``, so that key rotation (``rotate_encryption_keys``) and
the wrong-key check (``encryption_probe``: ``/healthz`` and ``check --database``) walk
the files as well as every model's ``encrypted_fields``: a key can only be dropped once
nothing, column or file, still needs it.
"""

import datetime
import hashlib
import hmac
import os
import stat
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.signals import setting_changed
from django.db import DatabaseError, models
from django.db.models.functions import Cast
from django.utils.translation import gettext as _


class FieldDecryptionError(ImproperlyConfigured):
    """No configured key opens a stored value (a column or a file)."""


@lru_cache(maxsize=1)
def _fernets() -> tuple[Fernet, ...]:
    keys = settings.FIELD_ENCRYPTION_KEYS
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty.")
    try:
        return tuple(Fernet(key) for key in keys)
    except ValueError as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS holds a malformed key; each key must be 32 url-safe "
            "base64-encoded bytes (generate one with `python manage.py "
            "generate_encryption_key`)."
        ) from exc


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    return MultiFernet(list(_fernets()))


def _reset_cache(*, setting: str, **kwargs) -> None:
    if setting == "FIELD_ENCRYPTION_KEYS":
        _fernets.cache_clear()
        _fernet.cache_clear()


setting_changed.connect(_reset_cache)


def _undecryptable(label: str) -> FieldDecryptionError:
    return FieldDecryptionError(
        f"Cannot decrypt {label}: no key in FIELD_ENCRYPTION_KEYS opens it. "
        "Check that the keys are the ones the data was written with."
    )


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str, *, label: str = "a field") -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise _undecryptable(label) from exc


def rotate(token: str) -> str:
    """Re-encrypt a stored token under the newest key."""
    return _fernet().rotate(token.encode("ascii")).decode("ascii")


def encrypt_bytes(data: bytes) -> bytes:
    """A file's content as a Fernet token under the newest key."""
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes, *, label: str = "a file") -> bytes:
    try:
        return _fernet().decrypt(token)
    except InvalidToken as exc:
        raise _undecryptable(label) from exc


def rotate_bytes(token: bytes, *, label: str = "a file") -> bytes:
    """Re-encrypt a file's token under the newest key (its timestamp is kept)."""
    try:
        return _fernet().rotate(token)
    except InvalidToken as exc:
        raise _undecryptable(label) from exc


def _signed_by(fernet: Fernet, token: bytes | str) -> bool:
    # The signature alone says which key wrote a token, without decrypting it.
    try:
        fernet.extract_timestamp(token)
    except (InvalidToken, TypeError):
        return False
    return True


def is_current(token: bytes | str) -> bool:
    """Whether ``token`` is under the newest key, i.e. rotation has nothing left to do."""
    return _signed_by(_fernets()[0], token)


def opens(token: bytes | str) -> bool:
    """Whether some configured key opens ``token``."""
    return any(_signed_by(fernet, token) for fernet in _fernets())


# --- stored files ---------------------------------------------------------------------


# ``paths(limit=None)``: the stored files of one kind, newest first, at most ``limit``.
FilePaths = Callable[..., Iterable[Path]]


@dataclass(frozen=True)
class EncryptedFiles:
    """One kind of stored encrypted file, e.g. documents or rendered letters."""

    label: str
    paths: FilePaths


_encrypted_files: dict[str, EncryptedFiles] = {}


def encrypted_files_register(*, label: str, paths: FilePaths) -> None:
    """Called from an ``AppConfig.ready``: rotation and the wrong-key check walk them."""
    _encrypted_files[label] = EncryptedFiles(label=label, paths=paths)


def encrypted_file_kinds() -> list[EncryptedFiles]:
    return list(_encrypted_files.values())


def rotating_path(path: Path) -> Path:
    """Where rotation writes a file's new token before moving it over the file."""
    return path.with_name(path.name + ".rotating")


def encrypted_file_rotate(path: Path) -> bool:
    """Re-encrypt one stored file under the newest key; False when it already was.

    The new token is written beside the file, synced, then moved over it with
    ``os.replace`` (atomic on one file system): an interrupted rotation leaves the old
    file or the new one, never half of either, and running it again finishes the job.
    """
    token = path.read_bytes()
    if is_current(token):
        return False
    rotated = rotate_bytes(token, label=f"the file {path.name}")
    temporary = rotating_path(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(rotated)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)  # the rename itself survives a crash
    finally:
        os.close(folder)
    return True


def encrypted_file_remove(path: Path) -> None:
    """Remove a stored file and any copy an interrupted rotation left beside it."""
    path.unlink(missing_ok=True)
    rotating_path(path).unlink(missing_ok=True)


# --- is the configured key the right one? ---------------------------------------------


def encryption_probe(*, rows: int = 10) -> list[str]:
    """What no configured key opens, in a small sample of what is stored: the first
    non-empty value among the newest ``rows`` rows of each model with encrypted columns
    (history tables included) and the newest file of each registered kind.

    Empty when every sample opens, or nothing is stored yet. Only signatures are
    checked (nothing is decrypted), and every query reads a few rows by primary key, so
    ``/healthz`` can afford it. Raises ImproperlyConfigured for malformed keys and lets
    database errors through.
    """
    failing = []
    for model in apps.get_models():
        fields = encrypted_fields(model)
        if not fields:
            continue
        raw = [Cast(field.name, output_field=models.TextField()) for field in fields]
        newest = model._base_manager.order_by("-pk").values_list(*raw)[:rows]
        token = next((value for row in newest for value in row if value), None)
        if token is not None and not opens(token):
            failing.append(model._meta.label)
    for kind in encrypted_file_kinds():
        newest = list(kind.paths(limit=1))
        if newest and newest[0].exists() and not opens(newest[0].read_bytes()):
            failing.append(kind.label)
    return failing


@register(Tags.database)
def encryption_keys_open_stored_data(app_configs, databases=None, **kwargs) -> list[Error]:
    """A wrong FIELD_ENCRYPTION_KEYS found before the site serves (``migrate`` runs the
    database checks, so does ``check --database default``), not on the first reveal."""
    if not databases:
        return []
    try:
        failing = encryption_probe()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="casework.E020")]
    except DatabaseError:
        return []  # no tables yet, or an older schema: migrate comes first
    if not failing:
        return []
    return [
        Error(
            _("No key in FIELD_ENCRYPTION_KEYS opens the stored data of: %(what)s.")
            % {"what": ", ".join(failing)},
            hint=_(
                "Give the keys the data was written with (newest first); after a "
                "restore, the keys of the day of the backup."
            ),
            id="casework.E020",
        )
    ]


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
            raise ValidationError(_("Enter a valid date (YYYY-MM-DD)."), code="invalid") from exc

    def get_prep_value(self, value):
        value = self.to_python(value)
        if value is None:
            return None
        return encrypt(value.isoformat())

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"form_class": forms.DateField, **kwargs})


def encrypted_fields(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
