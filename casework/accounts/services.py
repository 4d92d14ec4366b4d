from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device

from casework.accounts.enums import AccessAction
from casework.accounts.models import (
    AccessLogEntry,
    AuthenticatorDevice,
    RecoveryCodeDevice,
    User,
    UserSession,
    recovery_code_new,
)

TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def access_log_record(
    *, user: User | None, action: AccessAction, reference: str, detail: str = ""
) -> AccessLogEntry:
    """Append to the access log. ``detail`` must never carry an identifying value."""
    return AccessLogEntry.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        reference=reference,
        detail=detail[:200],
    )


# --- two-factor devices ----------------------------------------------------------------


def two_factor_is_enrolled(*, user: User) -> bool:
    return AuthenticatorDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def two_factor_enrolment_start(*, user: User) -> AuthenticatorDevice:
    """The unconfirmed authenticator device the user is setting up (one at a time)."""
    device = AuthenticatorDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = AuthenticatorDevice.objects.create(
            user=user, name=TOTP_DEVICE_NAME, confirmed=False
        )
    return device


@transaction.atomic
def two_factor_enrolment_confirm(*, device: AuthenticatorDevice, token: str) -> list[str] | None:
    """Confirm a new authenticator with its first code; return fresh recovery codes.

    Returns None, changing nothing, when the code is wrong. Confirming replaces any
    earlier authenticator and recovery codes of the user.
    """
    if device.confirmed or not device.verify_token(token):
        return None
    AuthenticatorDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_issue(user=device.user)


@transaction.atomic
def recovery_codes_issue(*, user: User) -> list[str]:
    """Replace the user's recovery codes with new single-use ones, shown once."""
    RecoveryCodeDevice.objects.filter(user=user).delete()
    codes = [recovery_code_new() for _ in range(settings.RECOVERY_CODE_COUNT)]
    RecoveryCodeDevice.objects.create(
        user=user, name=RECOVERY_DEVICE_NAME, confirmed=True, codes=" ".join(codes)
    )
    return codes


def two_factor_verify(*, user: User, token: str) -> Device | None:
    """The device that accepts ``token`` for ``user``, or None.

    Six digits are checked against the authenticator, anything else against the
    recovery codes. django-otp refuses a TOTP code whose time step was already used
    (no replay), uses each recovery code once, and slows down repeated failures.
    """
    token = "".join(token.split()).lower()
    if not token:
        return None
    devices = AuthenticatorDevice if token.isdigit() and len(token) == 6 else RecoveryCodeDevice
    with transaction.atomic():
        for device in devices.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(token):
                return device
    return None


# --- sessions --------------------------------------------------------------------------


def user_session_remember(*, user: User, session_key: str) -> None:
    UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})
    # Sessions past their absolute lifetime are dead; forget them so the table stays small.
    too_old = timezone.now() - timedelta(seconds=settings.SESSION_ABSOLUTE_LIFETIME)
    UserSession.objects.filter(user=user, created_at__lt=too_old).delete()


def user_sessions_end(*, user: User) -> int:
    """End every session of ``user`` in the session store; return how many."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store.delete(key)
    UserSession.objects.filter(user=user).delete()
    return len(keys)


@transaction.atomic
def two_factor_reset(*, user: User) -> None:
    """Forget the user's authenticator and recovery codes (a lost phone) and end their
    sessions; at the next login they set up a new authenticator."""
    AuthenticatorDevice.objects.filter(user=user).delete()
    RecoveryCodeDevice.objects.filter(user=user).delete()
    user_sessions_end(user=user)
