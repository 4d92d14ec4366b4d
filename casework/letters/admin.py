"""Administrators keep the recipient directory and the templates here. Letters are
read-only in the admin: their lifecycle runs through the letters pages and services."""

from django.contrib import admin
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from casework.cases.admin import SecretLookupsRefusedMixin
from casework.letters.forms import LetterTemplateAdminForm, RecipientAdminForm
from casework.letters.models import Letter, LetterTemplate, Recipient
from casework.letters.permissions import letters_visible_to


@admin.register(Recipient)
class RecipientAdmin(admin.ModelAdmin):
    form = RecipientAdminForm
    list_display = ("title", "institution", "country", "language", "audience", "active")
    list_filter = ("country", "language", "audience", "active")
    search_fields = ("title", "institution", "title_ko", "title_zh")
    fieldsets = (
        (None, {"fields": ("title", "institution", "country", "language", "audience", "topics")}),
        (_("Address"), {"fields": ("postal_address", "email", "fax")}),
        (_("Salutations"), {"fields": ("salutation", "salutation_ko", "salutation_zh")}),
        (
            _("In Korean and Chinese"),
            {"fields": ("title_ko", "institution_ko", "title_zh", "institution_zh")},
        ),
        (None, {"fields": ("active",)}),
    )

    def has_delete_permission(self, request, obj=None):
        return False  # letters keep pointing at them; deactivate instead


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    form = LetterTemplateAdminForm
    list_display = ("title", "slug", "language", "topic", "case_kind", "active", "updated_at")
    list_filter = ("language", "topic", "case_kind", "active")
    search_fields = ("title", "slug", "subject")
    fields = (
        ("slug", "language"),
        "title",
        ("topic", "case_kind"),
        "subject",
        "asks",
        "facts",
        "risk",
        "legal_basis",
        "default_legal_bases",
        "closing",
        "active",
    )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Letter)
class LetterAdmin(SecretLookupsRefusedMixin, admin.ModelAdmin):
    list_display = ("reference", "recipient", "language", "status", "sent_on", "follow_up_on")
    list_filter = ("status", "language")
    search_fields = ("reference",)
    list_select_related = ("recipient",)
    fields = ("reference", "template", "language", "recipient", "status", "sent_on", "channel",
              "response", "response_on", "follow_up_on", "deadline", "names_person")  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return letters_visible_to(request.user, super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        # 404, as on the letters pages, not the admin's "perhaps it was deleted?" redirect.
        letter = super().get_object(request, object_id, from_field)
        if letter is None:
            raise Http404("No such letter.")
        return letter

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
