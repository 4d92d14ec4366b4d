"""Reads behind the status board: who a user may count, the headline figures, the
panels and the chart series. Every function takes a queryset already limited to what
the user may see and runs a fixed number of queries, whatever the number of rows."""

import datetime
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property

from django.db import connection
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

from casework.accounts.models import User
from casework.board.filters import (
    FATE_UNKNOWN_CHOICE,
    IN_CUSTODY_CHOICE,
    at_risk_tallied,
    detentions_between,
)
from casework.board.labels import FIGURE_WORDS, status_short
from casework.cases.enums import (
    AgeBand,
    Confidence,
    DatePrecision,
    Sex,
    Status,
    Vulnerability,
)
from casework.cases.models import (
    CurrentStatus,
    CustodyEvent,
    Facility,
    Group,
    Person,
    PersonVulnerability,
)
from casework.cases.pagination import capped_count
from casework.cases.permissions import (
    groups_visible_to,
    persons_visible_to,
    restricted_visible_to,
    sees_every_unrestricted_case,
)
from casework.cases.places import place_now_display, province_display
from casework.cases.state import STATUS_FACTS
from casework.cases.tallies import TallyCondition, tallies_roll, vulnerability_bit

# Counts below this are published as "fewer than 3", so a figure cannot single out a person.
SMALL_COUNT = 3
PANEL_SIZE = 10
# Encrypted columns the board's lists and panels never show: not read, not decrypted.
UNSHOWN = (*Person.IDENTITY_FIELDS, "legal_name_index")
# Counts that cannot come from the tallies stop here ("more than 1,000"): past it the
# exact figure changes nothing about what to do next, and counting costs a full pass.
COUNT_CAP = 1_000
# The status-over-time chart never spans more months than this.
MAX_MONTHS = 36


def board_persons(user: User) -> QuerySet[Person]:
    """The people on ``user``'s board: open cases they may see, with their current state.

    Archived cases are closed records (duplicates, merged cases) and are not counted.
    """
    queryset = Person.objects.active().with_current()
    return persons_visible_to(user, queryset)


def board_list(queryset: QuerySet[Person]) -> QuerySet[Person]:
    """The rows of the board's list and exports, with what each row shows prefetched:
    newest news first (the newest case first among news of one day), never heard of last.
    """
    return queryset.prefetch_related("vulnerabilities", "groups", "assigned_caseworkers").order_by(
        F("last_heard_on").desc(nulls_last=True), "-id"
    )


class BoardRows:
    """The board's list in ``board_list`` order, sliced without sorting every row.

    Newest news first, people never heard of last: the page walks the index on the
    last-heard day and stops after its rows (``_walk_last_heard``); the people never
    heard of (no stored status) are asked for only by a page that reaches past the
    others.
    """

    def __init__(self, queryset: QuerySet[Person], people: "BoardPeople | None" = None):
        # The rows show vulnerabilities, not groups or caseworkers (the exports do).
        listed = board_list(queryset).defer(*UNSHOWN).prefetch_related(None)
        self.listed = listed.prefetch_related("vulnerabilities")
        self.people = people or BoardPeople(queryset)  # what is known of who ``queryset`` holds

    def __getitem__(self, window: slice) -> list[Person]:
        start, stop = window.start or 0, window.stop
        heard = self.listed.filter(current__isnull=False)
        rows = _walk_last_heard(
            heard, newest_first=True, offset=start, limit=stop - start, known=self.people
        )
        if len(rows) == stop - start:
            return rows
        heard_total = start + len(rows) if rows else heard.count()
        never = self.listed.filter(current__isnull=True).order_by("-id")
        skip = max(0, start - heard_total)
        return rows + list(never[skip : skip + (stop - start) - len(rows)])


