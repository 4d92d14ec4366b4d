"""What falls due, for whom, and how it is delivered.

Everything is derived from the database: the periodic sweep (``reminders_sweep``)
selects what is due with one query per rule, creates the reminders in bulk (a unique
constraint absorbs repeats) and emails the new ones, each at least once (``outbox``).
Escalations are also nudged at once, on commit of the custody event, by a Celery task
that runs the same code for the persons concerned; if the broker is unreachable the
next sweep finds them anyway. Nothing here puts an identifying value in a log line, a
task argument or an email.
"""

import datetime
import functools
import hashlib
import json
import logging
import operator
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import (
    Case,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from casework.accounts import roles
from casework.accounts.models import User
from casework.accounts.selectors import users_with_perm
from casework.cases.bulk import rows_insert_new
from casework.cases.enums import Status
from casework.cases.models import CurrentStatus, CustodyEvent, Facility, Person
from casework.cases.permissions import persons_visible_to
from casework.cases.state import IN_CUSTODY, at_risk_when, risk_reasons
from casework.reminders.enums import Audience, ClosedBecause, ReminderState, RuleKind
from casework.reminders.models import Digest, Reminder, ReminderRule, SweepMark
from casework.reminders.outbox import Outgoing, emails_deliver, language_of

logger = logging.getLogger(__name__)

# Publishing an escalation must not hold a caseworker's request for long when the
# broker is away: a couple of quick retries, then the sweep takes over.
PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}

# An email is sent only for reminders this recent, so an address added later does
# not receive a flood of old reminders.
EMAIL_WINDOW = datetime.timedelta(days=2)


class Due(NamedTuple):
    """One occurrence of a rule for one person, before recipients are chosen.

    A named tuple: a sweep makes about one per case, a million at the target size."""

    rule: ReminderRule
    person_id: int
    restricted: bool
    due_key: str


# --- who receives -------------------------------------------------------------------


def coordinators() -> QuerySet[User]:
    """Who receives escalations: the active holders of the permission, however given,
    who may see every case (a reminder names a case; one query)."""
    return users_with_perm(roles.RECEIVE_ESCALATIONS).filter(
        pk__in=users_with_perm(roles.VIEW_ALL_CASES).values("pk")
    )


def _persons_of(dues: list[Due], ids: tuple[int, int] | None) -> Q:
    """The persons of these dues: a sweep round's id range when given (a short query,
    where ten thousand ids in an IN list cost more to send than to run)."""
    if ids:
        return Q(person_id__gte=ids[0], person_id__lt=ids[1])
    return Q(person_id__in={due.person_id for due in dues})


class Audiences(NamedTuple):
    """Who may hear of the dues of a set of persons: their active caseworkers, by
    person, and the active coordinators. A sweep round reads them once for its rules."""

    caseworkers: dict[int, set[int]]
    coordinators: frozenset[int]


def _audiences(persons: Q) -> Audiences:
    return _audiences_of(*_audience_rows(persons))


def _audience_rows(persons: Q) -> tuple[list[tuple[int, int]], frozenset[int]]:
    """(person, active caseworker) pairs of these persons, and the active coordinators."""
    assigned = Person.assigned_caseworkers.through.objects.filter(persons, user__is_active=True)
    return (
        list(assigned.values_list("person_id", "user_id")),
        frozenset(coordinators().values_list("pk", flat=True)),
    )


def _audiences_of(assigned_rows: list[tuple[int, int]], coordinator_ids) -> Audiences:
    assigned: dict[int, set[int]] = defaultdict(set)
    for person_id, user_id in assigned_rows:
        assigned[person_id].add(user_id)
    return Audiences(assigned, coordinator_ids)


def _recipients(
    dues: list[Due], ids: tuple[int, int] | None = None, known: Audiences | None = None
) -> list[tuple[Due, int]]:
    """Pair each due occurrence with the users who must hear of it (two queries, none
    when the round's ``known`` audiences are given)."""
    if known is None:
        known = _audiences(_persons_of(dues, ids))
    assigned, coordinator_ids = known
    # Who each rule addresses, looked up once per rule rather than once per due.
    audiences = {
        rule.id: (
            rule.audience in (Audience.CASEWORKERS, Audience.BOTH),
            rule.audience in (Audience.COORDINATORS, Audience.BOTH),
        )
        for rule in _rules_of(dues)
    }
    nobody: frozenset[int] = frozenset()
    pairs = []
    for due in dues:
        to_caseworkers, to_coordinators = audiences[due.rule.id]
        caseworkers = assigned.get(due.person_id, nobody)
        users = caseworkers if to_caseworkers else nobody
        if to_coordinators or not caseworkers:
            # A restricted case is visible only to its assigned caseworkers.
            users = users | (coordinator_ids & caseworkers if due.restricted else coordinator_ids)
        pairs += [(due, user_id) for user_id in sorted(users)]
    return pairs


