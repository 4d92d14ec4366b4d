from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.accounts import services
from casework.accounts.models import AccessLogEntry, Team, User
from casework.accounts.reauth import auth_is_recent

# django-otp's own devices keep their secrets in plain columns; Casework's encrypted
# devices replaced them (accounts migration 0005) and are not shown in the admin at all.
for _plain_device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_plain_device):
        admin.site.unregister(_plain_device)

# Only a superuser may grant these: an administrator who could tick "superuser" or add
# single permissions could give themselves the restricted cases the role matrix withholds.
_SUPERUSER_ONLY_FIELDS = {"is_superuser", "user_permissions"}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("Casework", {"fields": ("team",)}),)
    list_display = ("username", "email", "team", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "groups", "team")
    actions = ["reset_two_factor"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (
                name,
                {**opts, "fields": [f for f in opts["fields"] if f not in _SUPERUSER_ONLY_FIELDS]},
            )
            for name, opts in fieldsets
        ]

    @admin.action(
        description="Reset two-factor login (they set it up again at their next login)",
        permissions=["change"],
    )
    def reset_two_factor(self, request, queryset):
        if not auth_is_recent(request):
            return redirect_to_login(request.get_full_path(), login_url=resolve_url("reauth"))
        for user in queryset:
            services.two_factor_reset(user=user)
        self.message_user(request, f"Two-factor login reset for {queryset.count()} accounts.")
        return None

    def _needs_reauth(self, request):
        # Role changes, new accounts and new passwords need a fresh password + second factor.
        return request.method == "POST" and not auth_is_recent(request)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if self._needs_reauth(request):
            return redirect_to_login(request.get_full_path(), login_url=resolve_url("reauth"))
        return super().changeform_view(request, object_id, form_url, extra_context)

    def user_change_password(self, request, id, form_url=""):
        if self._needs_reauth(request):
            return redirect_to_login(request.get_full_path(), login_url=resolve_url("reauth"))
        return super().user_change_password(request, id, form_url)


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
