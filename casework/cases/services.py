"""Writes to the case records. The admin, the web views, the commands and the tasks
all call these functions; nothing else creates custody events or archives a case."""

import datetime
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Max, Model, OuterRef, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from casework.accounts import roles
from casework.accounts.enums import AccessAction
from casework.accounts.models import User
from casework.accounts.services import access_log_record
from casework.cases.encryption import blind_index, encrypted_fields
from casework.cases.enums import Confidence, DatePrecision, Status
from casework.cases.models import (
    UNIDENTIFIED_OTHERS_MAX,
    CurrentStatus,
    CustodyEvent,
    Facility,
    FamilyContact,
    Group,
    GroupMembership,
    Person,
    PersonVulnerability,
    Source,
)
from casework.cases.state import IN_CUSTODY
from casework.cases.tallies import tallies_kept

# Called on commit with the ids of the events just recorded; the reminders app
# registers its escalation here so this module does not import it.
event_recorded_hooks: list[Callable[[list[int]], None]] = []
# Called inside the transaction of new custody events, after the stored current status
# is refreshed, with the persons' ids: what ended with this news ends in the same
# transaction (the reminders app closes the reminders whose reason it was).
event_recorded_in_transaction_hooks: list[Callable[[list[int]], None]] = []
# Called when cases were written behind their services (the rebuild below found rows to
# fix): what the reminders app derived since from their records must be read again.
cases_rewritten_hooks: list[Callable[[], None]] = []


def date_normalise(value: datetime.date, precision: str) -> datetime.date:
    """Store the first day of the precision window, so ordering stays comparable."""
    if precision in (DatePrecision.MONTH, DatePrecision.APPROXIMATE):
        return value.replace(day=1)
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    return value


def date_window_end(value: datetime.date, precision: str) -> datetime.date:
    """The last day an imprecise date may mean ("March 2017" ends on 31 March)."""
    if precision in (DatePrecision.MONTH, DatePrecision.APPROXIMATE):
        next_month = value.replace(day=28) + datetime.timedelta(days=4)
        return next_month - datetime.timedelta(days=next_month.day)
    if precision == DatePrecision.YEAR:
        return value.replace(month=12, day=31)
    return value


def _latest_dates(persons: list[Person]) -> dict[int, datetime.date]:
    saved = [p.pk for p in persons if p.pk is not None]
    rows = (
        CustodyEvent.objects.filter(person_id__in=saved)
        .values("person_id")
        .annotate(latest=Max("occurred_on"))
    )
    return {row["person_id"]: row["latest"] for row in rows}


def _births(persons: list[Person]) -> dict[int, datetime.date]:
    """The first day each person can have lived: the date of birth, else 1 January of
    the birth year; persons with neither are left out. The values the caller holds are
    read (an admin form checks the birth year typed beside the event); a list that
    deferred them reads them for all at once."""
    birth_fields = {"date_of_birth", "birth_year"}
    unread = [p.pk for p in persons if p.pk is not None and birth_fields & p.get_deferred_fields()]
    stored = {
        pk: (date_of_birth, birth_year)
        for pk, date_of_birth, birth_year in Person.objects.filter(pk__in=unread).values_list(
            "pk", "date_of_birth", "birth_year"
        )
    }
    births = {}
    for index, person in enumerate(persons):
        # Not ``stored.get(pk, (person.date_of_birth, ...))``: that reads a deferred field.
        if person.pk in stored:  # noqa: SIM401
            date_of_birth, birth_year = stored[person.pk]
        else:
            date_of_birth, birth_year = person.date_of_birth, person.birth_year
        if date_of_birth:
            births[index] = date_of_birth
        elif birth_year:
            births[index] = datetime.date(birth_year, 1, 1)
    return births


def _status_before(person: Person, occurred_on: datetime.date) -> str | None:
    """The status the timeline gives on ``occurred_on``, before a new event lands."""
    if person.pk is None:
        return None
    return (
        CustodyEvent.objects.filter(person=person, occurred_on__lte=occurred_on)
        .order_by("-occurred_on", "-id")
        .values_list("status", flat=True)
        .first()
    )