def _rules_of(dues: list[Due]) -> list[ReminderRule]:
    """The rules these dues come from (by id: hashing a million model instances is slow)."""
    return list({due.rule.id: due.rule for due in dues}.values())


# --- what is due --------------------------------------------------------------------


def _rules(kind: str) -> list[ReminderRule]:
    return list(ReminderRule.objects.filter(kind=kind, active=True))


# People per round of the sweep: bounds its memory and the length of its queries.
SWEEP_BATCH = 20_000


def _person_ranges() -> Iterator[tuple[int, int]]:
    """Ranges of person ids covering every case, ``SWEEP_BATCH`` ids each."""
    bounds = Person.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return
    for start in range(bounds["low"], bounds["high"] + 1, SWEEP_BATCH):
        yield start, start + SWEEP_BATCH


def _in_range(persons: QuerySet[Person], ids: tuple[int, int] | None) -> QuerySet[Person]:
    """The persons of one round. The range is put on the stored status too, so that the
    database reads that round's rows of both tables rather than joining all of them."""
    if ids is None:
        return persons
    low, high = ids
    return persons.filter(
        pk__gte=low, pk__lt=high, current__person_id__gte=low, current__person_id__lt=high
    )


def _never_heard_of(ids: tuple[int, int]) -> QuerySet[Person]:
    """The round's persons with no stored status. NOT EXISTS with the round's range on
    the stored status, not a LEFT JOIN: joined, PostgreSQL read every stored status."""
    low, high = ids
    heard = CurrentStatus.objects.filter(
        person_id=OuterRef("pk"), person_id__gte=low, person_id__lt=high
    )
    return Person.objects.active().filter(pk__gte=low, pk__lt=high).filter(~Exists(heard))


def _stale_dues(today: datetime.date, ids: tuple[int, int]) -> list[Due]:
    """No news for ``days`` while in ``status``: one occurrence every ``days`` days.

    A person never heard of counts as unknown since their case was opened. One round
    reads its persons once and tries every rule on them.
    """
    rules = _rules(RuleKind.STALE)
    return _stale_dues_of(today, rules, _stale_rows(ids, rules))


class SweepSince(NamedTuple):
    """What the last finished sweep covered (``SweepMark``): since it, a case can be due
    anew only if its silence entered a new period after ``day``, or its record changed
    from ``changed_from`` on."""

    day: datetime.date
    changed_from: datetime.datetime


# A write committed just after a sweep read its cases may carry a time from before that
# sweep began (its transaction was in flight), so changes are looked for from a day
# before the last sweep's start: the cases changed in a day are few.
CHANGED_MARGIN = datetime.timedelta(days=1)


class DaysSince(Func):
    """Whole days from a date to ``day``, in SQL: PostgreSQL subtracts dates, SQLite
    their Julian day numbers."""

    output_field = IntegerField()

    def __init__(self, expression, day: datetime.date):
        super().__init__(Value(day, output_field=DateField()), expression)

    def _operands(self, compiler):
        (day, day_params), (value, value_params) = map(compiler.compile, self.source_expressions)
        return day, value, [*day_params, *value_params]

    def as_sql(self, compiler, connection, **extra_context):
        day, value, params = self._operands(compiler)
        return f"(CAST({day} AS DATE) - CAST({value} AS DATE))", params

    def as_sqlite(self, compiler, connection, **extra_context):
        day, value, params = self._operands(compiler)
        return f"CAST(julianday({day}) - julianday({value}) AS INTEGER)", params


def _due_anew(
    persons: QuerySet[Person],
    rules: list[ReminderRule],
    today: datetime.date,
    since: SweepSince,
    *,
    heard_on,
    by_status: bool = True,
) -> QuerySet[Person]:
    """Of these persons, those whose stale reminders may have changed since the mark.

    A rule of ``days`` is due when the silence is longer than ``days``, its occurrence
    being ``silence // days`` (``_stale_dues_of``). Between the mark's day and today
    (``gap`` days) a new occurrence began if the silence has just passed ``days``, or if
    the remainder ``silence % days`` is under the gap: no case is read for a period it
    was reminded of already. Changed cases are read whatever their silence.
    """
    persons = persons.alias(silence=DaysSince(heard_on, today))
    gap = (today - since.day).days
    renewed = Q(pk__in=[])
    for days in sorted({rule.days for rule in rules}) if gap else ():
        persons = persons.alias(**{f"silence_mod_{days}": F("silence") % days})
        period = Q(silence__gt=days) & (
            Q(silence__lte=days + gap) | Q(**{f"silence_mod_{days}__lt": gap})
        )
        statuses = [rule.status for rule in rules if rule.days == days]
        renewed |= period & Q(current__status__in=statuses) if by_status else period
    return persons.filter(renewed | Q(updated_at__gte=since.changed_from))


