"""Reads of accounts that several apps share."""

from django.db.models import QuerySet

from casework.accounts.models import User

# The backend that holds roles and permissions; the other one only throttles logins,
# and Django asks which to use when more than one is configured.
PERMISSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def users_with_perm(perm: str) -> QuerySet[User]:
    """Active accounts that hold ``perm``, through a group or directly (and superusers,
    as ``has_perm`` says): who plays a role is who holds its permission, never who is in
    a group of that name. One query, an EXISTS on the permission tables per account."""
    return User.objects.with_perm(perm, is_active=True, backend=PERMISSION_BACKEND)
