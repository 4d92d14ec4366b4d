"""The report: the figures of one or more periods as they stood at the end of a day, in
the form human-rights organisations publish them ("at least N detained between July and
June, of whom at least R were returned; M more detained since; N+M in all").

Every figure counts people newly detained in a period (the start of a custody episode,
``CustodyEvent.objects.custody_episode_starts``), with their status at the end of the
as-of day (``Person.objects.with_status_as_of``), by the province where the detention
that began in the period took place. A person detained anew in two periods counts in
each, so the periods add up to the whole. Counted from the records, never from the
board's tallies, which hold today's statuses only.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.board.labels import FIGURE_WORDS
from casework.board.selectors import (
    HEADLINE_COLUMNS,
    OUTCOMES,
    SMALL_COUNT,
    Headline,
    detained_in_period,
    headline_counts_add,
    headline_from_counts,
)
from casework.cases.enums import Status
from casework.cases.models import CustodyEvent, Person
from casework.cases.places import province_display
from casework.cases.state import IN_CUSTODY

# A report shows at most this many periods side by side.
MAX_PERIODS = 3

# Events counted as events: each a change into the state it names, on the day it was
# recorded to have happened; news that repeats the status is not a new event.
EVENT_KINDS = [
    (
        "newly_detained",
        _("Newly detained"),
        Q(status__in=IN_CUSTODY) & ~Q(previous_status__in=IN_CUSTODY),
    ),
    (
        "transferred",
        _("Transferred"),
        Q(status=Status.TRANSFERRED) & Q(previous_status__in=IN_CUSTODY),
    ),
    (
        "returned",
        _("Forcibly returned"),
        Q(status=Status.RETURNED) & ~Q(previous_status=Status.RETURNED),
    ),
    ("released", _("Released"), Q(status=Status.RELEASED) & ~Q(previous_status=Status.RELEASED)),
    (
        "reached_safety",
        _("Reached a safe country"),
        Q(status=Status.IN_SAFE_COUNTRY) & ~Q(previous_status=Status.IN_SAFE_COUNTRY),
    ),
    ("died", _("Died"), Q(status=Status.DECEASED) & ~Q(previous_status=Status.DECEASED)),
]

# The table's rows below the outcomes: the headline's "including" figures.
INCLUDING_KEYS = ("children", "infants", "elderly_women")


@dataclass(frozen=True)
class Period:
    start: datetime.date
    stop: datetime.date

    @property
    def label(self) -> str:
        return gettext("%(start)s – %(stop)s") % {
            "start": date_format(self.start, "DATE_FORMAT"),
            "stop": date_format(self.stop, "DATE_FORMAT"),
        }


@dataclass
class TableRow:
    key: str
    label: str
    cells: list[int]
    total: int


@dataclass
class PeriodReport:
    """One period's figures (or, with ``period`` None, all the periods together)."""

    label: str
    headline: Headline
    # The headline's counters by stored province of arrest ("" when not recorded).
    by_province: dict[str, Counter]
    events: dict[str, int] = field(default_factory=dict)
    period: Period | None = None

    @property
    def provinces(self) -> list[str]:
        """Provinces of arrest, most people first, the unknown place last."""
        counted = [(p, c["total"]) for p, c in self.by_province.items() if c["total"]]
        return [p for p, _ in sorted(counted, key=lambda pc: (pc[0] == "", -pc[1], pc[0]))]

    @property
    def province_labels(self) -> list[str]:
        unknown = gettext("Unknown place")
        return [province_display(p) or unknown for p in self.provinces]

    def table(self) -> list[TableRow]:
        """Status at the as-of day × province of arrest, then the vulnerabilities."""
        provinces = self.provinces
        rows = []
        keys = [key for key, _statuses, _value in OUTCOMES] + list(INCLUDING_KEYS)
        for key in keys:
            cells = [self.by_province[p][key] for p in provinces]
            total = sum(cells)
            if total or key in ("returned", "in_custody"):
                rows.append(TableRow(key, _row_label(key), cells, total))
        totals = [self.by_province[p]["total"] for p in provinces]
        rows.append(TableRow("total", gettext("All people detained"), totals, sum(totals)))
        return rows

    def event_rows(self) -> list[tuple[str, str, int]]:
        return [(key, str(label), self.events.get(key, 0)) for key, label, _ in EVENT_KINDS]


def _row_label(key: str) -> str:
    words = FIGURE_WORDS[key]
    return str(words.tile % {"n": 2})


@dataclass
class Report:
    as_of: datetime.date
    periods: list[PeriodReport]
    # All the periods together, when there is more than one.
    combined: PeriodReport | None

    def paragraph(self, *, suppress: bool = True) -> str:
        """The publishable paragraph: a sentence per period, then the periods together."""
        parts = [p.headline.text(suppress=suppress) for p in self.periods]
        if self.combined is not None:
            parts.append(self.combined.headline.text(suppress=suppress))
        return " ".join(parts)

    @property
    def sections(self) -> list[PeriodReport]:
        return self.periods + ([self.combined] if self.combined is not None else [])