def _stale_rows(
    ids: tuple[int, int],
    rules: list[ReminderRule],
    today: datetime.date | None = None,
    since: SweepSince | None = None,
) -> list[tuple]:
    """(person, restricted, status, heard on) of the round's persons in a status that a
    stale rule watches; never heard of: unknown since the case was opened. With
    ``since``, only those that may be due anew (``_due_anew``)."""
    statuses = {rule.status for rule in rules}
    if not statuses:
        return []
    heard = _in_range(Person.objects.active(), ids).filter(current__status__in=statuses)
    if since:
        heard = _due_anew(heard, rules, today, since, heard_on="current__occurred_on")
    rows = list(
        heard.order_by().values_list("pk", "restricted", "current__status", "current__occurred_on")
    )
    if Status.UNKNOWN in statuses:
        never = _never_heard_of(ids)
        if since:
            unknown = [rule for rule in rules if rule.status == Status.UNKNOWN]
            opened_on = TruncDate("created_at")
            never = _due_anew(never, unknown, today, since, heard_on=opened_on, by_status=False)
        rows += [
            (pk, restricted, Status.UNKNOWN, timezone.localtime(created_at).date())
            for pk, restricted, created_at in never.order_by().values_list(
                "pk", "restricted", "created_at"
            )
        ]
    return rows


def _stale_dues_of(today: datetime.date, rules: list[ReminderRule], rows: list[tuple]) -> list[Due]:
    # Each rule's cutoff once, not once per case.
    cutoffs: dict[str, list[tuple[ReminderRule, datetime.date]]] = defaultdict(list)
    for rule in rules:
        cutoffs[rule.status].append((rule, today - datetime.timedelta(days=rule.days)))
    dues = []
    for pk, restricted, status, since in rows:
        for rule, cutoff in cutoffs[status]:
            if since < cutoff:
                period = (today - since).days // rule.days
                dues.append(Due(rule, pk, restricted, f"since:{since.isoformat()}/{period}"))
    return dues


def _reached_since(day_field: str, since: SweepSince | None) -> Q:
    """With a mark: the dates reached after its day, or a case changed since (which may
    have moved its date, or its caseworkers)."""
    if since is None:
        return Q()
    return Q(**{f"{day_field}__gt": since.day}) | Q(updated_at__gte=since.changed_from)


def _follow_up_dues(today: datetime.date, since: SweepSince | None = None) -> list[Due]:
    dues = []
    for rule in _rules(RuleKind.FOLLOW_UP):
        rows = (
            Person.objects.active()
            .filter(follow_up_on__lte=today)
            .filter(_reached_since("follow_up_on", since))
            .order_by()
            .values_list("pk", "restricted", "follow_up_on")
        )
        dues.extend(Due(rule, pk, r, f"on:{day.isoformat()}") for pk, r, day in rows)
    return dues


def _planned_date_dues(today: datetime.date, since: SweepSince | None = None) -> list[Due]:
    dues = []
    for rule in _rules(RuleKind.PLANNED_DATE):
        rows = (
            Person.objects.active()
            .in_status(*IN_CUSTODY)
            .filter(current_planned_on__lte=today)
            .filter(_reached_since("current__planned_on", since))
            .order_by()
            .values_list("pk", "restricted", "current_planned_on")
        )
        dues.extend(Due(rule, pk, r, f"on:{day.isoformat()}") for pk, r, day in rows)
    return dues


def _letter_unanswered_dues(today: datetime.date) -> list[Due]:
    """A letter sent ``days`` ago without an answer: remind about its case (each member
    of a group), once per letter."""
    from casework.letters.models import Letter

    dues = []
    for rule in _rules(RuleKind.LETTER_UNANSWERED):
        letters = Letter.objects.awaiting_response(days=rule.days, today=today).order_by()
        for_people = letters.filter(person__isnull=False).values_list(
            "reference", "person_id", "person__restricted"
        )
        for_groups = letters.filter(group__isnull=False).values_list(
            "reference", "group__memberships__person_id", "group__memberships__person__restricted"
        )
        for reference, pk, restricted in [*for_people, *for_groups]:
            if pk is not None:
                dues.append(Due(rule, pk, restricted, f"letter:{reference}"))
    return dues


