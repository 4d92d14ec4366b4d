"""The board's kept counts: what each counted person adds to ``StatusTally`` and
``TransitionTally``, kept up to date by the code paths that change a person, and rebuilt
from the records on demand.

One rule, ``_contributions``, says what a person adds; keeping the tallies applies the
difference between a person's contribution before and after a change
(``tallies_kept``), and the rebuild sums it over everyone. So the kept counts and the
rebuild cannot disagree unless something wrote records behind the services' back,
which ``rebuild_board_tallies --check`` reports.
"""

import datetime
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from casework.cases.bulk import rows_insert
from casework.cases.enums import Confidence, DatePrecision, Status, Vulnerability
from casework.cases.models import (
    CurrentStatus,
    CustodyEvent,
    Person,
    PersonVulnerability,
    StatusTally,
    TallyDay,
    TransitionTally,
    stale_on,
)
from casework.cases.state import IN_CUSTODY, stale_limits

# The key columns of a transition row whose scope does not hold them.
NEUTRAL = ("", 0, False, 0, False, False)
LOOSE_PRECISION = frozenset({DatePrecision.APPROXIMATE, DatePrecision.YEAR})
# People read per round of the rebuild: bounds its memory, not its result.
REBUILD_BATCH = 10_000


# Each kind's bit in the tallies' ``vulnerabilities`` mask, in the vocabulary's order.
VULNERABILITY_BITS = {kind: 1 << i for i, kind in enumerate(Vulnerability.values)}


def vulnerability_bit(kind: str) -> int:
    """The bit of ``kind`` in the tallies' ``vulnerabilities`` mask."""
    return VULNERABILITY_BITS[kind]


def vulnerability_masks_with(kind: str) -> list[int]:
    """Every mask that holds ``kind``: a filter on them is an IN list an index can serve."""
    bit = vulnerability_bit(kind)
    return [mask for mask in range(1 << len(VULNERABILITY_BITS)) if mask & bit]


@dataclass(frozen=True)
class TallyCondition:
    """A board view as a condition on the tallies: on the current state's columns, at
    most one vulnerability, and the facilities of a place of arrest (``arrested_at``,
    None for any). Picks the narrowest transition scope that holds them; no scope holds
    a place of arrest together with a state or a vulnerability, so such a view has no
    ``transition_tallies`` (``changes_tallied`` is False)."""

    state: Q = field(default_factory=Q)
    vulnerability: str | None = None
    arrested_at: tuple[int, ...] | None = None

    def status_tallies(self) -> QuerySet[StatusTally]:
        rows = StatusTally.objects.filter(self.state)
        if self.arrested_at is not None:
            rows = rows.filter(arrest_key__in=self.arrested_at)
        if self.vulnerability:
            rows = rows.filter(vulnerabilities__in=vulnerability_masks_with(self.vulnerability))
        return rows

    @property
    def changes_tallied(self) -> bool:
        """Whether the transition tallies can answer this view (its status changes)."""
        return self.arrested_at is None or not (self.state or self.vulnerability)

    def transition_tallies(self) -> QuerySet[TransitionTally]:
        if not self.changes_tallied:
            raise ValueError("No transition scope holds a place of arrest with more.")
        rows = TransitionTally.objects
        if self.arrested_at is not None:
            return rows.filter(scope=TransitionTally.ARREST, facility_key__in=self.arrested_at)
        if self.vulnerability and self.state:
            masks = vulnerability_masks_with(self.vulnerability)
            return rows.filter(self.state, scope=TransitionTally.FULL, vulnerabilities__in=masks)
        if self.vulnerability:
            return rows.filter(scope=self.vulnerability)
        if self.state:
            return rows.filter(self.state, scope=TransitionTally.STATE)
        return rows.filter(scope=TransitionTally.ALL)


class Contributions:
    """Rows of the two tallies with how many people each gets (a signed difference)."""

    def __init__(self) -> None:
        self.status: Counter = Counter()
        self.transitions: Counter = Counter()

    def __sub__(self, other: "Contributions") -> "Contributions":
        difference = Contributions()
        difference.status.update(self.status)
        difference.status.subtract(other.status)
        difference.transitions.update(self.transitions)
        difference.transitions.subtract(other.transitions)
        return difference

    def __bool__(self) -> bool:
        return any(self.status.values()) or any(self.transitions.values())


