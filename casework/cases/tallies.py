"""The board's kept counts: what each counted person adds to ``StatusTally`` and
``TransitionTally``, kept up to date by the code paths that change a person, and rebuilt
from the records on demand.

One rule, ``_contributions``, says what a person adds; keeping the tallies applies the
difference between a person's contribution before and after a change
(``tallies_kept``), and the rebuild sums it over everyone. So the kept counts and the
rebuild cannot disagree unless something wrote records behind the services' back,
which ``rebuild_board_tallies --check`` reports.
"""

from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from casework.cases.enums import IN_CUSTODY, Confidence, DatePrecision, Vulnerability
from casework.cases.models import (
    CustodyEvent,
    Person,
    PersonVulnerability,
    StatusTally,
    TransitionTally,
)

# The key columns of a transition row whose scope does not hold them.
NEUTRAL = ("", 0, False, 0, False)
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
    """A board view as a condition on the tallies: on the current state's columns, and
    at most one vulnerability. Picks the narrowest transition scope that holds both."""

    state: Q = field(default_factory=Q)
    vulnerability: str | None = None

    def status_tallies(self) -> QuerySet[StatusTally]:
        rows = StatusTally.objects.filter(self.state)
        if self.vulnerability:
            rows = rows.filter(vulnerabilities__in=vulnerability_masks_with(self.vulnerability))
        return rows

    def transition_tallies(self) -> QuerySet[TransitionTally]:
        rows = TransitionTally.objects
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


def _contributions(person_ids: Iterable[int]) -> Contributions:
    """What these persons add to the tallies, read from their records (three queries).

    Archived and restricted cases add nothing. The current state is the latest event
    (latest day, then the one recorded last), the same rule as ``CurrentStatus``.
    """
    ids = list(person_ids)
    result = Contributions()
    if not ids:
        return result
    people = Person.objects.filter(pk__in=ids, archived_at__isnull=True, restricted=False)
    counted = dict((pk, (sex, age)) for pk, sex, age in people.values_list("pk", "sex", "age_band"))
    if not counted:
        return result
    masks: Counter = Counter()
    kinds = PersonVulnerability.objects.filter(person_id__in=counted).values_list(
        "person_id", "kind"
    )
    for person_id, kind in kinds:
        masks[person_id] |= vulnerability_bit(kind)
    timelines: dict[int, list[tuple]] = {pk: [] for pk in counted}
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
        timelines[person_id].append(event)
    for person_id, timeline in timelines.items():
        sex, age_band = counted[person_id]
        _add_person(result, timeline, masks[person_id], sex, age_band)
    return result


def _add_person(result: Contributions, timeline: list[tuple], mask: int, sex, age_band) -> None:
    if timeline:
        _, status, facility_id, planned_on, _, _ = timeline[-1]
        current = (status, facility_id or 0, planned_on is not None, mask)
    else:
        current = ("", 0, False, mask)
    held = [event for event in timeline if event[1] in IN_CUSTODY]
    ever_detained = bool(held)
    unclear = any(
        confidence == Confidence.UNVERIFIED or precision in LOOSE_PRECISION
        for _, _, _, _, confidence, precision in held
    )
    result.status[(*current, ever_detained, unclear, sex, age_band)] += 1
    state = (*current[:3], 0, ever_detained)
    scopes = [
        (TransitionTally.FULL, *current, ever_detained),
        (TransitionTally.STATE, *state),
        (TransitionTally.ALL, *NEUTRAL),
        *((kind, *NEUTRAL) for kind, bit in VULNERABILITY_BITS.items() if mask & bit),
    ]
    before = ""
    for occurred_on, status, *_ in timeline:
        if status == before:
            continue
        month = occurred_on.replace(day=1)
        for scope in scopes:
            result.transitions[(*scope, month, before, status)] += 1
        before = status


def _upsert_sql(model) -> str:
    # Built from model metadata only; the values travel as parameters.
    table = connection.ops.quote_name(model._meta.db_table)
    key = ", ".join(connection.ops.quote_name(name) for name in model.KEY)
    marks = ", ".join(["%s"] * (len(model.KEY) + 1))
    return (
        f"INSERT INTO {table} ({key}, n) VALUES ({marks}) "  # noqa: S608  # nosec B608
        f"ON CONFLICT ({key}) DO UPDATE SET n = {table}.n + EXCLUDED.n"
    )


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


@contextmanager
def tallies_kept(person_ids: Iterable[int]) -> Iterator[set[int]]:
    """Keep the tallies right across a change to these persons (or new ones added to the set).

    Reads their contribution before the block and after it, and applies the
    difference in the same transaction; the caller holds the persons' locks (or the
    persons are new), so no other change can slip in between.
    """
    ids = set(person_ids)
    with transaction.atomic():
        before = _contributions(ids)
        yield ids
        _apply(_contributions(ids) - before)


def tallies_count_new(person_ids: Iterable[int]) -> None:
    """Count persons just created (with their vulnerabilities) who are not counted yet."""
    _apply(_contributions(person_ids))


def tallies_forget(person_ids: Iterable[int]) -> None:
    """Take these persons out of the tallies before their records are deleted."""
    _apply(Contributions() - _contributions(person_ids))


def _derived() -> Contributions:
    total = Contributions()
    ids = Person.objects.order_by("pk").values_list("pk", flat=True)
    batch: list[int] = []
    for pk in ids.iterator(chunk_size=REBUILD_BATCH):
        batch.append(pk)
        if len(batch) == REBUILD_BATCH:
            _merge(total, _contributions(batch))
            batch = []
    _merge(total, _contributions(batch))
    return total


def _merge(total: Contributions, part: Contributions) -> None:
    total.status.update(part.status)
    total.transitions.update(part.transitions)


def _stored(model) -> Counter:
    rows = model.objects.values_list(*model.KEY, "n")
    return Counter({tuple(row[:-1]): row[-1] for row in rows.iterator(chunk_size=20_000)})


@transaction.atomic
def tallies_rebuild(*, check_only: bool = False) -> int:
    """Recount the tallies from the records; return how many tally rows were wrong.

    After normal use the answer is 0; anything else means records were written behind
    the services' back (a bulk load, a restore, a hand-made fix).
    """
    derived = _derived()
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
            # In key order: rows a board view sums then lie together on disk.
            rows = [(*key, n) for key, n in sorted(expected.items())]
            with connection.cursor() as cursor:
                for start in range(0, len(rows), 5_000):
                    cursor.executemany(_upsert_sql(model), rows[start : start + 5_000])
    return wrong
