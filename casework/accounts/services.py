from casework.accounts.enums import AccessAction
from casework.accounts.models import AccessLogEntry, User


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
