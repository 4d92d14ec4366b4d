import base64
import hmac
import secrets
import time
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import DatabaseError, models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from casework.accounts.enums import AccessAction
from casework.cases.encryption import EncryptedTextField


class Team(models.Model):
    """Caseworkers of one team see each other's cases (holidays, shared phones)."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("team"),
    )
    # The interface, emails and exports in this language; blank: the browser's
    # (Accept-Language), else the site's default.
    language = models.CharField(_("language"), max_length=8, blank=True, choices=settings.LANGUAGES)


# What an erased person's reference becomes in the access log (``person_purge``). The
# database trigger (migration ``access_log_append_only``) allows exactly this change.
ERASED_REFERENCE = "ERASED"


class AccessLogIsAppendOnly(DatabaseError):
    """An attempt to change or remove an access-log entry (the database's own guard, on
    PostgreSQL, raises a ``DatabaseError`` too)."""


class AccessLogQuerySet(models.QuerySet):
    """Entries are added, never changed or removed; the one exception is the scrub of
    the right to erasure (``ERASED_REFERENCE``), which keeps who did what and when."""

    def update(self, **kwargs):
        if kwargs != {"reference": ERASED_REFERENCE, "detail": ""}:
            raise AccessLogIsAppendOnly("The access log is append-only.")
        return super().update(**kwargs)

    def delete(self):
        raise AccessLogIsAppendOnly("The access log is append-only.")


class AccessLogEntry(models.Model):
    """Who looked at what: the record's reference, never the value that was shown.

    Append-only, in the admin, in the ORM and (on PostgreSQL) in the database itself.
    An account with entries cannot be deleted (``PROTECT``): it is deactivated, so that
    the log keeps saying who did what.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
    )
    action = models.CharField(_("action"), max_length=32, choices=AccessAction.choices)
    reference = models.CharField(_("reference"), max_length=32, db_index=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display()} {self.reference}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AccessLogIsAppendOnly("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AccessLogIsAppendOnly("The access log is append-only.")


class UserSession(models.Model):
    """Which session keys belong to whom, so deactivating an account can end them all.

    Written at login, removed at logout; the session itself stays in the session store.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"session of {self.user} since {self.created_at:%Y-%m-%d %H:%M}"


# --- second factors --------------------------------------------------------------------
# django-otp's own TOTP and static devices keep the authenticator secret and the recovery
# codes as plain columns: a database dump or a backup would let its reader produce every
# account's codes. These two keep them under FIELD_ENCRYPTION_KEYS instead, in
# encrypted fields that ``rotate_encryption_keys`` re-encrypts with everything else.


def authenticator_secret_new() -> str:
    """A new authenticator secret: 20 random bytes (the size RFC 4226 recommends), as hex."""
    return secrets.token_hex(20)


class AuthenticatorDevice(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app (TOTP, RFC 6238) whose shared secret is encrypted at rest.

    ``last_t`` is the time step of the last accepted code: a code of that step or an
    earlier one is refused, so a code seen over a shoulder cannot be used again.
    Not a subclass of django-otp's ``TOTPDevice``, whose ``key`` is a plain column: the
    checker (``django_otp.oath.TOTP``), throttling and timestamps are django-otp's, only
    the secret's column and the QR code's address are this model's own.
    """

    secret = EncryptedTextField(default=authenticator_secret_new)
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")

    @property
    def bin_key(self) -> bytes:
        return bytes.fromhex(self.secret)

    @property
    def config_url(self) -> str:
        """The otpauth:// address an authenticator app reads from the QR code."""
        issuer = settings.OTP_TOTP_ISSUER.replace(":", "")
        label = f"{issuer}:{self.user.get_username()}"
        query = urlencode(
            {
                "secret": base64.b32encode(self.bin_key).decode("ascii").rstrip("="),
                "algorithm": "SHA1",
                "digits": self.digits,
                "period": self.step,
                "issuer": issuer,
            },
            quote_via=quote,
        )
        return f"otpauth://totp/{quote(label)}?{query}"

    def get_throttle_factor(self) -> int:
        return settings.OTP_TOTP_THROTTLE_FACTOR

    def verify_token(self, token) -> bool:
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
        totp.time = time.time()
        try:
            verified = totp.verify(int(token), self.tolerance, self.last_t + 1)
        except ValueError:
            verified = False
        if not verified:
            self.throttle_increment()
            return False
        self.last_t = totp.t()
        self.drift = totp.drift  # follow a phone whose clock runs a step ahead or behind
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


def recovery_code_new() -> str:
    """A recovery code: 8 characters of base32 (40 random bits), lower case."""
    return base64.b32encode(secrets.token_bytes(5)).decode("ascii").lower()


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """A user's single-use recovery codes, kept together in one encrypted value.

    Encrypted rather than hashed: a hash of 40 random bits is quickly reversed by whoever
    holds the table, while encryption shares the keys, their rotation and their
    safekeeping with the authenticator secrets beside them. A used code is removed.
    """

    codes = EncryptedTextField(blank=True)

    class Meta(Device.Meta):
        verbose_name = _("recovery codes")

    def codes_left(self) -> list[str]:
        return self.codes.split()

    def get_throttle_factor(self) -> int:
        return settings.OTP_STATIC_THROTTLE_FACTOR

    def verify_token(self, token) -> bool:
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        given = str(token).encode("utf-8")
        # Compare with every code, in constant time, so the timing tells nothing.
        matches = [
            code for code in self.codes_left() if hmac.compare_digest(code.encode("ascii"), given)
        ]
        if not matches:
            self.throttle_increment()
            return False
        self.codes = " ".join(code for code in self.codes_left() if code != matches[0])
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True