@dataclass
class Counted:
    """What the tallies need of one counted person, read once from the records."""

    timeline: list[tuple] = field(default_factory=list)
    mask: int = 0
    sex: str = ""
    age_band: str = ""


def _counted(person_ids: Iterable[int]) -> list[Counted]:
    """Read these persons for the tallies (three queries).

    Archived and restricted cases are not counted. The timeline is in the order of the
    ``CurrentStatus`` rule (latest day, then the one recorded last, comes last).
    """
    ids = list(person_ids)
    if not ids:
        return []
    people = Person.objects.filter(pk__in=ids, archived_at__isnull=True, restricted=False)
    counted = {
        pk: Counted(sex=sex, age_band=age)
        for pk, sex, age in people.values_list("pk", "sex", "age_band")
    }
    if not counted:
        return []
    kinds = PersonVulnerability.objects.filter(person_id__in=counted).values_list(
        "person_id", "kind"
    )
    for person_id, kind in kinds:
        counted[person_id].mask |= vulnerability_bit(kind)
    events = (
        CustodyEvent.objects.filter(person_id__in=counted)
        .order_by("person_id", "occurred_on", "id")
        .values_list(
            "person_id",
            "occurred_on",
            "status",
            "facility_id",
            "planned_on",
            "confidence",
            "date_precision",
        )
    )
    for person_id, *event in events.iterator(chunk_size=20_000):
        counted[person_id].timeline.append(event)
    return list(counted.values())


def _contributions(
    people: list[Counted], day: datetime.date, limits: dict[str, int] | None = None
) -> Contributions:
    """What these people add to the tallies, with staleness judged on ``day`` by
    ``limits`` (the current rules when not given)."""
    limits = stale_limits() if limits is None else limits
    result = Contributions()
    for person in people:
        _add_person(result, person, day, limits)
    return result


def _add_person(
    result: Contributions, person: Counted, day: datetime.date, limits: dict[str, int]
) -> None:
    timeline, mask = person.timeline, person.mask
    if timeline:
        heard_on, status, facility_id, planned_on, _, _ = timeline[-1]
        current = (status, facility_id or 0, planned_on is not None, mask)
        stale = stale_on(status, heard_on, day, limits)
    else:
        current = ("", 0, False, mask)
        stale = True
    held = [event for event in timeline if event[1] in IN_CUSTODY]
    ever_detained = bool(held)
    unclear = any(
        confidence == Confidence.UNVERIFIED or precision in LOOSE_PRECISION
        for _, _, _, _, confidence, precision in held
    )
    arrest = _arrest_key(timeline)
    result.status[
        (*current, ever_detained, stale, unclear, person.sex, person.age_band, arrest)
    ] += 1
    state = (*current[:3], 0, ever_detained, stale)
    scopes = [
        (TransitionTally.FULL, *current, ever_detained, stale),
        (TransitionTally.STATE, *state),
        (TransitionTally.ALL, *NEUTRAL),
        *((kind, *NEUTRAL) for kind, bit in VULNERABILITY_BITS.items() if mask & bit),
    ]
    if arrest:
        # The place of arrest's scope: the arrest facility in ``facility_key``.
        scopes.append((TransitionTally.ARREST, "", arrest, *NEUTRAL[2:]))
    before = ""
    for occurred_on, status, *_ in timeline:
        if status == before:
            continue
        month = occurred_on.replace(day=1)
        for scope in scopes:
            result.transitions[(*scope, month, before, status)] += 1
        before = status


def _arrest_key(timeline: list[tuple]) -> int:
    """The facility (0 for none) of the event that began the latest custody episode:
    ``CustodyEvent.objects.custody_episode_starts()`` on a timeline in its order, as
    ``CurrentStatus.arrest_facility`` holds it."""
    arrest, before = 0, ""
    for _, status, facility_id, *_ in timeline:
        if status in IN_CUSTODY and before not in IN_CUSTODY:
            arrest = facility_id or 0
        before = status
    return arrest