@dataclass(frozen=True)
class Figure:
    """One number of the headline, with the board filter that lists the people behind it.

    Its words (``labels.FIGURE_WORDS[key]``) are in the active language."""

    key: str
    n: int
    at_least: bool = False
    params: dict[str, str] = field(default_factory=dict)

    @property
    def small(self) -> bool:
        return 0 < self.n < SMALL_COUNT

    def words(self, *, suppress: bool) -> str:
        """'at least 12 people detained', 'one baby born in detention', 'fewer than 3 children'."""
        words = FIGURE_WORDS[self.key]
        if suppress and self.small:
            # "at least 2" could be more, so it is published as "at least one".
            if self.at_least:
                return words.at_least % {"n": 1}
            return words.fewer % {"limit": SMALL_COUNT}
        if self.n == 0:
            return str(words.zero)
        return (words.at_least if self.at_least else words.exact) % {"n": self.n}

    @property
    def caption(self) -> str:
        """The tile's words under its number: 'baby born in detention' for 1, 'babies ...'."""
        return FIGURE_WORDS[self.key].tile % {"n": self.n}


@dataclass(frozen=True)
class Headline:
    start: datetime.date | None
    stop: datetime.date | None
    total: Figure
    outcomes: list[Figure]
    including: list[Figure]
    # The day whose end the statuses are given at; None: as the records stand now.
    as_of: datetime.date | None = None
    # Several periods counted together, whose span may hold gaps: named so, not by dates.
    several_periods: bool = False

    def together(self) -> "Headline":
        """This headline as the sum of several periods."""
        return replace(self, several_periods=True)

    @property
    def period(self) -> str:
        def day(value: datetime.date) -> str:
            return date_format(value, "DATE_FORMAT")

        if self.several_periods:
            period = gettext("In all these periods")
        elif self.start and self.stop:
            period = gettext("Between %(start)s and %(stop)s") % {
                "start": day(self.start),
                "stop": day(self.stop),
            }
        elif self.start:
            period = gettext("Since %(start)s") % {"start": day(self.start)}
        elif self.stop:
            period = gettext("Until %(stop)s") % {"stop": day(self.stop)}
        else:
            period = gettext("In all records")
        if self.as_of is None:
            return period
        return gettext("%(period)s, as of %(day)s") % {"period": period, "day": day(self.as_of)}

    def text(self, *, suppress: bool = True, link=None) -> str:
        """The headline as advocates publish it.

        With ``link(figure, words)``, the headline as HTML: every figure's words are
        what ``link`` makes of them (a link to the people behind it), the rest escaped.
        """
        if link is None:

            def piece(figure: Figure) -> str:
                return figure.words(suppress=suppress)

            escape = str
        else:

            def piece(figure: Figure) -> str:
                return link(figure, figure.words(suppress=suppress))

            escape = conditional_escape
        values = {"period": escape(self.period), "total": piece(self.total)}
        if self.total.n == 0:
            sentence = gettext("%(period)s: %(total)s.")
        else:
            values["outcomes"] = _join([piece(f) for f in self.outcomes], escape)
            including = [piece(f) for f in self.including if f.n]
            if including:
                values["including"] = _join(including, escape)
                sentence = gettext(
                    "%(period)s: %(total)s, of whom %(outcomes)s, including %(including)s."
                )
            else:
                sentence = gettext("%(period)s: %(total)s, of whom %(outcomes)s.")
        text = escape(sentence) % values
        return text if link is None else mark_safe(text)  # noqa: S308  # nosec B308 B703  every piece is escaped


def _join(parts: list[str], escape=str) -> str:
    """'a, b and c' in the active language."""
    if len(parts) == 1:
        return parts[0]
    separator = escape(pgettext("list separator", ", "))
    return escape(gettext("%(items)s and %(last)s")) % {
        "items": separator.join(parts[:-1]),
        "last": parts[-1],
    }


def unidentified_others(user: User, start: datetime.date | None, stop: datetime.date | None) -> int:
    """Unidentified others of the groups ``user`` may see, detained within [start, stop]
    (``GroupQuerySet.unidentified_detained_between``): two queries."""
    # The groups of the period first, then which of them the user may see: asked in one
    # query, the planner checks the visibility of every group's members before the dates.
    candidates = list(Group.objects.unidentified_detained_between(start, stop).values_list("pk"))
    if not candidates:
        return 0
    groups = groups_visible_to(user, Group.objects.filter(pk__in=[pk for (pk,) in candidates]))
    return groups.aggregate(n=Sum("unidentified_others"))["n"] or 0


