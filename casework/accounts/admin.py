from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from casework.accounts.models import AccessLogEntry, Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("Casework", {"fields": ("team",)}),)
    list_display = ("username", "email", "team", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "groups", "team")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Readable by coordinators, editable by nobody."""

    list_display = ("at", "user", "action", "reference", "detail")
    list_filter = ("action",)
    search_fields = ("reference", "user__username")
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