def _upsert_sql(model) -> str:
    # Built from model metadata only; the values travel as parameters.
    table = connection.ops.quote_name(model._meta.db_table)
    key = ", ".join(connection.ops.quote_name(name) for name in model.KEY)
    marks = ", ".join(["%s"] * (len(model.KEY) + 1))
    return (
        f"INSERT INTO {table} ({key}, n) VALUES ({marks}) "  # noqa: S608  # nosec B608
        f"ON CONFLICT ({key}) DO UPDATE SET n = {table}.n + EXCLUDED.n"
    )


def _fill(model, counter: Counter) -> None:
    """Write ``counter`` into an empty tally table, in key order: rows a board view sums
    then lie together on disk."""
    rows_insert(model, [*model.KEY, "n"], ((*key, n) for key, n in sorted(counter.items()) if n))


def _apply(difference: Contributions) -> None:
    """Add a signed difference to the tallies; rows that fall to zero are removed."""
    for model, counter in (
        (StatusTally, difference.status),
        (TransitionTally, difference.transitions),
    ):
        # Sorted, so two transactions touching the same rows lock them in one order.
        rows = sorted((*key, n) for key, n in counter.items() if n)
        if not rows:
            continue
        with connection.cursor() as cursor:
            cursor.executemany(_upsert_sql(model), rows)
        model.objects.filter(n=0).delete()


def tally_day(*, lock: bool = False) -> datetime.date:
    """The day the tallies judge staleness on. ``lock`` holds it until the transaction
    ends, so that no change to the tallies and no roll of the day overlap."""
    rows = TallyDay.objects.select_for_update() if lock else TallyDay.objects
    stamp = rows.filter(pk=1).first()
    if stamp is None:
        # Only an empty database lacks the row (the migration writes it).
        stamp, _ = TallyDay.objects.get_or_create(pk=1, defaults={"day": timezone.localdate()})
    return stamp.day


@contextmanager
def tallies_kept(person_ids: Iterable[int]) -> Iterator[set[int]]:
    """Keep the tallies right across a change to these persons (or new ones added to the set).

    Reads their contribution before the block and after it, and applies the
    difference in the same transaction; the caller holds the persons' locks (or the
    persons are new), so no other change can slip in between.
    """
    ids = set(person_ids)
    with transaction.atomic():
        day = tally_day(lock=True)
        limits = stale_limits()
        before = _contributions(_counted(ids), day, limits)
        yield ids
        _apply(_contributions(_counted(ids), day, limits) - before)


def tallies_count_new(person_ids: Iterable[int]) -> None:
    """Count persons just created (with their vulnerabilities) who are not counted yet."""
    with transaction.atomic():
        _apply(_contributions(_counted(person_ids), tally_day(lock=True)))


def tallies_forget(person_ids: Iterable[int]) -> None:
    """Take these persons out of the tallies before their records are deleted."""
    with transaction.atomic():
        _apply(Contributions() - _contributions(_counted(person_ids), tally_day(lock=True)))


def tallies_roll(today: datetime.date | None = None) -> int:
    """Judge staleness in the tallies on ``today``; return how many people moved.

    Only people whose last news crossed a status's limit between the tallies' day and
    ``today`` change; they are found on the index of status and last-heard day, so a
    daily roll reads one day of news per status.
    """
    today = today or timezone.localdate()
    if tally_day() == today:
        return 0
    with transaction.atomic():
        day = tally_day(lock=True)
        if day == today:
            return 0
        first, last = sorted((day, today))
        limits = stale_limits()
        crossed = Q()
        for status, days in limits.items():
            limit = datetime.timedelta(days=days)
            crossed |= Q(
                status=status, occurred_on__gte=first - limit, occurred_on__lt=last - limit
            )
        ids = list(CurrentStatus.objects.filter(crossed).values_list("person_id", flat=True))
        moved = 0
        for start in range(0, len(ids), REBUILD_BATCH):
            people = _counted(ids[start : start + REBUILD_BATCH])
            _apply(_contributions(people, today, limits) - _contributions(people, day, limits))
            moved += len(people)
        TallyDay.objects.filter(pk=1).update(day=today)
    return moved