def board_unidentified_others(user: User, filterset) -> int:
    """The unidentified others a board view counts: none when a filter asks for what is
    unknown of them; within the view's period, up to its as-of day."""
    if not filterset.counts_unidentified():
        return 0
    start, stop = filterset.period
    as_of = filterset.as_of_day
    if as_of is not None:
        stop = as_of if stop is None else min(stop, as_of)
    return unidentified_others(user, start, stop)


def _has(kind: str):
    return Exists(PersonVulnerability.objects.filter(person=OuterRef("pk"), kind=kind))


# Outcomes reported in the headline: (key, filter value); their words are
# ``labels.FIGURE_WORDS[key]``. Which statuses each counts is a fact of the status
# (``STATUS_FACTS[...].outcome``).
_OUTCOME_FILTERS = [
    ("returned", Status.RETURNED),
    ("in_custody", IN_CUSTODY_CHOICE),
    ("released", Status.RELEASED),
    ("in_safe_country", Status.IN_SAFE_COUNTRY),
    ("at_large", Status.AT_LARGE),
    ("deceased", Status.DECEASED),
    ("fate_unknown", FATE_UNKNOWN_CHOICE),
]
# (key, statuses, filter value)
OUTCOMES = [
    (key, sorted(s for s, facts in STATUS_FACTS.items() if facts.outcome == key), value)
    for key, value in _OUTCOME_FILTERS
]


@dataclass
class BoardPeople:
    """Who a board view counts: ``queryset`` holds them all (for the rows it lists).

    When ``tally`` is set, the open unrestricted cases among them are counted from the
    board tallies with that condition, and only the restricted cases the user may see
    are counted from their records; otherwise everyone is counted from the records.
    """

    queryset: QuerySet[Person]
    tally: TallyCondition | None = None
    # With ``tally``: the restricted cases among ``queryset`` that the user may see.
    restricted: QuerySet[Person] | None = None
    # The only stored statuses the view holds, when its filter says so.
    statuses: tuple[str, ...] | None = None
    # A day everyone in the view was last heard before, when its filter says so (stale).
    heard_before: datetime.date | None = None

    @cached_property
    def facilities(self) -> dict[int, tuple[str, bool, str]]:
        """Province, border point and country of every facility, by the tallies'
        facility keys."""
        rows = Facility.objects.values_list("pk", "province", "border_point", "country")
        return {pk: (province, border, country) for pk, province, border, country in rows}

    @property
    def from_records(self) -> QuerySet[Person]:
        if self.tally is None:
            return self.queryset
        return self.restricted

    @property
    def any_from_records(self) -> bool:
        """False when everyone is tallied: then no query over records is even built."""
        return not self.from_records.query.is_empty()

    @cached_property
    def tallied_state(self) -> list[tuple[str, int, bool, int, int]]:
        """(status, facility key, stale, people, of whom at risk) of the tallied people:
        one read serves the list's length, both panels, the provinces and the charts."""
        border = [pk for pk, (_, border, _) in self.facilities.items() if border]
        rows = (
            self.tally.status_tallies()
            .values_list("status", "facility_key", "stale")
            .annotate(people=Sum("n"), at_risk=Sum("n", filter=at_risk_tallied(border)))
            .order_by()
        )
        return [(status, key, stale, n, at_risk or 0) for status, key, stale, n, at_risk in rows]

    def may_include_never_heard_of(self) -> bool:
        """Whether anyone here has no news at all. Finding the people without a stored
        status means searching every person; the tallies say at once if there is none."""
        if self.tally is None:
            return True
        never = any(n for status, _, _, n, _ in self.tallied_state if status == "")
        return never or (
            self.any_from_records and self.restricted.filter(current__isnull=True).exists()
        )


