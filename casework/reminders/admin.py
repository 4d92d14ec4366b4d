from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from casework.reminders.models import Reminder, ReminderRule


@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "status", "days", "audience", "active", "send_email")
    list_filter = ("kind", "active", "audience")
    list_editable = ("active",)
    fields = ("kind", "status", "days", "audience", "active", "send_email")


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Read-only: reminders are derived from the data by the sweep."""

    list_display = ("rule", "person_reference", "recipient", "state", "created_at")
    list_filter = ("state", "rule__kind")
    list_select_related = ("rule", "person", "recipient")
    readonly_fields = [
        "recipient",
        "rule",
        "person",
        "due_key",
        "state",
        "snoozed_until",
        "created_at",
        "done_at",
        "emailed_at",
        "email_lease_until",
    ]

    @admin.display(description=_("case"))
    def person_reference(self, obj: Reminder) -> str:
        return obj.person.reference

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
