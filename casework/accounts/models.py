from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import DatabaseError, models

from casework.accounts.enums import AccessAction, Role


class Team(models.Model):
    """Caseworkers of one team see each other's cases (holidays, shared phones)."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )

    def has_role(self, role: Role) -> bool:
        # Roles are read from groups prefetched once per request where it matters.
        return any(group.name == role for group in self.groups.all())


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
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=32, choices=AccessAction.choices)
    reference = models.CharField(max_length=32, db_index=True)
    detail = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "access log entries"

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