def board_people(user: User, filterset) -> BoardPeople:
    """The people of ``filterset`` (a valid BoardFilter on ``board_persons(user)``).

    Tallied views first bring the tallies' staleness to today: the nightly task has
    usually done so, or else the first board of the day does.
    """
    # The people first: a bound drawn after them is never for an earlier day than their
    # staleness (should midnight pass in between), so it can only let more through.
    queryset = filterset.qs
    known = {"statuses": filterset.statuses_chosen(), "heard_before": filterset.heard_before()}
    if not sees_every_unrestricted_case(user):
        return BoardPeople(queryset, **known)
    tally = filterset.tally_condition()
    if tally is None:
        return BoardPeople(queryset, **known)
    tallies_roll()
    restricted = restricted_visible_to(user, queryset)
    return BoardPeople(queryset, tally, restricted, **known)


def _people(people: "BoardPeople | QuerySet[Person]") -> BoardPeople:
    return people if isinstance(people, BoardPeople) else BoardPeople(people)


def board_count(people: "BoardPeople | QuerySet[Person]") -> int:
    """How many people the view lists: exact from the tallies, else capped."""
    people = _people(people)
    if people.tally is None:
        return capped_count(people.queryset, COUNT_CAP)
    tallied = sum(row[3] for row in people.tallied_state)
    return tallied + (people.from_records.count() if people.any_from_records else 0)


def headline_counts_add(n: Counter, rows) -> None:
    """Add people to the headline's counters: rows of (status, sex, age band, unclear,
    child, infant, elderly, how many)."""
    outcomes = [(key, frozenset(str(s) for s in statuses)) for key, statuses, *_ in OUTCOMES]
    unknown_age, female, unknown_sex = AgeBand.UNKNOWN.value, Sex.FEMALE.value, Sex.UNKNOWN.value
    for status, sex, age_band, is_unclear, child, infant, elderly, weight in rows:
        n["total"] += weight
        n["unclear"] += weight * bool(is_unclear)
        if age_band == unknown_age and not (child or infant or elderly):
            n["age_unknown"] += weight
        n["elderly_sex_unknown"] += weight * (bool(elderly) and sex == unknown_sex)
        n["children"] += weight * bool(child)
        n["infants"] += weight * bool(infant)
        n["elderly_women"] += weight * (bool(elderly) and sex == female)
        for key, statuses in outcomes:
            if status in statuses:
                n[key] += weight


def _headline_tallied(people: BoardPeople):
    rows = (
        people.tally.status_tallies()
        .filter(ever_detained=True)
        .values_list("status", "sex", "age_band", "unclear", "vulnerabilities")
        .annotate(weight=Sum("n"))
        .order_by()
    )
    child, infant, elderly = (
        vulnerability_bit(kind)
        for kind in (Vulnerability.CHILD, Vulnerability.INFANT, Vulnerability.ELDERLY)
    )
    child_age, infant_age, elderly_age = (
        AgeBand.CHILD.value,
        AgeBand.INFANT.value,
        AgeBand.ELDERLY.value,
    )
    for status, sex, age_band, unclear, mask, weight in rows:
        yield (
            status,
            sex,
            age_band,
            unclear,
            bool(mask & child) or age_band == child_age,
            bool(mask & infant) or age_band == infant_age,
            bool(mask & elderly) or age_band == elderly_age,
            weight,
        )


