"""The admin-backed workflow for coordinators and administrators.

Querysets come from ``permissions`` so the admin shows exactly what the rest of the
application would; status changes go through ``services.custody_event_record``.
"""

import dataclasses
from collections import defaultdict

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Q
from django.db.models.constants import LOOKUP_SEP
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import (
    gettext,
    gettext_lazy,
    gettext_noop,
    ngettext,
    pgettext_lazy,
)
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject, ModelChange, to_historic
from simple_history.template_utils import HistoricalRecordContextHelper

from casework.accounts import roles
from casework.accounts.models import User
from casework.cases import pagination, permissions, services
from casework.cases.encryption import EncryptedTextField, encrypted_fields
from casework.cases.enums import Status, Vulnerability
from casework.cases.forms import (
    CUSTODY_EVENT_FIELDS,
    AssignCaseworkerForm,
    CustodyEventForm,
    GroupForm,
    PersonForm,
    SourceIdentityForm,
    validation_error_to_form,
)
from casework.cases.models import (
    CustodyEvent,
    Facility,
    FamilyContact,
    Group,
    GroupMembership,
    Person,
    PersonVulnerability,
    Source,
    date_with_precision,
)
from casework.cases.places import province_display

# --- filters on the stored current status --------------------------------------------


class CurrentStatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("current status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Status.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.in_status(self.value())
        return queryset


class ProvinceFilter(admin.SimpleListFilter):
    title = gettext_lazy("current province")
    parameter_name = "province"

    def lookups(self, request, model_admin):
        provinces = Facility.objects.exclude(province="").order_by("province")
        return [
            (p, province_display(p))
            for p in provinces.values_list("province", flat=True).distinct()
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(current_province=self.value())
        return queryset


class FacilityFilter(admin.SimpleListFilter):
    title = gettext_lazy("current facility")
    parameter_name = "facility"

    def lookups(self, request, model_admin):
        return [(str(f.pk), str(f)) for f in Facility.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(current_facility_id=self.value())
        return queryset


class VulnerabilityFilter(admin.SimpleListFilter):
    title = gettext_lazy("vulnerability")
    parameter_name = "vulnerability"

    def lookups(self, request, model_admin):
        return Vulnerability.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.with_vulnerability(self.value())
        return queryset


class CaseworkerFilter(admin.SimpleListFilter):
    """The cases of the caseworker whose username is typed in the filter's box.

    A box, not a link for each caseworker: with hundreds of caseworkers the links were
    a list nobody could scan and a large share of the page's time. The box keeps the
    list's other filters, search and order.
    """

    title = gettext_lazy("assigned caseworker")
    parameter_name = "caseworker"
    template = "admin/cases/caseworker_filter.html"

    def lookups(self, request, model_admin):
        return ()

    def has_output(self) -> bool:
        return True

    def choices(self, changelist):
        kept = [
            (name, value)
            for name, values in changelist.filter_params.items()
            if name != self.parameter_name
            for value in values
        ]
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": gettext("All"),
            "kept": kept,
        }

    def queryset(self, request, queryset):
        username = (self.value() or "").strip()
        if username:
            return queryset.filter(assigned_caseworkers__username__iexact=username)
        return queryset


class StaleFilter(admin.SimpleListFilter):
    title = pgettext_lazy("admin filter: news of a case", "news")
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("yes", gettext("Stale (no news for too long)"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.stale()
        return queryset


class ArchivedFilter(admin.SimpleListFilter):
    title = gettext_lazy("archived")
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("no", gettext("Active")), ("yes", gettext("Archived"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(archived_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(archived_at__isnull=False)
        return queryset


# --- inlines -------------------------------------------------------------------------


class CustodyEventInlineForm(CustodyEventForm):
    class Meta(CustodyEventForm.Meta):
        pass


class KnownLabelAutocomplete(AutocompleteSelect):
    """The admin's autocomplete reads the label of the value it shows, once per row;
    told the record its row already holds (``known``), it shows that instead."""

    known = None

    def optgroups(self, name, value, attr=None):
        shown = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if self.known is None or shown != [str(self.known.pk)]:
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance(self.known)
        options.append(self.create_option(name, self.known.pk, label, set(shown), len(options)))
        return [(None, options, 0)]


class CaseworkerPicker(AutocompleteSelectMultiple):
    """The case's caseworkers as a search box that draws only those chosen.

    Django's two-list picker drew every account on each case form, a cost that grew with
    the number of accounts. Its searches go to the person admin's ``CaseworkerLookup``:
    Django's own lookup would ask the accounts admin, which only administrators open.
    """

    def get_url(self) -> str:
        return reverse(f"{self.admin_site.name}:cases_person_caseworkers")


class CaseworkerLookup(AutocompleteJsonView):
    """The active accounts whose name or username holds the search, for those who may
    assign caseworkers; it shows usernames only, as the picker did."""

    def process_request(self, request):
        field = Person._meta.get_field("assigned_caseworkers")
        return request.GET.get("term", "").strip(), None, field, "pk"

    def has_perm(self, request, obj=None) -> bool:
        return request.user.has_perm(roles.ASSIGN_CASEWORKER)

    def get_queryset(self):
        accounts = User.objects.filter(is_active=True).order_by("username")
        if self.term:
            accounts = accounts.filter(
                Q(username__icontains=self.term)
                | Q(first_name__icontains=self.term)
                | Q(last_name__icontains=self.term)
            )
        return accounts.only("username")

    def get_paginator(self, queryset, per_page, *args, **kwargs):
        return Paginator(queryset, per_page, *args, **kwargs)


class ParentKnownFormSet(BaseInlineFormSet):
    """Rows that read nothing again: each row's label (``str`` of the row) names the
    record the page is about, and its pickers show the records the row was read with,
    instead of each row reading them once more (a query per row)."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        setattr(form.instance, self.fk.name, self.instance)
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside the wrapper
            descriptor = getattr(type(form.instance), name, None)
            if isinstance(widget, KnownLabelAutocomplete) and descriptor.is_cached(form.instance):
                widget.known = getattr(form.instance, name)
        return form


class CustodyEventInline(admin.TabularInline):
    """The timeline: old events read-only, new ones appended through the service."""

    model = CustodyEvent
    form = CustodyEventInlineForm
    formset = ParentKnownFormSet
    fields = CUSTODY_EVENT_FIELDS
    extra = 0
    can_delete = False
    # Sources grow with the years; a select of all of them in every event row is slow.
    autocomplete_fields = ("facility", "source")
    ordering = ("occurred_on", "id")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("facility", "source")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ParentPermissionsMixin:
    """Inline rows that are part of their parent record take the parent's permissions."""

    parent_view_perm = ""
    parent_change_perm = ""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(self.parent_view_perm)

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm(self.parent_change_perm)

    has_change_permission = has_add_permission

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm(self.parent_change_perm)


class VulnerabilityInline(ParentPermissionsMixin, admin.TabularInline):
    model = PersonVulnerability
    parent_view_perm, parent_change_perm = roles.VIEW_PERSON, roles.CHANGE_PERSON
    extra = 0


class FamilyContactInline(admin.StackedInline):
    model = FamilyContact
    extra = 0
    can_delete = False

    def get_fields(self, request, obj=None):
        fields = ["relation", "language", "consent"]
        # Shown with the person's identity (``obj`` is the person), and logged with it.
        if identity_shown(request, obj, Person):
            fields[1:1] = ["name", "contact_channel"]
        return fields


class GroupMembershipInline(ParentPermissionsMixin, admin.TabularInline):
    model = GroupMembership
    formset = ParentKnownFormSet
    parent_view_perm, parent_change_perm = roles.VIEW_GROUP, roles.CHANGE_GROUP
    extra = 0
    autocomplete_fields = ("person",)
    fields = ("person", "member_status")
    readonly_fields = ("member_status",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "person":
            kwargs["widget"] = KnownLabelAutocomplete(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(person__in=permissions.persons_visible_to(request.user).values("pk"))
            .select_related("person")
            .annotate(member_status=F("person__current__status"))
        )

    @admin.display(description=gettext_lazy("current status"))
    def member_status(self, obj):
        status = getattr(obj, "member_status", None)
        # A str, not the lazy label: the admin compares each cell with its empty values,
        # and a lazy string is translated again at every comparison.
        return str(Status(status).label) if status else "—"


# --- identities on admin pages -------------------------------------------------------


def identity_hidden(request, obj) -> frozenset[str]:
    """``permissions.identity_fields_hidden`` for ``obj``, asked once per request and
    record: a page asks for each fieldset, inline and history row, and the rule reads the
    database."""
    memo = request.__dict__.setdefault("_casework_identity_hidden", {})
    key = (obj._meta.label, obj.pk)
    if key not in memo:
        memo[key] = permissions.identity_fields_hidden(request.user, obj)
    return memo[key]


def identity_shown(request, obj, model) -> bool:
    """Whether a form for ``obj`` (None: a new ``model``) carries its identity: a new
    record's to those who may enter identities, a saved one's by the one rule."""
    if not encrypted_fields(model):
        return False
    if obj is None:
        return request.user.has_perm(roles.VIEW_IDENTITY)
    return not identity_hidden(request, obj)


class IdentityMaskingContextHelper(HistoricalRecordContextHelper):
    """A history row's changes with the values of the ``hidden`` fields left out: the
    reader learns that the field changed, and nothing of what it was or became."""

    def __init__(self, model, historical_record, *, hidden: frozenset[str]):
        super().__init__(model, historical_record)
        self.hidden = hidden

    def context_for_delta_changes(self, delta):
        rows = []
        for change in delta.changes:
            if change.field in self.hidden:
                label = capfirst(self.model._meta.get_field(change.field).verbose_name)
                rows.append(
                    {"field": label, "old": "", "new": permissions.IDENTITY_CHANGED, "hidden": True}
                )
            else:
                shown = self.format_delta_change(change)
                rows.append({"field": shown.field, "old": shown.old, "new": shown.new})
        return rows


class BoundedHistoryMixin:
    """History pages in as many queries for a hundred changes as for one.

    django-simple-history's diff reads a record's many-to-many values (a case's
    caseworkers) twice for every row of the page; here they are read once for the whole
    page, and the rest of each row's diff is left to the library.
    """

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        records = list(historical_records)
        m2m_fields = list(getattr(self._history_model(), "_history_m2m_fields", ()))
        if not m2m_fields:
            return super().set_history_delta_changes(request, records, foreign_keys_are_objs)
        names = [field.name for field in m2m_fields]
        values = self._m2m_values_by_version(records, m2m_fields)
        # Newest first: each row shows what changed since the one below it.
        for newer, older in zip(records, records[1:], strict=False):
            delta = newer.diff_against(
                older, excluded_fields=names, foreign_keys_are_objs=foreign_keys_are_objs
            )
            changed = [
                ModelChange(name, values[older.history_id][name], values[newer.history_id][name])
                for name in names
                if values[older.history_id][name] != values[newer.history_id][name]
            ]
            delta = dataclasses.replace(
                delta,
                changes=[*delta.changes, *changed],
                changed_fields=[*delta.changed_fields, *(c.field for c in changed)],
            )
            helper = self.get_historical_record_context_helper(request, newer)
            newer.history_delta_changes = helper.context_for_delta_changes(delta)
        return None

    def _history_model(self):
        return getattr(self.model, self.model._meta.simple_history_manager_attribute).model

    def _m2m_values_by_version(self, records, m2m_fields) -> dict[int, dict[str, list]]:
        """Each version's many-to-many values, in the shape the library's diff gives
        them (one ``{related field: object}`` per row), in two queries per field."""
        found = defaultdict(lambda: {field.name: [] for field in m2m_fields})
        versions = [record.history_id for record in records]
        for field in m2m_fields:
            related_name = field.m2m_reverse_field_name()
            through = getattr(self._history_model(), field.name).model
            rows = list(
                through.objects.filter(history_id__in=versions)
                .order_by(f"{related_name}_id")
                .values_list("history_id", f"{related_name}_id")
            )
            related = field.related_model._default_manager.in_bulk({pk for _, pk in rows})
            for version, pk in rows:
                shown = related.get(pk) or DeletedObject(field.related_model, pk)
                found[version][field.name].append({related_name: shown})
        return found


# The words of django-simple-history's own history pages, which ships no Korean: listed
# here so that the project's catalogue carries them (a translation applies by its words,
# whichever template asks).
SIMPLE_HISTORY_WORDS = (
    gettext_noop(
        "Choose a date from the list below to revert to a previous version of this object."
    ),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Press the 'Change History' button below to edit the history."),
    gettext_noop("Revert"),
    gettext_noop("Change History"),
    # The kinds of change (``history_type``).
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
)


class IdentityHistoryMixin(BoundedHistoryMixin):
    """A record's change form, history and past versions show its identifying values
    only to those who may reveal them (``permissions.identity_fields_hidden``), and each
    page that shows them is in the access log like a reveal. Others read "changed" in the
    history, and forms without those fields.

    ``identity_in_forms`` False: the record's forms (current and past) never carry the
    identity, which has a reveal of its own.
    """

    identity_in_forms = True

    def _shown_object(self, request, object_id):
        # django-simple-history's history pages fall back to the history table when the
        # queryset hides a record, which would show a restricted case (identity
        # included) to anyone: they must pass through get_object, and a 404, first.
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(gettext("No such record."))
        return obj

    def _log_if_shown(self, request, obj, detail: str) -> None:
        if encrypted_fields(type(obj)) and not identity_hidden(request, obj):
            services.identity_reveal_log(user=request.user, record=obj, detail=detail)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = (getattr(response, "context_data", None) or {}).get("original")
        if self.identity_in_forms and request.method == "GET" and original is not None:
            self._log_if_shown(request, original, "admin change form")
        return response

    def history_view(self, request, object_id, extra_context=None):
        obj = self._shown_object(request, object_id)
        response = super().history_view(request, object_id, extra_context)
        self._log_if_shown(request, obj, "admin history")
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self._shown_object(request, object_id)
        # The library only hides the button: restoring a past version is a change.
        if request.method == "POST" and not self.has_change_permission(request, obj):
            raise PermissionDenied
        with transaction.atomic():  # checked and saved as one, like a change form
            response = super().history_form_view(request, object_id, version_id, extra_context)
        if self.identity_in_forms and request.method == "GET":
            self._log_if_shown(request, obj, f"admin past version {version_id}"[:200])
        return response

    def get_historical_record_context_helper(self, request, historical_record):
        hidden = identity_hidden(request, historical_record.instance)
        return IdentityMaskingContextHelper(self.model, historical_record, hidden=hidden)

    def save_form(self, request, form, change):
        obj = super().save_form(request, form, change)
        hidden = identity_hidden(request, obj) if to_historic(obj) is not None else ()
        if hidden:
            # A past version restored by one who may not see its identity: that stays
            # as it is now, not changed blindly to what it was then.
            current = type(obj).objects.only(*hidden).get(pk=obj.pk)
            for name in hidden:
                setattr(obj, name, getattr(current, name))
        return obj


# --- shared admin behaviour ----------------------------------------------------------

# The keyed-hash columns beside encrypted ones, for exact-match look-ups only.
BLIND_INDEX_SUFFIX = "_index"


def lookup_reaches_secret(model, lookup: str) -> bool:
    """Whether a URL filter such as ``memberships__person__legal_name_index__startswith``
    reads an encrypted column or a blind index on its way, on this model or a related one."""
    for part in lookup.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a lookup (``startswith``) or transform: the path has ended
        if isinstance(field, EncryptedTextField) or field.name.endswith(BLIND_INDEX_SUFFIX):
            return True
        if field.related_model is None:
            return False
        model = field.related_model
    return False


class SecretLookupsRefusedMixin:
    """The admin filters any column of its model from the URL (``?pseudonym=…``). Not
    these: an encrypted column cannot be searched (it would answer 500) and a blind index
    would become an oracle for guessing names (``?legal_name_index__startswith=``).
    Refused, Django answers 400."""

    def lookup_allowed(self, lookup, value, request):
        if lookup_reaches_secret(self.model, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)


class CaseAdminMixin(SecretLookupsRefusedMixin, IdentityHistoryMixin):
    """404 for what the user may not see, as everywhere else in Casework."""

    def action_checkbox(self, obj):
        """Django's checkbox of each row, written in one pass rather than drawn through
        the widget's template once per row."""
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(gettext("No such case."))
        return obj

    def _render_record_event(self, request, queryset, form, title):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "queryset": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "action": request.POST.get("action"),
        }
        return TemplateResponse(request, "admin/cases/record_event.html", context)


@admin.register(Person)
class PersonAdmin(CaseAdminMixin, SimpleHistoryAdmin):
    form = PersonForm
    list_display = (
        "reference",
        "pseudonym",
        "status_display",
        "place_display",
        "last_heard_on_display",
        "vulnerability_list",
        "restricted",
    )
    list_display_links = ("reference", "pseudonym")
    search_fields = ("=reference", "pseudonym")
    list_filter = (
        CurrentStatusFilter,
        ProvinceFilter,
        FacilityFilter,
        VulnerabilityFilter,
        CaseworkerFilter,
        StaleFilter,
        ArchivedFilter,
        "restricted",
    )
    readonly_fields = ("reference", "archived_at", "created_at", "updated_at")
    inlines = (VulnerabilityInline, CustodyEventInline, FamilyContactInline)
    actions = ("record_event", "assign_caseworker", "archive")
    list_per_page = 50
    # Count at most 10,000 rows, and only once: the total without filters would be a
    # second count over every visible person on each filtered page (see make bench).
    paginator = pagination.CappedCountPaginator
    show_full_result_count = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request).with_current()
        return permissions.persons_visible_to(request.user, queryset).prefetch_related(
            "vulnerabilities"
        )

    def get_urls(self):
        lookup = CaseworkerLookup.as_view(admin_site=self.admin_site)
        return [
            path(
                "caseworkers/",
                self.admin_site.admin_view(lookup),
                name="cases_person_caseworkers",
            ),
            *super().get_urls(),
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "assigned_caseworkers":
            kwargs["widget"] = CaseworkerPicker(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["reference", "pseudonym", "sex", "age_band", "birth_year"]}),
            (gettext("Follow-up and access"), {"fields": ["follow_up_on", "restricted"]}),
        ]
        if request.user.has_perm(roles.ASSIGN_CASEWORKER):
            fieldsets[1][1]["fields"].append("assigned_caseworkers")
        fieldsets[0][1]["fields"].append("expected_version")  # hidden (CaseVersionForm)
        if identity_shown(request, obj, Person):
            fieldsets.insert(
                1,
                (
                    gettext("Identity (encrypted; every view is logged)"),
                    {"fields": list(Person.IDENTITY_FIELDS), "classes": ["collapse"]},
                ),
            )
        if obj is not None:
            fieldsets.append(
                (
                    pgettext_lazy("admin fieldset: the record's dates", "Record"),
                    {"fields": ["archived_at", "created_at", "updated_at"]},
                )
            )
        return fieldsets

    def save_model(self, request, obj, form, change):
        # The caseworkers field is shown only to those who may assign.
        caseworkers = form.cleaned_data.get("assigned_caseworkers")
        if change:
            services.person_update(
                person=obj,
                updated_by=request.user,
                expected_version=form.cleaned_data["expected_version"],
                caseworkers=caseworkers,
            )
        else:
            services.person_create(
                person=obj, created_by=request.user, caseworkers=caseworkers or ()
            )

    def save_related(self, request, form, formsets, change):
        # The caseworkers were saved with the case (``save_model``), not by the form.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if formset.model is PersonVulnerability:
            saved = formset.save(commit=False)
            services.person_vulnerabilities_change(
                person=form.instance,
                saved=saved,
                deleted=formset.deleted_objects,
                changed_by=request.user,
            )
            return None
        if formset.model is not CustodyEvent:
            return super().save_formset(request, form, formset, change)
        for event_form in formset.extra_forms:
            if not event_form.has_changed():
                continue
            services.custody_event_record(
                persons=[form.instance],
                recorded_by=request.user,
                **event_form.service_kwargs(),
            )
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    @admin.display(description=gettext_lazy("status"), ordering="current_status")
    def status_display(self, obj):
        return str(Status(obj.current_status).label)

    @admin.display(description=gettext_lazy("place"))
    def place_display(self, obj):
        name = obj.current_facility_display or obj.current_place or "—"
        if obj.current_border_point:
            return gettext("%(place)s ⚠ border") % {"place": name}
        return name

    @admin.display(description=gettext_lazy("last heard"), ordering="last_heard_on")
    def last_heard_on_display(self, obj):
        if obj.last_heard_on is None:
            return gettext("never")
        return date_with_precision(obj.last_heard_on, obj.last_heard_precision)

    @admin.display(description=gettext_lazy("vulnerabilities"))
    def vulnerability_list(self, obj):
        return ", ".join(v.get_kind_display() for v in obj.vulnerabilities.all()) or "—"

    @admin.action(
        description=gettext_lazy("Record an event for the selected people"), permissions=["add"]
    )
    def record_event(self, request, queryset):
        persons = list(queryset)
        form = CustodyEventForm(request.POST if "apply" in request.POST else None, persons=persons)
        if "apply" in request.POST and form.is_valid():
            try:
                events = services.custody_event_record(
                    persons=persons, recorded_by=request.user, **form.service_kwargs()
                )
            except ValidationError as exc:
                validation_error_to_form(form, exc)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "Recorded the event for %(count)s person.",
                        "Recorded the event for %(count)s people.",
                        len(events),
                    )
                    % {"count": len(events)},
                )
                return None
        return self._render_record_event(request, queryset, form, gettext("Record an event"))

    @admin.action(
        description=gettext_lazy("Assign a caseworker"), permissions=["assign_caseworker"]
    )
    def assign_caseworker(self, request, queryset):
        form = AssignCaseworkerForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            with transaction.atomic():
                for person in queryset:
                    services.person_assign_caseworker(
                        person=person,
                        caseworker=form.cleaned_data["caseworker"],
                        assigned_by=request.user,
                    )
            count = queryset.count()
            self.message_user(
                request,
                ngettext("Assigned %(count)s case.", "Assigned %(count)s cases.", count)
                % {"count": count},
            )
            return None
        return self._render_record_event(request, queryset, form, gettext("Assign a caseworker"))

    @admin.action(description=gettext_lazy("Archive the selected cases"), permissions=["archive"])
    def archive(self, request, queryset):
        for person in queryset:
            services.person_archive(person=person, archived_by=request.user)
        self.message_user(
            request, gettext("Archived. Archived cases stay in the records and history.")
        )

    def has_assign_caseworker_permission(self, request):
        return request.user.has_perm(roles.ASSIGN_CASEWORKER)

    def has_archive_permission(self, request):
        return request.user.has_perm(roles.ARCHIVE_PERSON)

    def has_delete_permission(self, request, obj=None):
        # Nobody deletes a case; erasure is a separate, confirmed administrator action.
        return False


@admin.register(Group)
class GroupAdmin(CaseAdminMixin, SimpleHistoryAdmin):
    list_display = ("reference", "name", "n_members_display", "rollup_display")
    list_display_links = ("reference", "name")
    search_fields = ("=reference", "name")
    readonly_fields = ("reference", "archived_at", "created_at", "updated_at")
    form = GroupForm
    fields = (
        "reference",
        "name",
        "unidentified_others",
        "notes",
        "expected_version",
        "archived_at",
        "created_at",
        "updated_at",
    )
    inlines = (GroupMembershipInline,)
    actions = ("record_event", "archive")
    list_per_page = 50
    paginator = pagination.CappedCountPaginator
    show_full_result_count = False

    def get_queryset(self, request):
        visible = permissions.persons_visible_to(request.user)
        queryset = super().get_queryset(request).with_rollup(persons=visible)
        return permissions.groups_visible_to(request.user, queryset)

    def save_model(self, request, obj, form, change):
        if change:
            services.group_update(
                group=obj,
                updated_by=request.user,
                expected_version=form.cleaned_data["expected_version"],
                unidentified_others=form.cleaned_data["unidentified_others"],
            )
        else:
            services.group_create(
                group=obj,
                created_by=request.user,
                unidentified_others=form.cleaned_data["unidentified_others"],
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is not GroupMembership:
            return super().save_formset(request, form, formset, change)
        group = form.instance
        formset.save(commit=False)
        for membership in formset.deleted_objects:
            services.group_member_remove(
                group=group, person=membership.person, removed_by=request.user
            )
        for membership, _fields in formset.changed_objects:
            # Another person picked on a member's row: the one stored there leaves.
            stored = Person.objects.get(memberships__pk=membership.pk)
            services.group_member_remove(group=group, person=stored, removed_by=request.user)
            services.group_member_add(group=group, person=membership.person, added_by=request.user)
        for membership in formset.new_objects:
            services.group_member_add(group=group, person=membership.person, added_by=request.user)
        return None

    @admin.display(description=gettext_lazy("members"), ordering="n_members")
    def n_members_display(self, obj):
        return obj.n_members

    @admin.display(description=gettext_lazy("status of members"))
    def rollup_display(self, obj):
        return obj.rollup

    @admin.action(description=gettext_lazy("Record an event for every member"), permissions=["add"])
    def record_event(self, request, queryset):
        groups = list(queryset)
        visible = permissions.persons_visible_to(request.user)
        members = {g.pk: list(visible.filter(memberships__group=g)) for g in groups}
        all_members = [p for g in groups for p in members[g.pk]]
        form = CustodyEventForm(
            request.POST if "apply" in request.POST else None, persons=all_members
        )
        if "apply" in request.POST and form.is_valid():
            try:
                with transaction.atomic():
                    count = sum(
                        len(
                            services.custody_event_record(
                                group=group,
                                persons=members[group.pk],
                                recorded_by=request.user,
                                **form.service_kwargs(),
                            )
                        )
                        for group in groups
                    )
            except ValidationError as exc:
                validation_error_to_form(form, exc)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "Recorded the event for %(count)s member.",
                        "Recorded the event for %(count)s members.",
                        count,
                    )
                    % {"count": count},
                )
                return None
        return self._render_record_event(
            request, queryset, form, gettext("Record an event for groups")
        )

    @admin.action(description=gettext_lazy("Archive the selected groups"), permissions=["change"])
    def archive(self, request, queryset):
        for group in queryset:
            services.group_archive(group=group, archived_by=request.user)
        self.message_user(request, gettext("Archived."))

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Facility)
class FacilityAdmin(IdentityHistoryMixin, SimpleHistoryAdmin):
    list_display = ("name_en", "name_zh", "name_ko", "city", "province", "country", "border_point")
    list_filter = ("border_point", "country", "province")
    search_fields = ("name_en", "name_zh", "name_ko", "city", "province")


@admin.register(Source)
class SourceAdmin(SecretLookupsRefusedMixin, IdentityHistoryMixin, SimpleHistoryAdmin):
    """Sources are open to everyone who records events, to pick and to grade; their
    identity is not. It is entered with a new source, then shown only on an explicit
    reveal (``identity_view``) to those who may see a case the source informs."""

    list_display = ("reference", "label", "kind", "reliability")
    list_filter = ("kind", "reliability")
    search_fields = ("=reference", "label")
    readonly_fields = ("reference", "identity_display")
    change_form_template = "admin/cases/source/change_form.html"
    identity_in_forms = False

    def get_queryset(self, request):
        # Lists, searches and the event form's picker never read, nor decrypt, an identity.
        return super().get_queryset(request).defer("identity")

    def get_urls(self):
        identity = self.admin_site.admin_view(self.identity_view)
        return [
            path("<path:object_id>/identity/", identity, name="cases_source_identity"),
            *super().get_urls(),
        ]

    def get_fields(self, request, obj=None):
        fields = ["reference", "kind", "reliability", "label"]
        if obj is not None:
            fields.append("identity_display")
        elif identity_shown(request, None, Source):
            fields.append("identity")  # whoever records a new source enters who it is
        return fields

    @admin.display(description=gettext_lazy("identity"))
    def identity_display(self, obj):
        return gettext(
            "Hidden. “Reveal identity” shows it to those who may see a case it informs; "
            "each reveal is logged."
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        source = self.get_object(request, unquote(object_id))
        can_reveal = source is not None and not identity_hidden(request, source)
        extra_context = {**(extra_context or {}), "can_reveal_identity": can_reveal}
        return super().change_view(request, object_id, form_url, extra_context)

    def identity_view(self, request, object_id):
        """Reveal a source's identity, and change it. A POST, so that no link, preview or
        crawler reveals it; refused (403) to those the rule does not allow; each reveal
        is in the access log, never the value."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        source = self.get_object(request, unquote(object_id))
        if source is None:
            raise Http404(gettext("No such record."))
        if not self.has_view_or_change_permission(request, source):
            raise PermissionDenied
        if identity_hidden(request, source):
            raise PermissionDenied
        saving = "_save" in request.POST
        if saving and not self.has_change_permission(request, source):
            raise PermissionDenied
        form = SourceIdentityForm(request.POST if saving else None, instance=source)
        if saving and form.is_valid():
            self.save_model(request, form.save(commit=False), form, change=True)
            self.log_change(request, source, self.construct_change_message(request, form, []))
            self.message_user(request, gettext("The identity was saved."))
            return HttpResponseRedirect(reverse("admin:cases_source_change", args=[source.pk]))
        if not saving:
            services.identity_reveal_log(
                user=request.user, record=source, detail="admin source identity"
            )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Identity of %(source)s") % {"source": source},
            "form": form,
            "original": source,
            "opts": self.model._meta,
        }
        status = 400 if saving else 200
        return TemplateResponse(request, "admin/cases/source/identity.html", context, status=status)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False
