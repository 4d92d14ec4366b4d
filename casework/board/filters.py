"""The board's filters. Every filter works on the queryset the view hands in, which is
already limited to what the user may see (``persons_visible_to``), so a filter can
only narrow what a user sees, never widen it."""

import datetime
import functools

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from casework.accounts import roles
from casework.accounts.selectors import users_with_perm
from casework.board.labels import facility_label
from casework.cases.enums import Confidence, Sex, Status, Vulnerability
from casework.cases.models import (
    CustodyEvent,
    Facility,
    Group,
    GroupMembership,
    Person,
    stale_heard_before,
)
from casework.cases.permissions import groups_visible_to
from casework.cases.places import province_display
from casework.cases.state import IN_CUSTODY, STATUS_FACTS, at_risk_when
from casework.cases.tallies import TallyCondition
from casework.cases.widgets import InlineSelect

# Pseudo-statuses the board offers besides the stored ones; the headline links use them.
IN_CUSTODY_CHOICE = "in_custody"
AT_RISK_CHOICE = "at_risk"
FATE_UNKNOWN_CHOICE = "fate_unknown"
FATE_UNKNOWN = tuple(
    sorted(s for s, facts in STATUS_FACTS.items() if facts.outcome == "fate_unknown")
)

STATUS_CHOICES = [
    (IN_CUSTODY_CHOICE, _("In custody (detained, transferred or at risk)")),
    (AT_RISK_CHOICE, _("At imminent risk of return")),
    (FATE_UNKNOWN_CHOICE, _("Fate unknown (unknown or disappeared)")),
    *Status.choices,
]

# The query parameters that make up a board view; exports log exactly these.
FILTER_PARAMS = (
    "status",
    "province",
    "arrest_province",
    "facility",
    "border_point",
    "detained_after",
    "detained_before",
    "ever_detained",
    "last_heard_after",
    "last_heard_before",
    "stale",
    "vulnerability",
    "sex",
    "group",
    "caseworker",
    "confidence",
    "as_of",
)


# Filters whose meaning the board tallies' key columns hold; any other filter (a period,
# last heard, sex, a group, a caseworker, confidence) is counted from records.
TALLIED_FILTERS = frozenset(
    {
        "status",
        "province",
        "arrest_province",
        "facility",
        "border_point",
        "vulnerability",
        "ever_detained",
        "stale",
    }
)


def at_risk_tallied(border_facilities: list[int]) -> Q:
    """The at-risk rule (``casework/cases/state.py``) on the tallies' columns."""
    return at_risk_when(
        status="status",
        at_border_point=Q(facility_key__in=border_facilities),
        planned=Q(planned=True),
    )


def _statuses_tallied(*statuses: str) -> Q:
    """``in_status`` on the tallies' columns: a person never heard of is tallied blank."""
    return Q(status__in=[*statuses, ""] if Status.UNKNOWN in statuses else statuses)


def _provinces():
    provinces = Facility.objects.exclude(province="").values_list("province", flat=True)
    return [(p, province_display(p)) for p in sorted(set(provinces))]


def detentions_between(start, stop):
    """The new detentions of a person (``OuterRef("pk")``) within [start, stop] (either
    open): events that start a custody episode (``custody_episode_starts``), so a
    transfer or an at-risk move within an episode does not count as a detention again.

    With both ends open, any event in custody: a person with one has an episode start
    too, and this is cheaper."""
    if start is None and stop is None:
        return CustodyEvent.objects.filter(person=OuterRef("pk"), status__in=IN_CUSTODY)
    events = CustodyEvent.objects.custody_episode_starts().filter(person=OuterRef("pk"))
    if start is not None:
        events = events.filter(occurred_on__gte=start)
    if stop is not None:
        events = events.filter(occurred_on__lte=stop)
    return events


def _dates(value: slice) -> tuple:
    """The days of a date-range filter's value (django-filter hands in datetimes)."""

    def day(moment):
        return moment.date() if hasattr(moment, "date") else moment

    return day(value.start), day(value.stop)