def detained_in_period(
    queryset: QuerySet[Person], start, stop, as_of: datetime.date | None = None
) -> QuerySet[Person]:
    """The people of ``queryset`` newly detained within [start, stop] (either open),
    annotated with what the headline counts of each: ``status_counted`` (the current
    status, or with ``as_of`` the status at the end of that day), ``unclear``, ``child``,
    ``infant``, ``elderly``. With ``as_of``, nothing recorded after it counts: the
    period ends there at the latest."""
    if as_of is not None:
        stop = as_of if stop is None else min(stop, as_of)
    held = detentions_between(start, stop)
    unclear = held.filter(
        Q(confidence=Confidence.UNVERIFIED)
        | Q(date_precision__in=[DatePrecision.APPROXIMATE, DatePrecision.YEAR])
    )
    people = queryset.filter(Exists(held))
    if as_of is None:
        people = people.annotate(status_counted=F("current_status"))
    else:
        people = people.with_status_as_of(as_of).annotate(status_counted=F("status_as_of"))
    return people.annotate(
        unclear=Exists(unclear),
        child=_has(Vulnerability.CHILD) | Q(age_band=AgeBand.CHILD),
        infant=_has(Vulnerability.INFANT) | Q(age_band=AgeBand.INFANT),
        elderly=_has(Vulnerability.ELDERLY) | Q(age_band=AgeBand.ELDERLY),
    )


# What the headline counts of each person, in ``headline_counts_add``' order.
HEADLINE_COLUMNS = ("status_counted", "sex", "age_band", "unclear", "child", "infant", "elderly")


def _headline_from_records(queryset: QuerySet[Person], start, stop, as_of=None):
    # One small row per person; counted here rather than by an aggregate over subquery
    # annotations, which Django wraps in a subquery that drops Exists columns.
    rows = detained_in_period(queryset, start, stop, as_of).order_by()
    for row in rows.values_list(*HEADLINE_COLUMNS):
        yield (*row, 1)


def board_headline(
    people: "BoardPeople | QuerySet[Person]",
    *,
    start: datetime.date | None = None,
    stop: datetime.date | None = None,
    as_of: datetime.date | None = None,
    others: int = 0,
) -> Headline:
    """The headline figures of ``people``, in one or two queries.

    ``as_of``: the statuses at the end of that day, from the events recorded up to it
    (counted from records; a tallied view holds today's statuses only). ``others``:
    unidentified others of groups detained in the period, who count towards the total.

    Who is counted: every person with a custody event (detained, transferred or at
    risk of return) dated within the period — unverified reports included, since
    advocates publish reported detentions as reported.

    When a figure reads "at least" (a lower bound, because the records are incomplete):
    - the total, when any person counted rests on a detention record that is unverified
      or dated only approximately or to the year: such records are the sign of patchy
      reporting, and an imprecise date may fall on either side of the period's edges;
    - every outcome (returned, still in detention, released, ...), when any person
      counted has an unknown status or has disappeared: each of them may belong to it
      (the "fate unknown" figure itself is exact);
    - children and babies, when any person counted has neither an age band nor the
      vulnerability recorded (their age is unknown); elderly women likewise, or when
      the sex of an elderly person is unknown.
    Outcomes of 0 are left out except "returned" and "still in detention"; vulnerability
    figures of 0 are left out.
    """
    people = _people(people)
    n: Counter = Counter()
    if people.tally is not None:
        # The tallies hold no period and no past statuses; a view with either is never
        # tallied.
        if as_of is not None:
            raise ValueError("A tallied view holds today's statuses, not those of as_of.")
        headline_counts_add(n, _headline_tallied(people))
    if people.any_from_records:
        headline_counts_add(n, _headline_from_records(people.from_records, start, stop, as_of))
    n["others"] = others
    return headline_from_counts(n, start=start, stop=stop, as_of=as_of)