def risk_signature(*, status: str, border_point: bool | None, facility_id, planned_on) -> str:
    """What makes a person at risk right now; a new signature is a new escalation."""
    return "|".join(
        risk_reasons(
            status=status, border_point=border_point, facility_id=facility_id, planned_on=planned_on
        )
    )


def _escalation_dues(
    person_ids: Iterable[int] | None = None, ids: tuple[int, int] | None = None
) -> list[Due]:
    rules = _rules(RuleKind.ESCALATION)
    return _escalation_dues_of(rules, _escalation_rows(rules, person_ids, ids))


def _escalation_rows(
    rules: list[ReminderRule],
    person_ids: Iterable[int] | None = None,
    ids: tuple[int, int] | None = None,
    changed_from: datetime.datetime | None = None,
) -> list[tuple]:
    """(person, restricted, and what their risk is) of the persons at risk; with
    ``changed_from``, only those whose record changed since (a risk depends on nothing
    else a case's services do not bump ``updated_at`` for, nor on the day)."""
    if not rules:
        return []
    persons = _in_range(Person.objects.active(), ids).at_risk().order_by()
    if person_ids is not None:
        persons = persons.filter(pk__in=list(person_ids))
    if changed_from is not None:
        persons = persons.filter(updated_at__gte=changed_from)
    return list(
        persons.values_list(
            "pk",
            "restricted",
            "current_status",
            "current_border_point",
            "current_facility_id",
            "current_planned_on",
        )
    )


def _escalation_dues_of(rules: list[ReminderRule], rows: list[tuple]) -> list[Due]:
    dues = []
    for pk, restricted, status, border_point, facility_id, planned_on in rows:
        key = risk_signature(
            status=status, border_point=border_point, facility_id=facility_id, planned_on=planned_on
        )
        dues.extend(Due(rule, pk, restricted, key) for rule in rules)
    return dues


# --- creating and delivering --------------------------------------------------------


def _reminded_already(
    dues: list[Due], ids: tuple[int, int] | None, current: Q | None
) -> set[tuple[int, int, str, int]]:
    """(rule, person, due key, recipient) of the reminders these dues may repeat.

    Most dues of a sweep were reminded of already: reading those (one query) costs less
    than sending every row to the database to be refused. ``current`` keeps out the
    reminders of earlier occurrences, which no due of today can repeat.
    """
    return _reminders_of(_persons_of(dues, ids), Q(rule__in=_rules_of(dues)) & (current or Q()))


def _reminders_of(persons: Q, which: Q) -> set[tuple[int, int, str, int]]:
    reminders = Reminder.objects.filter(persons).filter(which).order_by()
    return set(reminders.values_list("rule_id", "person_id", "due_key", "recipient_id"))


def _stale_occurrences_current(today: datetime.date) -> Q:
    """On reminders: those a stale due of ``today`` may repeat. Today's occurrence began
    less than its rule's period ago and was reminded of on or after that day, so older
    reminders (a case silent for years collects one a week) are not read every day.
    A sweep run for a day still to come (``today`` later than the clock) wrote its
    reminders at the clock's time, so the window never starts after the clock's day."""
    day = min(today, timezone.localdate())
    starts = (
        Q(rule_id=rule.pk, created_at__gte=_start_of(day - datetime.timedelta(rule.days - 1)))
        for rule in _rules(RuleKind.STALE)
    )
    return functools.reduce(operator.or_, starts, Q(pk__in=[]))


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# What a new reminder is written with; the other columns start empty.
REMINDER_COLUMNS = ("recipient_id", "rule_id", "person_id", "due_key", "state", "created_at")
# Rows per statement: bounds the statement's size (SQLite takes one row at a time anyway).
CREATE_BATCH = 10_000


def _reminders_create(
    dues: list[Due],
    ids: tuple[int, int] | None = None,
    *,
    known: Audiences | None = None,
    existing: set[tuple[int, int, str, int]] | None = None,
) -> int:
    """Create the reminders of these dues that do not exist yet; return how many.
    ``existing``: the reminders they may repeat, when a sweep round has read them."""
    if not dues:
        return 0
    created_at = connection.ops.adapt_datetimefield_value(timezone.now())
    if existing is None:
        existing = _reminded_already(dues, ids, None)
    rows = [
        (user_id, due.rule.id, due.person_id, due.due_key, ReminderState.OPEN.value, created_at)
        for due, user_id in _recipients(dues, ids, known)
        if (due.rule.id, due.person_id, due.due_key, user_id) not in existing
    ]
    # One created meanwhile (another sweep, a retried task) is left alone.
    for start in range(0, len(rows), CREATE_BATCH):
        rows_insert_new(Reminder, REMINDER_COLUMNS, rows[start : start + CREATE_BATCH])
    return len(rows)


