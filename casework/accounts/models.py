from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models

from casework.accounts.enums import AccessAction


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


class AccessLogEntry(models.Model):
    """Who looked at what: the record's reference, never the value that was shown."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=32, choices=AccessAction.choices)
    reference = models.CharField(max_length=32, db_index=True)
    detail = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "access log entries"

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display()} {self.reference}"


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