def headline_from_counts(
    n: Counter,
    *,
    start: datetime.date | None = None,
    stop: datetime.date | None = None,
    as_of: datetime.date | None = None,
) -> Headline:
    """The headline's figures from its counters (``headline_counts_add``, plus ``others``:
    unidentified people, who count in the total and leave every other figure open)."""
    others = n["others"]
    period = {}
    if start:
        period["detained_after"] = start.isoformat()
    if stop:
        period["detained_before"] = stop.isoformat()
    if as_of:
        period["as_of"] = as_of.isoformat()
    scope = period or {"ever_detained": "true"}
    outcomes_open = n["fate_unknown"] > 0 or others > 0
    outcomes = [
        Figure(
            key=key,
            n=n[key],
            at_least=outcomes_open and key != "fate_unknown",
            params={**scope, "status": value},
        )
        for key, _statuses, value in OUTCOMES
        if n[key] or key in ("returned", "in_custody")
    ]
    age_open = n["age_unknown"] > 0 or others > 0
    including = [
        Figure(
            "children",
            n["children"],
            age_open,
            {**scope, "vulnerability": Vulnerability.CHILD},
        ),
        Figure(
            "infants",
            n["infants"],
            age_open,
            {**scope, "vulnerability": Vulnerability.INFANT},
        ),
        Figure(
            "elderly_women",
            n["elderly_women"],
            age_open or n["elderly_sex_unknown"] > 0,
            {**scope, "vulnerability": Vulnerability.ELDERLY, "sex": Sex.FEMALE},
        ),
    ]
    total = Figure("total", n["total"] + others, n["unclear"] > 0 or others > 0, scope)
    return Headline(
        start=start, stop=stop, total=total, outcomes=outcomes, including=including, as_of=as_of
    )


def _walk_last_heard(
    queryset: QuerySet[Person],
    *,
    newest_first: bool,
    limit: int = PANEL_SIZE,
    offset: int = 0,
    known: "BoardPeople | None" = None,
) -> list[Person]:
    """The first people of ``queryset`` in last-heard order (then by id).

    What is ``known`` of them helps the walk: the only statuses the queryset holds let
    one status walk its own index, and a day everyone was last heard before (a stale
    view) starts the newest-first walk there rather than at the news of today.

    PostgreSQL walks the last-heard index by itself and stops after ``limit``. SQLite's
    planner instead gathers everyone who matches an indexable condition (at risk,
    stale) and sorts them all to show ten, so there the walk is spelled out: the stored
    statuses in index order, each tested against ``queryset``, then the rows (two
    queries). The other way round, PostgreSQL runs the spelled-out walk slowly.
    """
    queryset = queryset.defer(*UNSHOWN)
    if connection.vendor != "sqlite":
        heard = F("current__occurred_on")
        order = (heard.desc(), "-id") if newest_first else (heard.asc(), "id")
        return list(queryset.order_by(*order)[offset : offset + limit])
    order = ("-occurred_on", "-person_id") if newest_first else ("occurred_on", "person_id")
    stored = CurrentStatus.objects.all()
    if known is not None and known.statuses is not None and len(known.statuses) == 1:
        stored = stored.filter(status=known.statuses[0])
    if known is not None and known.heard_before is not None:
        stored = stored.filter(occurred_on__lt=known.heard_before)
    ids = list(
        stored.filter(Exists(queryset.filter(pk=OuterRef("person_id"))))
        .order_by(*order)
        .values_list("person_id", flat=True)[offset : offset + limit]
    )
    rows = queryset.in_bulk(ids) if ids else {}
    return [rows[pk] for pk in ids]


def board_at_risk(people: "BoardPeople | QuerySet[Person]") -> tuple[int, list[Person]]:
    """People at a border facility, marked at risk or with a return date: newest news first."""
    people = _people(people)
    count = people.from_records.at_risk().count() if people.any_from_records else 0
    if people.tally is not None:
        count += sum(row[4] for row in people.tallied_state)
    at_risk = people.queryset.at_risk()
    return count, _walk_last_heard(at_risk, newest_first=True, known=people)


def board_stale(people: "BoardPeople | QuerySet[Person]", today: datetime.date | None = None):
    """People with no news for longer than their status allows: longest silence first."""
    people = _people(people)
    stale = people.queryset.stale(today)
    # Never heard of first, then the longest silence: two index walks, not one sort.
    rows = []
    if people.may_include_never_heard_of():
        rows = list(stale.filter(current__isnull=True).order_by("id")[:PANEL_SIZE])
    if len(rows) < PANEL_SIZE:
        heard = stale.filter(current__isnull=False)
        rows += _walk_last_heard(
            heard, newest_first=False, limit=PANEL_SIZE - len(rows), known=people
        )
    if people.tally is None:
        return capped_count(stale, COUNT_CAP), rows
    tallied = sum(n for _, _, is_stale, n, _ in people.tallied_state if is_stale)
    count = tallied + (people.restricted.stale(today).count() if people.any_from_records else 0)
    return count, rows