def reminders_email(*, person_ids: Iterable[int] | None = None) -> int:
    """Email the recent open reminders not emailed yet, each at least once (``outbox``):
    marked only once the mail server has accepted it, taken over by a later sweep when
    its sender died first. Returns how many were sent."""
    waiting = Reminder.objects.filter(
        state=ReminderState.OPEN,
        rule__send_email=True,
        created_at__gte=timezone.now() - EMAIL_WINDOW,
        recipient__is_active=True,
    ).exclude(recipient__email="")
    if person_ids is not None:
        waiting = waiting.filter(person_id__in=list(person_ids))
    return emails_deliver(waiting, _reminder_email, related=("rule", "person", "recipient"))


def _reminder_email(reminder: Reminder) -> Outgoing:
    """The case's reference, the rule and a link: never who the person is. The rule
    goes in as itself, so that the template words it in the recipient's language."""
    return Outgoing(
        name="escalation" if reminder.rule.kind == RuleKind.ESCALATION else "reminder",
        to=reminder.recipient.email,
        context={
            "reference": reminder.person.reference,
            "rule": reminder.rule,
            "reminder_id": reminder.pk,
        },
        message_id=f"reminder-{reminder.pk}",
        language=language_of(reminder.recipient),
    )


def _retry_when_locked(function, attempts: int = 4):
    """Run an idempotent step again when SQLite reports a lock held by a concurrent
    sweep (PostgreSQL waits instead); any other error, or the last one, is raised."""
    for attempt in range(1, attempts + 1):
        try:
            return function()
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts:
                raise
            time.sleep(0.1 * attempt)
    return None


def reminders_sweep(
    *, today: datetime.date | None = None, every_case: bool = False
) -> dict[str, int]:
    """The one periodic sweep: create every reminder that is due, then email them, and
    send today's digests that fell due but are still unsent.

    Safe to run any number of times, at the same time too. After a finished sweep the
    next reads only the cases that may be due anew (``SweepMark``); ``every_case``
    reads them all. Returns counts only.
    """
    day = today or timezone.localdate()
    return _retry_when_locked(lambda: _sweep(day, every_case=every_case))


class RoundRows(NamedTuple):
    """What one round of the sweep reads before it writes: its rows of persons at risk
    or silent, who hears of them, and which reminders they may repeat (one query for
    both rules, where each rule read its own)."""

    stale: list[tuple]
    at_risk: list[tuple]
    assigned: list[tuple[int, int]]
    coordinators: frozenset[int]
    # Reminders of today's stale occurrences and of escalations: what the dues may repeat.
    reminded: set[tuple[int, int, str, int]]


class SweepRules(NamedTuple):
    stale: list[ReminderRule]
    escalation: list[ReminderRule]
    current: Q


# Up to this many persons of a round are read by id; more, by the round's id range.
ROUND_BY_ID = 1_000


def _round_rows(
    ids: tuple[int, int], rules: SweepRules, today: datetime.date, since: SweepSince | None
) -> RoundRows:
    stale = _stale_rows(ids, rules.stale, today, since)
    at_risk = _escalation_rows(
        rules.escalation, ids=ids, changed_from=since.changed_from if since else None
    )
    if not stale and not at_risk:
        return RoundRows([], [], [], frozenset(), set())
    persons = _persons_of([], ids)
    read = {row[0] for row in stale} | {row[0] for row in at_risk}
    if since and len(read) <= ROUND_BY_ID:
        persons = Q(person_id__in=sorted(read))
    assigned, coordinator_ids = _audience_rows(persons)
    # The same window as ``_reminded_already`` with ``current``, for both rules at once.
    reminded = _reminders_of(persons, rules.current | Q(rule__in=rules.escalation))
    return RoundRows(stale, at_risk, assigned, coordinator_ids, reminded)


def _sweep_inputs() -> str:
    """A digest of what reminders depend on besides each case's own record: when it
    changes, a sweep must read every case again."""
    described = {
        "rules": list(
            ReminderRule.objects.filter(active=True)
            .order_by("pk")
            .values_list("pk", "kind", "status", "days", "audience")
        ),
        "active": list(User.objects.filter(is_active=True).order_by("pk").values_list("pk")),
        "coordinators": sorted(coordinators().values_list("pk", flat=True)),
        "border_points": list(
            Facility.objects.filter(border_point=True).order_by("pk").values_list("pk")
        ),
        "zone": settings.TIME_ZONE,
    }
    return hashlib.sha256(json.dumps(described, default=str).encode()).hexdigest()