def custody_event_check(
    *,
    persons: Iterable[Person],
    status: str,
    occurred_on: datetime.date | None,
    date_precision: str = DatePrecision.DAY,
    facility: Facility | None = None,
    place: str = "",
    source: Source | None = None,
    confidence: str = Confidence.REPORTED,
    planned_on: datetime.date | None = None,
    group: Group | None = None,
) -> None:
    """Raise ``ValidationError`` (by field) if the event may not be recorded.

    Forms call this in ``clean()`` so the user sees every problem before anything is
    saved; ``custody_event_record`` calls it again inside its transaction.
    """
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    persons = list(persons)
    if status not in Status.values:
        add("status", _("'%(value)s' is not a custody status.") % {"value": status})
    if date_precision not in DatePrecision.values:
        add("date_precision", _("'%(value)s' is not a date precision.") % {"value": date_precision})
    if confidence not in Confidence.values:
        add("confidence", _("'%(value)s' is not a confidence level.") % {"value": confidence})
    if not persons:
        add("persons", _("Choose at least one person."))

    today = timezone.localdate()
    if occurred_on is None:
        add("occurred_on", _("Say when it happened, at least to the year."))
    else:
        normalised = date_normalise(occurred_on, date_precision)
        if normalised > today:
            add("occurred_on", _("The date lies in the future; record what has happened."))
    if occurred_on is not None and date_precision != DatePrecision.DAY and not errors:
        # "May 2017" would sort before "2 May 2017" and silently not become current.
        start = date_normalise(occurred_on, date_precision)
        end = date_window_end(start, date_precision)
        latest = _latest_dates(persons)
        clashing = [p.reference for p in persons if start < latest.get(p.pk, start) <= end]
        if clashing:
            add(
                "occurred_on",
                _(
                    "A later dated event already lies within this date's range for "
                    "%(references)s; give the exact day so the timeline stays in order."
                )
                % {"references": ", ".join(clashing)},
            )
    if occurred_on is not None and "occurred_on" not in errors:
        # "1901" for someone born in 1996 is a typing slip; the whole of an imprecise
        # date's window must lie before the birth for it to be refused.
        end = date_window_end(date_normalise(occurred_on, date_precision), date_precision)
        births = _births(persons)
        unborn = [
            p.reference or p.pseudonym for i, p in enumerate(persons) if end < births.get(i, end)
        ]
        if unborn:
            add(
                "occurred_on",
                _(
                    "The date lies before the birth of %(references)s (birth year or date "
                    "of birth); check the date."
                )
                % {"references": ", ".join(unborn)},
            )
    if planned_on is not None and occurred_on is not None and planned_on < occurred_on:
        add("planned_on", _("A planned transfer or return cannot come before the event."))

    if status == Status.RETURNED and source is None:
        add("source", _("A return must name the source that reported it."))
    if status == Status.TRANSFERRED and facility is None and not place.strip():
        add("facility", _("Say where the person was transferred to (a facility or a place)."))

    if group is not None and persons:
        member_ids = set(group.memberships.values_list("person_id", flat=True))
        strangers = [p.reference for p in persons if p.pk not in member_ids]
        if strangers:
            add(
                "persons",
                _("Not members of %(group)s: %(references)s.")
                % {"group": group.reference, "references": ", ".join(strangers)},
            )

    if status == Status.TRANSFERRED and occurred_on is not None and not errors:
        when = date_normalise(occurred_on, date_precision)
        free = [p.reference for p in persons if _status_before(p, when) not in IN_CUSTODY]
        if free:
            add(
                "status",
                _(
                    "Only a person in custody can be transferred; record a new detention "
                    "first for: %(references)s."
                )
                % {"references": ", ".join(free)},
            )

    if errors:
        raise ValidationError(errors)


