from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import resolve_url
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.accounts import services
from casework.accounts.enums import AccessAction
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
    fieldsets = BaseUserAdmin.fieldsets + (("Casework", {"fields": ("team", "language")}),)
    list_display = ("username", "email", "team", "language", "is_active", "is_staff")
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

    # An account with more power than the administrator's own is shown, not changed:
    # its change form is read-only and its password, delete and bulk actions refused.
    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or services.user_may_manage(actor=request.user, target=obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or services.user_may_manage(actor=request.user, target=obj))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            # A role beyond the administrator's own is not offered, and refused if posted.
            kwargs["queryset"] = services.roles_grantable_by(actor=request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.action(
        description=_("Reset two-factor login (they set it up again at their next login)"),
        permissions=["change"],
    )
    def reset_two_factor(self, request, queryset):
        if not auth_is_recent(request):
            return redirect_to_login(request.get_full_path(), login_url=resolve_url("reauth"))
        users = list(queryset)
        refused = [u for u in users if not services.user_may_manage(actor=request.user, target=u)]
        if refused:
            self.message_user(
                request,
                ngettext(
                    "Nothing was reset: %(count)d of the chosen accounts has more access "
                    "than yours.",
                    "Nothing was reset: %(count)d of the chosen accounts have more access "
                    "than yours.",
                    len(refused),
                )
                % {"count": len(refused)},
                messages.ERROR,
            )
            return None
        with transaction.atomic():
            for user in users:
                services.two_factor_reset(actor=request.user, user=user)
        self.message_user(
            request,
            ngettext(
                "Two-factor login reset for %(count)d account.",
                "Two-factor login reset for %(count)d accounts.",
                len(users),
            )
            % {"count": len(users)},
        )
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
        # Django's view refuses (403) an account this administrator may not change
        # (has_change_permission above); a new password set here is logged and mailed.
        with transaction.atomic():
            target = self.get_object(request, unquote(id))
            before = target.password if target is not None else None
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and target is not None:
                target.refresh_from_db(fields=["password"])
                if target.password != before:
                    services.account_reset_record(
                        actor=request.user, target=target, action=AccessAction.RESET_PASSWORD
                    )
        return response


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