def _sweep_since(today: datetime.date, inputs: str) -> SweepSince | None:
    """The last finished sweep of a day up to ``today`` with the same inputs, if any."""
    mark = SweepMark.objects.filter(day__lte=today).first()
    if mark is None or mark.inputs != inputs:
        return None
    return SweepSince(mark.day, mark.started_at - CHANGED_MARGIN)


# Marks are kept this long after a later sweep: the next sweep needs only the last.
MARKS_KEPT = datetime.timedelta(days=2)


def sweep_marks_forget() -> None:
    """After cases were written behind their services (a bulk load, a rebuild of the
    stored statuses), the next sweep reads every case."""
    SweepMark.objects.all().delete()


def _sweep(today: datetime.date, *, every_case: bool = False) -> dict[str, int]:
    started = timezone.now()
    counts = {"stale": 0, "escalation": 0}
    rules = SweepRules(
        _rules(RuleKind.STALE), _rules(RuleKind.ESCALATION), _stale_occurrences_current(today)
    )
    inputs = _sweep_inputs()
    since = None if every_case else _sweep_since(today, inputs)
    read = 0
    # The two rules that can concern every case go through the cases in rounds.
    for ids in _person_ranges():
        rows = _round_rows(ids, rules, today, since)
        read += len({row[0] for row in [*rows.stale, *rows.at_risk]})
        known = _audiences_of(rows.assigned, rows.coordinators)
        for kind, dues in (
            ("stale", _stale_dues_of(today, rules.stale, rows.stale)),
            ("escalation", _escalation_dues_of(rules.escalation, rows.at_risk)),
        ):
            counts[kind] += _reminders_create(dues, ids, known=known, existing=rows.reminded)
    for kind, dues in (
        ("follow_up", _follow_up_dues(today, since)),
        ("planned_date", _planned_date_dues(today, since)),
        # A letter's answer is no change to the case: letters are read every time.
        ("letter_unanswered", _letter_unanswered_dues(today)),
    ):
        counts[kind] = _reminders_create(dues)
    SweepMark.objects.create(day=today, started_at=started, inputs=inputs)
    SweepMark.objects.filter(started_at__lt=started - MARKS_KEPT).delete()
    counts["emailed"] = reminders_email()
    # Today's digests that fell due but were not sent (their sender died, or failed).
    counts["digests"] = digests_email(today=today)
    logger.info(
        "Reminder sweep (%s, %d cases read): %s",
        "every case" if since is None else f"since {since.day}",
        read,
        counts,
    )
    counts["cases read"] = read
    return counts


def reminders_escalate(*, event_ids: Iterable[int]) -> dict[str, int]:
    """Escalate at once the persons these events put at risk (the task's body)."""
    person_ids = set(
        CustodyEvent.objects.filter(pk__in=list(event_ids)).values_list("person_id", flat=True)
    )
    if not person_ids:
        return {"escalation": 0, "emailed": 0}

    def escalate() -> dict[str, int]:
        created = _reminders_create(_escalation_dues(person_ids))
        return {"escalation": created, "emailed": reminders_email(person_ids=person_ids)}

    return _retry_when_locked(escalate)


# The at-risk rule on the events just recorded: only those may need an escalation.
_RISKY_EVENT = at_risk_when(
    status="status",
    at_border_point=Q(facility__border_point=True),
    planned=Q(planned_on__isnull=False),
)


def escalation_on_events_recorded(event_ids: list[int]) -> None:
    """Hook run on commit of new custody events: queue the escalation task at once.

    Never raises: the events are saved already, and if the broker is unreachable the
    next sweep derives the escalation from the data.
    """
    if not event_ids:
        return
    try:
        if not CustodyEvent.objects.filter(pk__in=event_ids).filter(_RISKY_EVENT).exists():
            return
        from casework.reminders.tasks import escalate

        escalate.apply_async(
            kwargs={"event_ids": list(event_ids)}, retry=True, retry_policy=PUBLISH_RETRY_POLICY
        )
    except Exception as exc:  # noqa: BLE001 - the sweep is the safety net
        logger.warning(
            "Escalation for %d event(s) not queued (%s); the next sweep will deliver it",
            len(event_ids),
            type(exc).__name__,
        )


# --- the staleness limits -----------------------------------------------------------