@transaction.atomic
def custody_event_record(
    *,
    persons: Iterable[Person] | None = None,
    group: Group | None = None,
    status: str,
    occurred_on: datetime.date,
    recorded_by: User | None,
    date_precision: str = DatePrecision.DAY,
    facility: Facility | None = None,
    place: str = "",
    source: Source | None = None,
    confidence: str = Confidence.REPORTED,
    planned_on: datetime.date | None = None,
    note: str = "",
    recorded_at: datetime.datetime | None = None,
    expected_version: int | None = None,
) -> list[CustodyEvent]:
    """Append one event to each person's timeline — the only writer of custody status.

    With ``group`` and no ``persons`` the event lands on every member; with both, only
    on the chosen members, who must belong to the group. Steps: validate everything
    first (nothing is written if one person fails), insert the events, then, on
    commit, run the hooks (escalation) with the new event ids.

    ``expected_version`` is the version of the case (the group, or the one person) the
    user's form was opened on; if someone changed it since, nothing is written.
    """
    if persons is None:
        persons = list(group.members.all()) if group is not None else []
    persons = list(persons)
    if persons:
        # Lock the rows so two updates for the same person are validated in turn.
        list(Person.objects.select_for_update().filter(pk__in=[p.pk for p in persons]))
    if expected_version is not None and (group is not None or persons):
        case_version_check(case=group or persons[0], expected_version=expected_version)
    custody_event_check(
        persons=persons,
        status=status,
        occurred_on=occurred_on,
        date_precision=date_precision,
        facility=facility,
        place=place,
        source=source,
        confidence=confidence,
        planned_on=planned_on,
        group=group,
    )
    occurred_on = date_normalise(occurred_on, date_precision)
    recorded_at = recorded_at or timezone.now()
    with tallies_kept(p.pk for p in persons):
        events = [
            CustodyEvent.objects.create(
                person=person,
                group=group,
                status=status,
                occurred_on=occurred_on,
                date_precision=date_precision,
                facility=facility,
                place=place.strip(),
                source=source,
                confidence=confidence,
                planned_on=planned_on,
                note=note.strip(),
                recorded_by=recorded_by,
                recorded_at=recorded_at,
            )
            for person in persons
        ]
        current_status_refresh([p.pk for p in persons])
        for hook in event_recorded_in_transaction_hooks:
            hook([p.pk for p in persons])
    # Bump the persons' version so a form opened before this event can tell.
    Person.objects.filter(pk__in=[p.pk for p in persons]).update(
        updated_at=timezone.now(), version=F("version") + 1
    )
    # Every group of these persons changes too: a group form opened earlier shows their
    # old statuses, so it must be refused like an outdated person form.
    Group.objects.filter(memberships__person__in=[p.pk for p in persons]).update(
        updated_at=timezone.now(), version=F("version") + 1
    )
    event_ids = [event.pk for event in events]
    for hook in event_recorded_hooks:
        transaction.on_commit(lambda hook=hook: hook(event_ids))
    return events


def _latest_events():
    """Each person's latest event: latest ``occurred_on``, then the one recorded last."""
    return CustodyEvent.objects.annotate(
        rank=Window(
            RowNumber(),
            partition_by=F("person_id"),
            order_by=[F("occurred_on").desc(), F("id").desc()],
        )
    ).filter(rank=1)


def _arrest_facility() -> Subquery:
    """The facility of the event that began the latest custody episode of the person
    ``OuterRef("person_id")`` (``custody_episode_starts``, the latest by ``occurred_on``,
    then ``id``): where they were arrested, before any transfer to a border post."""
    starts = (
        CustodyEvent.objects.custody_episode_starts()
        .filter(person=OuterRef("person_id"))
        .order_by("-occurred_on", "-id")
    )
    return Subquery(starts.values("facility_id")[:1])


def _current_events(person_ids: Iterable[int] | None = None):
    """Each person's latest event (of these persons, or everyone's), with the facility
    of their latest arrest as ``arrest_facility_id``: what ``CurrentStatus`` holds.

    The arrest is looked up for the latest events only, not for every event the ranking
    reads, hence the latest events as a subquery rather than annotated in place."""
    latest = _latest_events()
    if person_ids is not None:
        latest = latest.filter(person_id__in=person_ids)
    return CustodyEvent.objects.filter(pk__in=latest.values("pk")).annotate(
        arrest_facility_id=_arrest_facility()
    )


def current_status_refresh(person_ids: Iterable[int]) -> None:
    """Recompute the stored current status of these persons from their whole timeline.

    The latest event is looked up, not assumed to be the one just recorded: a backdated
    event must not replace newer news (nor a backdated arrest a later one). Runs inside
    the caller's transaction, under the person locks ``custody_event_record`` holds, so
    two updates cannot interleave.
    """
    ids = list(person_ids)
    if not ids:
        return
    rows = [CurrentStatus.from_event(event) for event in _current_events(ids)]
    heard_of = {row.person_id for row in rows}
    CurrentStatus.objects.filter(person_id__in=ids).exclude(person_id__in=heard_of).delete()
    CurrentStatus.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["person"],
        update_fields=["event", *CurrentStatus.EVENT_FIELDS, "arrest_facility"],
    )