def tallies_restale(statuses: Iterable[str]) -> int:
    """Count again the people in these statuses, after their staleness limit changed
    (an administrator edited a "no news" rule); returns how many were counted.

    Only rows keyed by a current status depend on the limit: those of these statuses
    are dropped and counted again from the records, so a repeat, or a run after a
    later change, leaves the same tallies.
    """
    chosen = sorted(set(statuses) & set(Status.values))
    if not chosen:
        return 0
    with transaction.atomic():
        day = tally_day(lock=True)
        limits = stale_limits()
        StatusTally.objects.filter(status__in=chosen).delete()
        TransitionTally.objects.filter(
            status__in=chosen, scope__in=[TransitionTally.FULL, TransitionTally.STATE]
        ).delete()
        ids = list(
            CurrentStatus.objects.filter(status__in=chosen)
            .order_by("person_id")
            .values_list("person_id", flat=True)
        )
        kept = Contributions()
        scoped = {TransitionTally.FULL, TransitionTally.STATE}
        for start in range(0, len(ids), REBUILD_BATCH):
            part = _contributions(_counted(ids[start : start + REBUILD_BATCH]), day, limits)
            kept.status.update({k: n for k, n in part.status.items() if k[0] in chosen})
            kept.transitions.update(
                {k: n for k, n in part.transitions.items() if k[0] in scoped and k[1] in chosen}
            )
        _apply(kept)
    return len(ids)


def _derived(day: datetime.date) -> Contributions:
    total = Contributions()
    limits = stale_limits()
    ids = Person.objects.order_by("pk").values_list("pk", flat=True)
    batch: list[int] = []
    for pk in ids.iterator(chunk_size=REBUILD_BATCH):
        batch.append(pk)
        if len(batch) == REBUILD_BATCH:
            _merge(total, _contributions(_counted(batch), day, limits))
            batch = []
    _merge(total, _contributions(_counted(batch), day, limits))
    return total


def _merge(total: Contributions, part: Contributions) -> None:
    total.status.update(part.status)
    total.transitions.update(part.transitions)


def _stored(model) -> Counter:
    rows = model.objects.values_list(*model.KEY, "n")
    return Counter({tuple(row[:-1]): row[-1] for row in rows.iterator(chunk_size=20_000)})


class TallyLoad:
    """The tallies of people a bulk load writes, counted as it writes them (by the rule
    the rebuild uses), so that the timelines just written are not read back from the
    database.

    Only people the tallies count are added: open (not archived) and unrestricted, as in
    ``_counted``. ``save`` adds them to the tallies in one transaction.
    """

    def __init__(self) -> None:
        tallies_roll()
        self.day = tally_day()
        self.limits = stale_limits()
        self.total = Contributions()

    def add(self, person: Counted, *, restricted: bool, archived: bool) -> None:
        if not restricted and not archived:
            _add_person(self.total, person, self.day, self.limits)

    def save(self) -> None:
        with transaction.atomic():
            if tally_day(lock=True) == self.day:
                if StatusTally.objects.exists() or TransitionTally.objects.exists():
                    _apply(self.total)
                else:  # a first load
                    _fill(StatusTally, self.total.status)
                    _fill(TransitionTally, self.total.transitions)
                return
        # The day turned during the load, and a roll may have judged some of these
        # people already: count everyone again instead.
        tallies_rebuild()


@transaction.atomic
def tallies_rebuild(*, check_only: bool = False) -> int:
    """Recount the tallies from the records; return how many tally rows were wrong.

    After normal use the answer is 0; anything else means records were written behind
    the services' back (a bulk load, a restore, a hand-made fix). The check judges
    staleness on the tallies' day; the rebuild first rolls the day to today.
    """
    if not check_only:
        tallies_roll()
    derived = _derived(tally_day(lock=True))
    wrong = 0
    for model, counter in (
        (StatusTally, derived.status),
        (TransitionTally, derived.transitions),
    ):
        expected = +counter
        stored = _stored(model)
        differing = {key for key in expected.keys() | stored.keys() if expected[key] != stored[key]}
        wrong += len(differing)
        if differing and not check_only:
            model.objects.all().delete()
            _fill(model, expected)
    return wrong