def _places_ordered(n: Counter) -> list[tuple[str, int]]:
    """Places by how many people, most first; an unknown place last among equals."""
    unknown = gettext("Unknown place")
    ordered = sorted(n.items(), key=lambda item: (-item[1], item[0] == unknown, item[0]))
    return [(place, count) for place, count in ordered if count]


def board_by_province(people: "BoardPeople | QuerySet[Person]") -> list[tuple[str, int]]:
    """How many people are in each place now, by the one rule of
    ``places.place_now_display``: their facility's province, "Returned to North Korea"
    for those returned, the country reached for those in a safe country (one GROUP BY
    query over the records, none more over the tallies)."""
    people = _people(people)
    n: Counter = Counter()
    if people.any_from_records:
        rows = people.from_records.order_by().values_list(
            "current_status", "current_province", "current_country"
        )
        for status, province, country, count in rows.annotate(n=Count("pk")):
            n[place_now_display(status, province, country)] += count
    if people.tally is not None:
        for status, facility_key, _, count, _ in people.tallied_state:
            province, _, country = people.facilities.get(facility_key, ("", False, ""))
            n[place_now_display(status, province, country)] += count
    return _places_ordered(n)


def board_by_arrest_province(people: "BoardPeople | QuerySet[Person]") -> list[tuple[str, int]]:
    """How many of the people ever detained were arrested in each province: where their
    latest custody episode began (``CurrentStatus.arrest_facility``), wherever they are
    now. One GROUP BY query over the records, one over the tallies."""
    people = _people(people)
    unknown = gettext("Unknown place")
    n: Counter = Counter()
    if people.any_from_records:
        held = people.from_records.filter(Exists(detentions_between(None, None)))
        rows = held.order_by().values_list("arrest_province").annotate(n=Count("pk"))
        for province, count in rows:
            n[province_display(province) or unknown] += count
    if people.tally is not None:
        rows = (
            people.tally.status_tallies()
            .filter(ever_detained=True)
            .values_list("arrest_key")
            .annotate(people=Sum("n"))
            .order_by()
        )
        for arrest_key, count in rows:
            province = people.facilities.get(arrest_key, ("", False, ""))[0]
            n[province_display(province) or unknown] += count
    return _places_ordered(n)