def shown(n: int, *, suppress: bool) -> str:
    """A table cell: counts under ``SMALL_COUNT`` as "<3" when suppressed."""
    if suppress and 0 < n < SMALL_COUNT:
        return f"<{SMALL_COUNT}"
    return str(n)


def _period_counts(
    queryset: QuerySet[Person], period: Period, as_of: datetime.date
) -> dict[str, Counter]:
    """The headline's counters of the people newly detained in ``period``, by the
    province of the detention that began in it (one query)."""
    starts = (
        CustodyEvent.objects.custody_episode_starts()
        .filter(person=OuterRef("pk"), occurred_on__gte=period.start, occurred_on__lte=period.stop)
        .order_by("occurred_on", "id")
        .values("facility__province")[:1]
    )
    people = detained_in_period(queryset, period.start, period.stop, as_of).annotate(
        arrest_province=Coalesce(Subquery(starts), Value(""))
    )
    rows = (
        people.order_by()
        .values_list("arrest_province", *HEADLINE_COLUMNS)
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_province: dict[str, Counter] = {}
    for province, *row, n in rows:
        headline_counts_add(by_province.setdefault(province, Counter()), [(*row, n)])
    return by_province


def _period_events(
    queryset: QuerySet[Person], period: Period, as_of: datetime.date
) -> dict[str, int]:
    """Events of each kind (``EVENT_KINDS``) dated within ``period`` (one query)."""
    stop = min(period.stop, as_of)
    events = (
        CustodyEvent.objects.filter(person__in=queryset.order_by().values("pk"))
        .filter(occurred_on__gte=period.start, occurred_on__lte=stop)
        .with_previous_status()
    )
    return events.aggregate(
        **{key: Count("pk", filter=condition) for key, _label, condition in EVENT_KINDS}
    )


def _summed(counters: list[dict[str, Counter]]) -> dict[str, Counter]:
    total: dict[str, Counter] = {}
    for by_province in counters:
        for province, counter in by_province.items():
            total.setdefault(province, Counter()).update(counter)
    return total


def report_build(
    queryset: QuerySet[Person],
    periods: list[Period],
    as_of: datetime.date,
    *,
    others: list[int] | None = None,
) -> Report:
    """The report of ``queryset`` (people the reader may see, with ``with_current``) for
    ``periods`` (at most ``MAX_PERIODS``, none after ``as_of``), as of ``as_of``; two
    queries a period. ``others``: unidentified others of groups detained in each period.
    """
    others = others or [0] * len(periods)
    sections = []
    for period, unidentified in zip(periods, others, strict=True):
        by_province = _period_counts(queryset, period, as_of)
        sections.append(
            PeriodReport(
                label=period.label,
                headline=_headline(by_province, unidentified, period.start, period.stop, as_of),
                by_province=by_province,
                events=_period_events(queryset, period, as_of),
                period=period,
            )
        )
    combined = None
    if len(sections) > 1:
        by_province = _summed([s.by_province for s in sections])
        events = Counter()
        for section in sections:
            events.update(section.events)
        combined = PeriodReport(
            label=gettext("In all these periods"),
            headline=_headline(
                by_province,
                sum(others),
                min(p.start for p in periods),
                max(p.stop for p in periods),
                as_of,
                together=True,
            ),
            by_province=by_province,
            events=dict(events),
        )
    return Report(as_of=as_of, periods=sections, combined=combined)


def _headline(
    by_province: dict[str, Counter],
    others: int,
    start: datetime.date,
    stop: datetime.date,
    as_of: datetime.date,
    *,
    together: bool = False,
) -> Headline:
    n = Counter()
    for counter in by_province.values():
        n.update(counter)
    n["others"] = others
    headline = headline_from_counts(n, start=start, stop=stop, as_of=as_of)
    if together:
        return headline.together()
    return headline


def report_sheet(report: Report, *, suppress: bool) -> list[list[str]]:
    """The report's tables as rows of a spreadsheet, in the reader's language: for each
    period a heading row, the status × province of arrest table, the events, and a
    blank row. Cells are text (``board.exports`` neutralises or types them)."""
    as_of = date_format(report.as_of, "DATE_FORMAT")
    rows: list[list[str]] = [
        [gettext("Figures as of the end of %(day)s") % {"day": as_of}],
        [],
    ]
    for section in report.sections:
        rows.append([section.label, *section.province_labels, gettext("Total")])
        for row in section.table():
            rows.append(
                [
                    row.label,
                    *(shown(n, suppress=suppress) for n in row.cells),
                    shown(row.total, suppress=suppress),
                ]
            )
        rows.append([gettext("Events in the period"), gettext("Number")])
        for _key, label, n in section.event_rows():
            rows.append([label, shown(n, suppress=suppress)])
        rows.append([])
    rows.append([report.paragraph(suppress=suppress)])
    return rows