def stale_rule_days() -> dict[str, int]:
    """The days of the "no news" rules by status, whether or not they remind: the one
    source of staleness for the board, its tallies, the digest and the reminders
    (registered in ``casework.cases.state.stale_rules_source``)."""
    rules = ReminderRule.objects.filter(kind=RuleKind.STALE).exclude(status="")
    return dict(rules.values_list("status", "days"))


def stale_limit_changed(*, statuses: Iterable[str]) -> None:
    """Once the change commits, have the board's tallies count the people in these
    statuses again, in the background; if the broker is unreachable, here and now (a
    rare administrator's edit, and tallies that lag would mislead the board)."""
    chosen = sorted(set(statuses))

    def queue() -> None:
        from casework.cases.tasks import recount_stale

        try:
            recount_stale.apply_async(
                kwargs={"statuses": chosen}, retry=True, retry_policy=PUBLISH_RETRY_POLICY
            )
        except Exception as exc:  # noqa: BLE001 - counted here instead
            logger.warning("Stale recount not queued (%s); counting now", type(exc).__name__)
            recount_stale(statuses=chosen)

    if chosen:
        transaction.on_commit(queue)


def _limit_of(kind: str, status: str, days) -> set[tuple[str, int]]:
    return {(status, days)} if kind == RuleKind.STALE and status else set()


def stale_rule_before_save(sender, instance: ReminderRule, **kwargs) -> None:
    """Signal: note the limit a rule set before this save (none for a new rule)."""
    before = ReminderRule.objects.filter(pk=instance.pk).values_list("kind", "status", "days")
    instance._limit_before = set().union(*(_limit_of(*row) for row in before))


def stale_rule_saved(sender, instance: ReminderRule, **kwargs) -> None:
    """Signal: whatever path changed a "no news" rule (the admin, a shell, a fixture),
    the statuses whose limit moved are counted again."""
    after = _limit_of(instance.kind, instance.status, instance.days)
    moved = after ^ getattr(instance, "_limit_before", set())
    stale_limit_changed(statuses={status for status, _ in moved})


def stale_rule_deleted(sender, instance: ReminderRule, **kwargs) -> None:
    """Signal: a deleted "no news" rule leaves its status to the default limit."""
    stale_limit_changed(
        statuses={s for s, _ in _limit_of(instance.kind, instance.status, instance.days)}
    )


# --- closing ------------------------------------------------------------------------

# The rules whose reason a custody event can end.
_ENDED_BY_NEWS = (RuleKind.STALE, RuleKind.PLANNED_DATE, RuleKind.ESCALATION)


def _ended_because(kind: str, rule_status: str, due_key: str, now: tuple) -> str | None:
    """Why a reminder's reason no longer holds for the person's current state, or None."""
    status, heard_on, planned_on, border_point, facility_id = now
    if kind == RuleKind.STALE:
        if status != rule_status:
            return ClosedBecause.STATUS_CHANGED
        since = due_key.removeprefix("since:").split("/")[0]
        return ClosedBecause.NEWS_ARRIVED if heard_on and heard_on.isoformat() != since else None
    if kind == RuleKind.PLANNED_DATE:
        if status not in IN_CUSTODY:
            return ClosedBecause.STATUS_CHANGED
        if planned_on is None or f"on:{planned_on.isoformat()}" != due_key:
            return ClosedBecause.PLANNED_MOVE_RECORDED
        return None
    signature = risk_signature(
        status=status, border_point=border_point, facility_id=facility_id, planned_on=planned_on
    )
    if signature == due_key:
        return None
    if status not in IN_CUSTODY:
        return ClosedBecause.STATUS_CHANGED
    if "border:" in due_key and "border:" not in signature:
        return ClosedBecause.LEFT_BORDER_POINT
    return ClosedBecause.RISK_CHANGED


def reminders_close_ended(person_ids: list[int]) -> int:
    """Close the pending reminders of these persons whose reason the news just recorded
    ended (silence broken, status changed, the planned move recorded, no longer at a
    border point); returns how many. Runs in the custody event's transaction, so the
    inbox never shows a reason the records no longer give."""
    pending = Reminder.objects.filter(
        person_id__in=person_ids,
        state__in=[ReminderState.OPEN, ReminderState.SNOOZED],
        rule__kind__in=_ENDED_BY_NEWS,
    ).values_list("pk", "person_id", "rule__kind", "rule__status", "due_key")
    rows = list(pending)
    if not rows:
        return 0
    now = {
        pk: tuple(rest)
        for pk, *rest in Person.objects.filter(pk__in={row[1] for row in rows})
        .with_current()
        .values_list(
            "pk",
            "current_status",
            "last_heard_on",
            "current_planned_on",
            "current_border_point",
            "current_facility_id",
        )
    }
    closing: dict[str, list[int]] = defaultdict(list)
    for pk, person_id, kind, rule_status, due_key in rows:
        because = _ended_because(kind, rule_status, due_key, now[person_id])
        if because:
            closing[because].append(pk)
    closed_at = timezone.now()
    for because, pks in closing.items():
        Reminder.objects.filter(pk__in=pks).update(
            state=ReminderState.CLOSED, closed_because=because, done_at=closed_at
        )
    return sum(map(len, closing.values()))