# The rebuild's SQL is put together from model metadata (table and column names) and
# the compiled ``_current_events()`` query, whose parameters travel separately; no value
# from a request or a file is formatted into it, hence the S608 / B608 exemptions.
_CURRENT_TABLE = CurrentStatus._meta.db_table
_CURRENT_COLUMNS = ("person_id", "event_id", *CurrentStatus.EVENT_FIELDS, "arrest_facility_id")


def _derived_current_sql() -> tuple[str, tuple]:
    """Every person's row in ``CurrentStatus``'s columns: the refresh's own rule."""
    rows = (
        _current_events()
        .order_by()
        .values_list("person_id", "id", *CurrentStatus.EVENT_FIELDS, "arrest_facility_id")
    )
    return rows.query.sql_with_params()


@transaction.atomic
def current_status_rebuild(*, check_only: bool = False) -> int:
    """Rebuild every stored current status from the events; return how many persons differed.

    Set-based (one statement each way) rather than person by person, so it stays usable
    on the largest database.
    After normal use the answer is 0: anything else means something wrote events or the
    stored rows behind the service's back (a bulk load, a restore, a hand-made fix).
    """
    derived, params = _derived_current_sql()
    columns = ", ".join(_CURRENT_COLUMNS)
    stored = f"SELECT {columns} FROM {_CURRENT_TABLE}"  # noqa: S608  # nosec B608
    count_differing = (
        "SELECT COUNT(*) FROM ("  # noqa: S608  # nosec B608
        f"SELECT person_id FROM ({derived} EXCEPT {stored}) missing "
        f"UNION SELECT person_id FROM ({stored} EXCEPT {derived}) wrong"
        ") differing"
    )
    with connection.cursor() as cursor:
        cursor.execute(count_differing, params + params)
        (differing,) = cursor.fetchone()
        if differing and not check_only:
            cursor.execute(f"DELETE FROM {_CURRENT_TABLE}")  # noqa: S608  # nosec B608
            cursor.execute(f"INSERT INTO {_CURRENT_TABLE} ({columns}) {derived}", params)
    if differing and not check_only:
        for hook in cases_rewritten_hooks:
            hook()
    return differing


class StaleVersionError(ValidationError):
    """The case changed after the user's form was opened."""


def case_version_check(*, case: Person | Group, expected_version: int) -> None:
    current = (
        type(case).objects.select_for_update().filter(pk=case.pk).values_list("version", flat=True)
    )
    if current.first() != expected_version:
        raise StaleVersionError(
            _(
                "Someone else updated this case after you opened the form. Nothing was "
                "saved: read the timeline again, then send your update."
            )
        )


def caseworkers_assignable_check(caseworkers: Iterable[User]) -> None:
    """Only active accounts may be given a case: an account that can no longer log in
    would leave it followed by nobody. The assign action and the case form both ask."""
    inactive = sorted(str(user) for user in caseworkers if not user.is_active)
    if inactive:
        raise ValidationError(
            [_("%(name)s is not an active account.") % {"name": name} for name in inactive]
        )


def _case_save(case: Person | Group, *, update_fields: Iterable[str] | None = None) -> None:
    """Save a case with what the record keeps beside its fields: a new version on every
    change (read from the locked row, so that a form opened earlier can tell), and for a
    person the blind index of the legal name, so that an exact search finds it."""
    if case.pk is not None and not case._state.adding:
        locked = type(case).objects.select_for_update().filter(pk=case.pk)
        case.version = locked.values_list("version", flat=True).get() + 1
        if update_fields is not None:
            update_fields = {*update_fields, "version", "updated_at"}
    if isinstance(case, Person) and (update_fields is None or "legal_name" in update_fields):
        case.legal_name_index = blind_index(case.legal_name)
        if update_fields is not None:
            update_fields = {*update_fields, "legal_name_index"}
    case.save(update_fields=update_fields)


