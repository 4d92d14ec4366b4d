"""Reads of accounts that several apps share."""

from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet

from casework.accounts.models import User


def users_with_perm(perm: str) -> QuerySet[User]:
    """Active accounts that hold ``perm``, through a group or directly (and superusers,
    as ``has_perm`` says): who plays a role is who holds its permission, never who is in
    a group of that name.

    One query. Not ``User.objects.with_perm``: its single EXISTS joins both routes with
    an OR, which PostgreSQL can only run once per account, walking every member of the
    role's group each time; two ``IN`` subqueries are hashed once.
    """
    app_label, codename = perm.split(".", 1)
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    via_group = User.groups.through.objects.filter(
        group__permissions__in=permission.values("pk")
    ).values("user_id")
    direct = User.user_permissions.through.objects.filter(
        permission__in=permission.values("pk")
    ).values("user_id")
    return User.objects.filter(
        Q(is_superuser=True) | Q(pk__in=via_group) | Q(pk__in=direct), is_active=True
    )