class BoardFilterForm(forms.Form):
    """Checks that span several filters: a date range that ends before it begins
    matches no one, and figures as of a day cannot count a period after it."""

    def clean(self):
        cleaned = super().clean()
        for name in ("detained", "last_heard"):
            value = cleaned.get(name)
            if value and value.start and value.stop and _dates(value)[1] < _dates(value)[0]:
                self.add_error(name, gettext("The range ends before it begins."))
        as_of = cleaned.get("as_of")
        if as_of is not None:
            if as_of > timezone.localdate():
                self.add_error("as_of", gettext("The as-of day is in the future."))
            if cleaned.get("status") == AT_RISK_CHOICE:
                self.add_error(
                    "as_of",
                    gettext(
                        "“At imminent risk” is known for today only: clear it, or clear "
                        "the as-of day."
                    ),
                )
            detained = cleaned.get("detained")
            if detained and detained.stop and _dates(detained)[1] > as_of:
                self.add_error("as_of", gettext("The detention period ends after the as-of day."))
        return cleaned


# Filters that unidentified others of a group can meet: all that is known of them is
# that they were detained with it (``selectors.unidentified_others``).
UNIDENTIFIED_FILTERS = frozenset({"detained", "ever_detained", "as_of"})


# The empty choice of a select: no filter.
ANY = _("Any")


class DateRangeWidget(django_filters.widgets.DateRangeWidget):
    def __init__(self, attrs=None):
        super().__init__(attrs={"type": "date", **(attrs or {})})


class AnyYesNo(django_filters.widgets.BooleanWidget):
    """A yes/no filter whose empty choice reads "Any" rather than "Unknown"."""

    template_name = InlineSelect.template_name

    def __init__(self, attrs=None):
        choices = (("", ANY), ("true", _("Yes")), ("false", _("No")))
        forms.Select.__init__(self, attrs, choices=choices)


class FacilityChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj: Facility) -> str:
        return facility_label(obj)


class FacilityFilter(django_filters.ModelChoiceFilter):
    field_class = FacilityChoiceField


class BoardFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=STATUS_CHOICES,
        method="filter_status",
        empty_label=_("Any status"),
        widget=InlineSelect,
    )
    # Where the person is held now (the current facility's province)...
    province = django_filters.ChoiceFilter(
        label=_("Province now"),
        field_name="current_province",
        choices=_provinces,
        empty_label=ANY,
        widget=InlineSelect,
    )
    # ... and where the latest custody episode began (``CurrentStatus.arrest_facility``).
    arrest_province = django_filters.ChoiceFilter(
        label=_("Province of arrest"),
        field_name="arrest_province",
        choices=_provinces,
        empty_label=ANY,
        widget=InlineSelect,
    )
    facility = FacilityFilter(
        label=_("Facility"),
        field_name="current__facility",
        queryset=Facility.objects.all(),
        empty_label=ANY,
        widget=InlineSelect,
    )
    border_point = django_filters.BooleanFilter(
        label=_("At a border point"), field_name="current_border_point", widget=AnyYesNo
    )
    detained = django_filters.DateFromToRangeFilter(
        label=_("Newly detained between"), method="filter_detained", widget=DateRangeWidget
    )
    ever_detained = django_filters.BooleanFilter(
        label=_("Ever detained"), method="filter_ever_detained", widget=AnyYesNo
    )
    last_heard = django_filters.DateFromToRangeFilter(
        label=_("Last heard between"), field_name="last_heard_on", widget=DateRangeWidget
    )
    stale = django_filters.BooleanFilter(
        label=_("No news for too long"), method="filter_stale", widget=AnyYesNo
    )
    vulnerability = django_filters.ChoiceFilter(
        label=_("Vulnerability"),
        choices=Vulnerability.choices,
        method="filter_vulnerability",
        empty_label=ANY,
        widget=InlineSelect,
    )
    sex = django_filters.ChoiceFilter(
        label=_("Sex"), choices=Sex.choices, empty_label=ANY, widget=InlineSelect
    )
    # Typed as a reference: a select of every group grows with the cases and would cost
    # more to render than the rest of the board.
    group = django_filters.ModelChoiceFilter(
        label=_("Group"),
        queryset=Group.objects.none(),
        method="filter_group",
        to_field_name="reference",
        widget=forms.TextInput(attrs={"placeholder": "G-…", "size": 10}),
    )
    caseworker = django_filters.ModelChoiceFilter(
        label=_("Assigned caseworker"),
        queryset=users_with_perm(roles.FOLLOW_CASE).order_by("username"),
        method="filter_caseworker",
        # Typed (the page's datalist offers the names): a select of hundreds of accounts
        # is the slowest thing the board would render.
        to_field_name="username",
        widget=forms.TextInput(attrs={"list": "caseworker-names", "autocomplete": "off"}),
    )
    confidence = django_filters.ChoiceFilter(
        label=_("Confidence of the latest news"),
        field_name="current_confidence",
        choices=Confidence.choices,
        empty_label=ANY,
        widget=InlineSelect,
    )
    # Figures as they stood at the end of a day: the headline and its tiles count the
    # statuses of then (``Person.objects.with_status_as_of``); the list and panels show
    # today's. Counted from records, never from the tallies.
    as_of = django_filters.DateFilter(
        label=_("Headline as of the end of"),
        method="filter_as_of",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Person
        fields: list[str] = []
        form = BoardFilterForm

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and self.data.get("group"):
            # Only the groups the user may see are accepted (the field's default is none);
            # built only when a group is asked for, since the visibility query is costly
            # to build and most views ask for none.
            self.filters["group"].queryset = groups_visible_to(user, Group.objects.active())
        # Both province lists offer the same provinces: read them once, when drawn.
        provinces = functools.cache(_provinces)
        self.filters["province"].extra["choices"] = provinces
        self.filters["arrest_province"].extra["choices"] = provinces

    def form_version(self) -> str:
        """Everything the drawn form shows besides its code: the query it echoes and the
        facilities its lists offer. The board keeps the drawn form under this
        (``{% cache %}``) while it shows no error, since drawing its fourteen widgets
        costs more than the board's own SQL. The form is drawn in the reader's language,
        so the language is part of the version."""
        query = self.data.lists() if hasattr(self.data, "lists") else self.data.items()
        facilities = list(Facility.objects.order_by("pk").values_list())
        return repr((get_language(), sorted(query), facilities))

    def filter_queryset(self, queryset):
        as_of = self.form.cleaned_data.get("as_of")
        if as_of is not None:
            queryset = queryset.with_status_as_of(as_of)
        return super().filter_queryset(queryset)

    def filter_status(self, queryset, name, value):
        if "status_as_of" in queryset.query.annotations:
            return self._filter_status_as_of(queryset, value)
        if value == IN_CUSTODY_CHOICE:
            return queryset.in_status(*IN_CUSTODY)
        if value == AT_RISK_CHOICE:
            return queryset.at_risk()
        if value == FATE_UNKNOWN_CHOICE:
            return queryset.in_status(*FATE_UNKNOWN)
        return queryset.in_status(value)

    def filter_detained(self, queryset, name, value):
        if not value or (value.start is None and value.stop is None):
            return queryset
        return queryset.filter(Exists(detentions_between(*_dates(value))))

    def _filter_status_as_of(self, queryset, value):
        """The status filter on the status of the as-of day (at risk is refused then)."""
        if value == IN_CUSTODY_CHOICE:
            return queryset.filter(status_as_of__in=IN_CUSTODY)
        if value == FATE_UNKNOWN_CHOICE:
            return queryset.filter(status_as_of__in=FATE_UNKNOWN)
        return queryset.filter(status_as_of=value)

    def filter_as_of(self, queryset, name, value):
        """Only people recorded by then: the headline counts their status of that day."""
        recorded = CustodyEvent.objects.filter(person=OuterRef("pk"), occurred_on__lte=value)
        return queryset.filter(Exists(recorded))

    @property
    def as_of_day(self) -> datetime.date | None:
        if not (self.is_bound and self.is_valid()):
            return None
        return self.form.cleaned_data.get("as_of")

    def filter_ever_detained(self, queryset, name, value):
        held = Exists(detentions_between(None, None))
        return queryset.filter(held if value else ~held)

    def filter_stale(self, queryset, name, value):
        stale = queryset.stale(among=self.statuses_chosen())
        return stale if value else queryset.exclude(pk__in=stale.values("pk"))

    def heard_before(self) -> datetime.date | None:
        """With "no news for too long" chosen: a day everyone listed was last heard before."""
        if (
            not (self.is_bound and self.is_valid())
            or self.form.cleaned_data.get("stale") is not True
        ):
            return None
        return stale_heard_before(self.statuses_chosen())

    def statuses_chosen(self) -> tuple[str, ...] | None:
        """The stored statuses the status filter keeps, or None when it keeps any."""
        if not (self.is_bound and self.is_valid()):
            return None
        value = self.form.cleaned_data.get("status")
        if not value:
            return None
        if value in (IN_CUSTODY_CHOICE, AT_RISK_CHOICE):
            return tuple(IN_CUSTODY)
        if value == FATE_UNKNOWN_CHOICE:
            return FATE_UNKNOWN
        return (value,)

    def filter_vulnerability(self, queryset, name, value):
        return queryset.with_vulnerability(value)

    def filter_group(self, queryset, name, value):
        return queryset.filter(
            Exists(GroupMembership.objects.filter(group=value, person=OuterRef("pk")))
        )

    def filter_caseworker(self, queryset, name, value):
        assigned = Person.assigned_caseworkers.through.objects.filter(
            user=value, person=OuterRef("pk")
        )
        return queryset.filter(Exists(assigned))

    def tally_condition(self) -> TallyCondition | None:
        """The chosen filters as a condition on the board tallies' rows, or None when a
        filter the tallies cannot answer is used (the board then counts records)."""
        if not self.is_bound:
            return TallyCondition()
        if not self.is_valid():
            return None
        used = {
            name: value
            for name, value in self.form.cleaned_data.items()
            # An empty date range arrives as slice(None, None): no filter either.
            if value not in (None, "", slice(None, None))
        }
        if set(used) - TALLIED_FILTERS:
            return None
        facilities = Facility.objects.values_list("pk", "province", "border_point")
        arrested_at = None
        if "arrest_province" in used:
            wanted = used["arrest_province"]
            arrested_at = tuple(pk for pk, province, _ in facilities if province == wanted)
        return TallyCondition(
            self._state_tallied(used, facilities), used.get("vulnerability"), arrested_at
        )

    def _state_tallied(self, used: dict, facilities) -> Q:
        condition = Q()
        if "status" in used:
            value = used["status"]
            if value == IN_CUSTODY_CHOICE:
                condition &= _statuses_tallied(*IN_CUSTODY)
            elif value == AT_RISK_CHOICE:
                condition &= at_risk_tallied([pk for pk, _, border in facilities if border])
            elif value == FATE_UNKNOWN_CHOICE:
                condition &= _statuses_tallied(*FATE_UNKNOWN)
            else:
                condition &= _statuses_tallied(value)
        if "province" in used:
            condition &= Q(
                facility_key__in=[
                    pk for pk, province, _ in facilities if province == used["province"]
                ]
            )
        if "facility" in used:
            condition &= Q(facility_key=used["facility"].pk)
        if "border_point" in used:
            wanted = used["border_point"]
            condition &= Q(
                facility_key__in=[pk for pk, _, border in facilities if border == wanted]
            )
        if "ever_detained" in used:
            condition &= Q(ever_detained=used["ever_detained"])
        if "stale" in used:
            condition &= Q(stale=used["stale"])
        return condition

    def counts_unidentified(self) -> bool:
        """Whether the view counts groups' unidentified others: in a period or as of a
        day, when no filter asks for something unknown of them (a status, a place, ...)."""
        if not (self.is_bound and self.is_valid()):
            return False
        used = {
            name: value
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "", slice(None, None))
        }
        # A view for publication: a period or an as-of day. Finding every group's first
        # detention costs more than the rest of a board counted from its tallies.
        publishing = "detained" in used or "as_of" in used
        return (
            publishing
            and used.get("ever_detained") is not False
            and set(used) <= UNIDENTIFIED_FILTERS
        )

    @property
    def period(self) -> tuple:
        """The detention period chosen, as (start, stop); either may be None."""
        if not (self.is_bound and self.is_valid()):
            return (None, None)
        value = self.form.cleaned_data.get("detained")
        return _dates(value) if value else (None, None)

    def error_messages(self) -> list[str]:
        """'Newly detained between: Enter a valid date.' — one line per unreadable filter."""
        messages = []
        for field, errors in self.form.errors.items():
            if field in self.form.fields:
                label = self.form.fields[field].label
            else:
                label = gettext("Filters")
            messages.extend(
                gettext("%(filter)s: %(error)s") % {"filter": label, "error": error}
                for error in errors
            )
        return messages