def _caseworkers_added_check(person: Person, caseworkers: Iterable[User]) -> None:
    """``caseworkers_assignable_check`` on those not assigned yet: one already assigned
    whose account has since been closed may stay, so that the case can still be saved."""
    kept = set(person.assigned_caseworkers.all()) if person.pk else set()
    try:
        caseworkers_assignable_check(user for user in caseworkers if user not in kept)
    except ValidationError as exc:
        raise ValidationError({"assigned_caseworkers": exc.error_list}) from exc


@transaction.atomic
def person_create(
    *,
    person: Person,
    created_by: User | None,
    caseworkers: Iterable[User] = (),
    vulnerabilities: Iterable[tuple[str, str]] = (),
) -> Person:
    """Open a case: ``person`` is the new record as a form or an import filled it in.

    The board counts it from the start, and a creator who may not see every case follows
    it, or it would vanish from their own lists the moment it is saved.
    """
    if not person._state.adding:
        raise ValueError("person_create opens a new case; change one with person_update.")
    followers = list(caseworkers)
    _caseworkers_added_check(person, followers)
    if created_by is not None and not created_by.has_perm(roles.VIEW_ALL_CASES):
        followers.append(created_by)
    with tallies_kept([]) as counted:
        _case_save(person)
        counted.add(person.pk)
        PersonVulnerability.objects.bulk_create(
            PersonVulnerability(person=person, kind=kind, detail=detail)
            for kind, detail in vulnerabilities
        )
    if followers:
        person.assigned_caseworkers.add(*followers)
    return person


@transaction.atomic
def person_update(
    *,
    person: Person,
    updated_by: User | None,
    expected_version: int | None = None,
    caseworkers: Iterable[User] | None = None,
) -> Person:
    """Save the changes a form made to ``person`` (not saved yet), and, when given, its
    caseworkers (otherwise they stay as they are).

    ``expected_version`` is the version the form was opened on: if someone changed the
    case since, nothing is written. Sex, age band and restriction are counted on the
    board, so the tallies follow in the same transaction.
    """
    if expected_version is not None:
        case_version_check(case=person, expected_version=expected_version)
    if caseworkers is not None:
        caseworkers = list(caseworkers)
        _caseworkers_added_check(person, caseworkers)
    with tallies_kept([person.pk]):
        _case_save(person)
    if caseworkers is not None:
        person.assigned_caseworkers.set(caseworkers)
    return person


@transaction.atomic
def person_vulnerabilities_change(
    *,
    person: Person,
    saved: Iterable[PersonVulnerability] = (),
    deleted: Iterable[PersonVulnerability] = (),
    changed_by: User | None,
) -> None:
    """Record, correct or remove vulnerabilities of ``person``; the board counts them."""
    saved, deleted = list(saved), list(deleted)
    if any(row.person_id != person.pk for row in [*saved, *deleted]):
        raise ValueError("A vulnerability of another person cannot be changed here.")
    with tallies_kept([person.pk]):
        for row in saved:
            row.save()
        for row in deleted:
            row.delete()
        if saved or deleted:
            _case_save(person, update_fields=[])


@transaction.atomic
def person_assign_caseworker(*, person: Person, caseworker: User, assigned_by: User) -> None:
    try:
        caseworkers_assignable_check([caseworker])
    except ValidationError as exc:
        raise ValidationError({"caseworker": exc.error_list}) from exc
    person.assigned_caseworkers.add(caseworker)
    person._change_reason = f"caseworker assigned by {assigned_by.username}"
    _case_save(person, update_fields=["updated_at"])


@transaction.atomic
def person_archive(*, person: Person, archived_by: User) -> None:
    """Archive instead of delete: the record and its history stay."""
    if person.archived_at is not None:
        return
    with tallies_kept([person.pk]):
        person.archived_at = timezone.now()
        person._change_reason = f"archived by {archived_by.username}"
        _case_save(person, update_fields=["archived_at", "updated_at"])


