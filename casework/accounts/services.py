from datetime import timedelta
from functools import reduce
from importlib import import_module
from operator import or_

from django.conf import settings
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django_otp.models import Device

from casework.accounts import roles
from casework.accounts.enums import AccessAction
from casework.accounts.models import (
    AccessLogEntry,
    AuthenticatorDevice,
    RecoveryCodeDevice,
    User,
    UserSession,
    recovery_code_new,
)
from casework.accounts.roles import DELEGABLE_PERMISSIONS
from casework.reminders.outbox import email_send, language_of

# Device names are stored values (the admin's device lists), not translated.
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


# --- who may manage whom --------------------------------------------------------------


def _permissions_held(user: User) -> set[int]:
    """The permissions ``user`` holds through roles and single grants, read whether or
    not the account is active: whoever reactivates it gives them back."""
    held = Permission.objects.filter(Q(group__user=user) | Q(user=user))
    return set(held.values_list("pk", flat=True))


def _permissions_delegable() -> QuerySet[Permission]:
    names = (name.split(".") for name in DELEGABLE_PERMISSIONS)
    return Permission.objects.filter(
        reduce(or_, (Q(content_type__app_label=app, codename=code) for app, code in names))
    )


def _permissions_beyond(actor: User) -> QuerySet[Permission]:
    """The permissions that would give an account more power than ``actor``'s own."""
    return Permission.objects.exclude(pk__in=_permissions_held(actor)).exclude(
        pk__in=_permissions_delegable()
    )


def _opens_cases_beyond(*, target: User, actor: User) -> bool:
    """Whether ``target`` (were it active) may open a case that ``actor`` may not."""
    # Cases build on accounts (their permissions log refusals here): asked at call time.
    from casework.cases.models import Person
    from casework.cases.permissions import (
        persons_visible_to,
        restricted_visible_to,
        sees_every_unrestricted_case,
    )

    target = User.objects.get(pk=target.pk)
    target.is_active = True
    if sees_every_unrestricted_case(actor):
        # Only restricted cases can lie beyond: those assigned to the target.
        theirs = restricted_visible_to(target, Person.objects.all())
    else:
        theirs = persons_visible_to(target)
    return theirs.exclude(pk__in=persons_visible_to(actor).values("pk")).exists()


def user_may_manage(*, actor: User, target: User) -> bool:
    """Whether ``actor`` may change ``target``'s password, second factor, recovery codes,
    roles, permissions or active state, or delete the account.

    Only an account with no more power than the actor's own: whoever can set an
    account's password and second factor can log in as it, so managing a superuser, an
    account with permissions the actor lacks (``roles.DELEGABLE_PERMISSIONS`` aside), or
    one assigned to restricted cases the actor may not open would hand the actor that
    power. The admin's change form, password form, delete and bulk actions all ask here.
    """
    if not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    if not actor.has_perm(roles.CHANGE_USER):
        return False
    if target.pk is None or target.pk == actor.pk:
        return True
    if target.is_superuser:
        return False
    if _permissions_beyond(actor).filter(Q(group__user=target) | Q(user=target)).exists():
        return False
    return not _opens_cases_beyond(target=target, actor=actor)


def roles_grantable_by(*, actor: User) -> QuerySet[AuthGroup]:
    """The roles (Django groups) ``actor`` may give, to others or to themselves: none
    with more power than the actor's own, so nobody hands out, or takes, more than they
    hold (the delegable letter permissions aside)."""
    roles = AuthGroup.objects.order_by("name")
    if actor.is_superuser:
        return roles
    return roles.exclude(permissions__in=_permissions_beyond(actor))


_RESET_EMAILS = {
    AccessAction.RESET_PASSWORD: "account-password-reset",
    AccessAction.RESET_TWO_FACTOR: "account-two-factor-reset",
}


def account_reset_record(*, actor: User, target: User, action: AccessAction) -> None:
    """Log that ``actor`` reset ``target``'s password or second factor, and tell the
    account's owner by email once committed, so that a takeover does not go unnoticed.

    A reset of one's own account is neither logged nor mailed: its owner did it. The
    email names no case and no colleague; the access log says who did it.
    """
    if actor.pk == target.pk:
        return
    access_log_record(
        user=actor,
        action=action,
        reference=target.get_username()[:32],
        detail=f"account {target.pk}",
    )
    if not target.email:
        return
    name = _RESET_EMAILS[action]
    context = {"username": target.get_username(), "at": timezone.now()}

    language = language_of(target)

    def tell_owner() -> None:
        # In the owner's language, whatever the administrator's.
        with translation.override(language):
            email_send(name=name, to=target.email, context=context)

    # robust: a mail server that is down is logged, and does not undo the reset.
    transaction.on_commit(tell_owner, robust=True)


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


# --- language --------------------------------------------------------------------------


def user_language_set(*, user: User, language: str) -> None:
    """Save the interface language ``user`` chose (one of settings.LANGUAGES).

    Pages, messages and emails follow it from the next request on
    (``middleware.UserLanguageMiddleware``; emails in ``account_reset_record``).
    Raises ValueError, saving nothing, for a language Casework does not offer.
    """
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Not an interface language: {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


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
def two_factor_reset(*, actor: User, user: User) -> None:
    """Forget the user's authenticator and recovery codes (a lost phone) and end their
    sessions; at the next login they set up a new authenticator.

    Raises PermissionDenied, changing nothing, unless ``actor`` may manage ``user``.
    """
    if not user_may_manage(actor=actor, target=user):
        raise PermissionDenied
    AuthenticatorDevice.objects.filter(user=user).delete()
    RecoveryCodeDevice.objects.filter(user=user).delete()
    user_sessions_end(user=user)
    account_reset_record(actor=actor, target=user, action=AccessAction.RESET_TWO_FACTOR)