def _month_ends(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        months.append(datetime.date(next_year, next_month, 1) - datetime.timedelta(days=1))
        year, month = next_year, next_month
    return months


@dataclass
class Charts:
    """The charts' series, with every word in the active language."""

    months: list[str]  # "July 2024" (YEAR_MONTH_FORMAT)
    series: list[tuple[str, str, list[int]]]  # (status, its short name, count each month)
    transitions: list[tuple[str, int]]  # ("Detained → Released", how often)

    @property
    def by_status(self) -> dict[str, list[int]]:
        """Counts each month by the status's short name."""
        return {label: counts for _status, label, counts in self.series}


def _transitions_from_records(queryset: QuerySet[Person]) -> dict[int, list[tuple]]:
    events = (
        CustodyEvent.objects.filter(person__in=queryset.order_by().values("pk"))
        .order_by("person_id", "occurred_on", "id")
        .values_list("person_id", "occurred_on", "status")
    )
    timelines: dict[int, list[tuple[datetime.date, str]]] = {}
    for person_id, occurred_on, status in events:
        timelines.setdefault(person_id, []).append((occurred_on, status))
    return timelines


def board_charts(
    people: "BoardPeople | QuerySet[Person]",
    *,
    start: datetime.date | None = None,
    stop: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Charts:
    """People by status month by month, and how often one status followed another.

    The month-end status of a person is the status of their latest event on or before
    that day. Transitions count consecutive events of a person whose statuses differ,
    with the later event inside the period and inside the months shown (at most the
    last ``MAX_MONTHS``). Tallied people are counted as their current status minus the
    changes after each month's end; the others from their timelines (one query), and
    everyone from their timelines in a view of a place of arrest with other filters,
    which no scope of the changes' tallies holds.
    """
    people = _people(people)
    today = today or timezone.localdate()
    changes_tallied = people.tally is not None and people.tally.changes_tallied
    if people.tally is not None and not changes_tallied:
        # No scope of the changes holds a place of arrest and more: from the records.
        timelines = _transitions_from_records(people.queryset)
    elif people.any_from_records:
        timelines = _transitions_from_records(people.from_records)
    else:
        timelines = {}
    firsts = [t[0][0] for t in timelines.values()]
    if changes_tallied:
        tallied_first = (
            people.tally.transition_tallies().filter(before="").aggregate(first=Min("month"))
        )["first"]
        firsts += [tallied_first] if tallied_first else []
    last = min(stop or today, today)
    first = start or min(firsts, default=last)
    month_ends = _month_ends(first, last)[-MAX_MONTHS:]
    shown_from = month_ends[0].replace(day=1) if month_ends else last
    by_status: dict[str, list[int]] = {s.value: [0] * len(month_ends) for s in Status}
    transitions: Counter = Counter()

    for timeline in timelines.values():
        index = 0
        status = None
        for i, month_end in enumerate(month_ends):
            while index < len(timeline) and timeline[index][0] <= month_end:
                status = timeline[index][1]
                index += 1
            if status is not None:
                by_status[status][i] += 1
        for (_, before), (on, after) in zip(timeline, timeline[1:], strict=False):
            in_period = (start is None or on >= start) and (stop is None or on <= stop)
            if before != after and in_period and shown_from <= on <= last:
                transitions[(before, after)] += 1

    if changes_tallied and month_ends:
        _charts_tallied(people, month_ends, by_status, transitions)

    labels = {s.value: status_short(s.value) for s in Status}
    # The twelve most frequent; ties broken by name, so the cut does not depend on the
    # order in which the counts were added.
    top = sorted(((pair, n) for pair, n in transitions.items() if n), key=lambda t: (-t[1], t[0]))
    return Charts(
        months=[date_format(m, "YEAR_MONTH_FORMAT") for m in month_ends],
        series=[(s, labels[s], counts) for s, counts in by_status.items() if any(counts)],
        transitions=[
            (gettext("%(before)s → %(after)s") % {"before": labels[a], "after": labels[b]}, n)
            for (a, b), n in top[:12]
        ],
    )


def _charts_tallied(people: BoardPeople, month_ends, by_status, transitions) -> None:
    """Add the tallied people: each month's count is today's minus the changes after it."""
    shown_from = month_ends[0].replace(day=1)
    current: Counter = Counter()
    for status, _, _, n, _ in people.tallied_state:
        if status:
            current[status] += n
    changes = list(
        people.tally.transition_tallies()
        .filter(month__gte=shown_from)
        .values_list("month", "before", "after")
        .annotate(total=Sum("n"))
        .order_by()
    )
    # Sorted here, after summing: ORDER BY would make the database sort every tally row
    # before summing them, where summing first leaves only the months to sort.
    changes.sort(key=lambda change: change[0], reverse=True)
    later: Counter = Counter()  # net arrivals in each status after the month in hand
    taken = 0  # changes (newest first) already in ``later``
    for i in range(len(month_ends) - 1, -1, -1):
        while taken < len(changes) and changes[taken][0] > month_ends[i]:
            _, before, after, n = changes[taken]
            later[after] += n
            later[before] -= n
            taken += 1
        for status, counts in by_status.items():
            counts[i] += current.get(status, 0) - later[status]
    for _, before, after, n in changes:
        if before and before != after:
            transitions[(before, after)] += n