def unidentified_others_check(value: object) -> int:
    """The number of a group's unidentified others, as it may be stored: a whole number
    from 0 to ``UNIDENTIFIED_OTHERS_MAX``. They are published as "at least N others", so
    a slip of the keyboard would go out as a figure. The forms ask here too."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(
            {"unidentified_others": _("Give the number of unidentified others as a whole number.")}
        )
    if value < 0:
        raise ValidationError(
            {"unidentified_others": _("The number of unidentified others cannot be negative.")}
        )
    if value > UNIDENTIFIED_OTHERS_MAX:
        raise ValidationError(
            {
                "unidentified_others": _(
                    "At most %(max)s unidentified others can be recorded for a group. Check "
                    "the number; a larger one is more likely a typing slip."
                )
                % {"max": number_format(UNIDENTIFIED_OTHERS_MAX, force_grouping=True)}
            }
        )
    return value


@transaction.atomic
def group_create(
    *,
    group: Group,
    created_by: User | None,
    members: Iterable[Person] = (),
    unidentified_others: int | None = None,
) -> Group:
    """Open a group case with its first members, and the number of others detained with
    them whom no record names (``unidentified_others``, if not set on ``group``). A group
    counts nothing on the board: its members are counted as people, whatever groups they
    are in."""
    if not group._state.adding:
        raise ValueError("group_create opens a new group; change one with group_update.")
    group.unidentified_others = unidentified_others_check(
        group.unidentified_others if unidentified_others is None else unidentified_others
    )
    _case_save(group)
    GroupMembership.objects.bulk_create(
        GroupMembership(group=group, person=person) for person in _distinct(members)
    )
    return group


@transaction.atomic
def group_update(
    *,
    group: Group,
    updated_by: User | None,
    expected_version: int | None = None,
    unidentified_others: int | None = None,
) -> Group:
    """Save the changes a form made to ``group``, with a new number of unidentified
    others when given; refused if the group changed since the form was opened on
    ``expected_version``."""
    group.unidentified_others = unidentified_others_check(
        group.unidentified_others if unidentified_others is None else unidentified_others
    )
    if expected_version is not None:
        case_version_check(case=group, expected_version=expected_version)
    _case_save(group)
    return group


@transaction.atomic
def group_member_add(*, group: Group, person: Person, added_by: User | None) -> GroupMembership:
    """Add ``person`` to ``group``. A form opened on the group before shows other
    members, so the group's version moves on."""
    if GroupMembership.objects.filter(group=group, person=person).exists():
        raise ValidationError(
            {
                "person": _("%(person)s is already a member of %(group)s.")
                % {"person": person.reference, "group": group.reference}
            }
        )
    membership = GroupMembership.objects.create(group=group, person=person)
    group._change_reason = f"{person.reference} added by {_name(added_by)}"
    _case_save(group, update_fields=[])
    return membership


@transaction.atomic
def group_member_remove(*, group: Group, person: Person, removed_by: User | None) -> None:
    """Take ``person`` out of ``group``; the events recorded through the group stay on
    their timeline."""
    removed, _by_model = GroupMembership.objects.filter(group=group, person=person).delete()
    if not removed:
        raise ValidationError(
            {
                "person": _("%(person)s is not a member of %(group)s.")
                % {"person": person.reference, "group": group.reference}
            }
        )
    group._change_reason = f"{person.reference} removed by {_name(removed_by)}"
    _case_save(group, update_fields=[])


def _distinct(persons: Iterable[Person]) -> list[Person]:
    return list({person.pk: person for person in persons}.values())


def _name(user: User | None) -> str:
    return user.username if user is not None else "the system"


@transaction.atomic
def group_archive(*, group: Group, archived_by: User) -> None:
    if group.archived_at is not None:
        return
    group.archived_at = timezone.now()
    group._change_reason = f"archived by {archived_by.username}"
    _case_save(group, update_fields=["archived_at", "updated_at"])


def identity_reveal_log(*, user: User, record: Model, detail: str) -> None:
    """Log that ``user`` was shown the identifying values of ``record`` (or of a past
    version of it): the reference of the case or source, never a value. Records with
    nothing encrypted reveal nothing and are not logged."""
    if not encrypted_fields(type(record)):
        return
    if isinstance(record, FamilyContact):
        reference = Person.objects.values_list("reference", flat=True).get(pk=record.person_id)
    else:
        reference = record.reference
    access_log_record(
        user=user, action=AccessAction.REVEALED_IDENTITY, reference=reference, detail=detail
    )