# How long the inbox shows the reminders that news closed.
CLOSED_SHOWN = datetime.timedelta(days=7)


def inbox_closed_for(user: User) -> QuerySet[Reminder]:
    """The user's reminders that news closed lately, for cases ``user`` may see."""
    visible = persons_visible_to(user).filter(pk=OuterRef("person_id"))
    return Reminder.objects.filter(
        Exists(visible),
        recipient=user,
        state=ReminderState.CLOSED,
        done_at__gte=timezone.now() - CLOSED_SHOWN,
    ).order_by("-done_at", "-id")


# --- inbox --------------------------------------------------------------------------


def inbox_for(user: User) -> QuerySet[Reminder]:
    """The reminders ``user`` must still act on, for cases ``user`` may see."""
    # EXISTS per reminder (a user has few), not IN over every person the user may see.
    visible = persons_visible_to(user).filter(pk=OuterRef("person_id"))
    return Reminder.objects.pending().filter(Exists(visible), recipient=user)


def inbox_ordered(reminders: QuerySet[Reminder]) -> QuerySet[Reminder]:
    """Escalations first, then the newest."""
    urgent = Case(When(rule__kind=RuleKind.ESCALATION, then=Value(0)), default=Value(1))
    return reminders.order_by(urgent, "-created_at", "-id")


@transaction.atomic
def reminder_done(*, reminder: Reminder) -> None:
    reminder.state = ReminderState.DONE
    reminder.done_at = timezone.now()
    reminder.snoozed_until = None
    reminder.save(update_fields=["state", "done_at", "snoozed_until"])


@transaction.atomic
def reminder_snooze(*, reminder: Reminder, days: int) -> None:
    reminder.state = ReminderState.SNOOZED
    reminder.snoozed_until = timezone.localdate() + datetime.timedelta(days=days)
    reminder.save(update_fields=["state", "snoozed_until"])


# --- digest -------------------------------------------------------------------------


def digest_counts(*, user: User, since: datetime.datetime) -> dict:
    visible = persons_visible_to(user, Person.objects.active()).values("pk")
    events = CustodyEvent.objects.filter(recorded_at__gte=since, person__in=visible)
    returned = sorted(
        set(events.filter(status=Status.RETURNED).values_list("person__reference", flat=True))
    )
    escalated = sorted(
        set(
            Reminder.objects.filter(
                rule__kind=RuleKind.ESCALATION, created_at__gte=since, person__in=visible
            ).values_list("person__reference", flat=True)
        )
    )
    return {
        "detentions": events.filter(status=Status.DETAINED).values("person_id").distinct().count(),
        "returns": len(returned),
        "returned": returned,
        "escalations": len(escalated),
        "escalated": escalated,
        "stale": persons_visible_to(user, Person.objects.active()).stale().count(),
    }


def digest_send(*, today: datetime.date | None = None) -> int:
    """Make today's digest due for each coordinator (once per coordinator per day,
    whatever retries the beat makes), then email the digests due. Returns how many
    were sent."""
    today = today or timezone.localdate()
    recipients = coordinators().exclude(email="").values_list("pk", flat=True)
    Digest.objects.bulk_create(
        [Digest(recipient_id=pk, day=today) for pk in recipients], ignore_conflicts=True
    )
    return digests_email(today=today)


def digests_email(*, today: datetime.date | None = None) -> int:
    """Email today's digests not emailed yet, each at least once (``outbox``), to
    those still coordinators with an address; the sweep calls it too, to take over
    a digest whose sender died."""
    waiting = Digest.objects.filter(
        day=today or timezone.localdate(),
        recipient__in=coordinators().exclude(email=""),
    )
    return emails_deliver(waiting, _digest_email, related=("recipient",))


def _digest_email(digest: Digest) -> Outgoing:
    """Counts and case references for the day before the digest fell due."""
    since = digest.created_at - datetime.timedelta(days=1)
    return Outgoing(
        name="digest",
        to=digest.recipient.email,
        context={"day": digest.day, **digest_counts(user=digest.recipient, since=since)},
        message_id=f"digest-{digest.pk}",
        language=language_of(digest.recipient),
    )
