"""After a finished sweep, the next reads only the cases that may be due anew, and still
misses nothing that reading every case would find."""

import datetime

import pytest
from django.core.management import call_command

from casework.accounts.enums import Role
from casework.cases.enums import Status
from casework.cases.models import CustodyEvent
from casework.cases.services import current_status_rebuild, person_assign_caseworker
from casework.cases.tallies import tallies_kept, tallies_rebuild
from casework.reminders.enums import RuleKind
from casework.reminders.models import Reminder, SweepMark
from casework.reminders.services import reminders_sweep
from tests.factories import FacilityFactory, PersonFactory, UserFactory, record
from tests.reminders.test_sweep import HEARD, at, inbox_of

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def detained_since(day, caseworker, n=1):
    """Cases opened and last heard of on ``day``, as the caseworker would have logged them."""
    with at(day):
        people = [PersonFactory(caseworkers=[caseworker]) for _ in range(n)]
        for person in people:
            record(person, Status.DETAINED, day, by=caseworker)
    return people


def test_the_next_sweep_reads_only_cases_whose_silence_began_a_new_period(rules, emails):
    cast = emails
    people = detained_since(HEARD, cast.alice, n=3)

    with at(HEARD + 8 * DAY):
        first = reminders_sweep()
        again = reminders_sweep()
    with at(HEARD + 9 * DAY):
        next_day = reminders_sweep()
    with at(HEARD + 14 * DAY):
        second_week = reminders_sweep()

    assert (first["stale"], first["cases read"]) == (3, 3)
    # Fifteen minutes later, and the next day, nobody's silence began a new period.
    assert (again["stale"], again["cases read"]) == (0, 0)
    assert (next_day["stale"], next_day["cases read"]) == (0, 0)
    # A fortnight of silence is the second period of the seven-day rule.
    assert (second_week["stale"], second_week["cases read"]) == (3, 3)
    assert inbox_of(cast.alice) == sorted([("stale", p.reference) for p in people] * 2)


def test_a_sweep_of_every_case_finds_what_the_short_sweep_does_not_read(rules, emails):
    cast = emails
    person = detained_since(HEARD, cast.alice)[0]
    with at(HEARD + 8 * DAY):
        reminders_sweep()
        # Removed behind the services' back: nothing about the case changed.
        Reminder.objects.filter(person=person).delete()
        short = reminders_sweep()
        every = reminders_sweep(every_case=True)

    assert short["stale"] == 0
    assert (every["stale"], every["cases read"]) == (1, 1)
    assert inbox_of(cast.alice) == [("stale", person.reference)]


STATUSES = (
    Status.AT_RISK_OF_RETURN,  # every 2 days
    Status.DETAINED,  # 7
    Status.DISAPPEARED,  # 14
    Status.UNKNOWN,  # 30
    Status.RELEASED,  # 90
)


# Days after the first sweep of the follow-up and planned dates.
OFFSETS = range(-5, 45, 4)


@pytest.mark.parametrize("gap", [0, 1, 2, 3, 13, 40])
def test_after_a_day_of_changes_a_sweep_of_every_case_finds_nothing_left(rules, emails, gap):
    """Cases silent for every number of days around each rule's periods, and the changes
    a day brings (news, a backdated event, a caseworker assigned, a case restricted, a
    detention at a border point): the short sweep creates all that reading every case
    would, at any gap since the last sweep."""
    cast = emails
    start = HEARD + 30 * DAY
    border = FacilityFactory(border_point=True)
    cases = {}
    with at(HEARD - 200 * DAY):
        never = PersonFactory(caseworkers=[cast.alice])  # never heard of, opened long ago
    # Logged two days before the first sweep: more than a day before, so unchanged since.
    with at(start - 2 * DAY):
        for status in STATUSES:
            for silence in range(2, 101, 3):
                person = PersonFactory(caseworkers=[cast.alice] if silence % 2 else [])
                record(person, status, start - silence * DAY, by=cast.alice)
                cases[status, silence] = person
        # Follow-up and planned transfer dates reached before, on and after each gap.
        for offset in OFFSETS:
            on = start + offset * DAY
            PersonFactory(caseworkers=[cast.alice], follow_up_on=on)
            planned = PersonFactory(caseworkers=[cast.alice])
            record(planned, Status.DETAINED, start - 10 * DAY, planned_on=on, by=cast.alice)
    with at(start):
        reminders_sweep()

    later = start + gap * DAY
    with at(later):
        record(cases[Status.DETAINED, 29], Status.DETAINED, later, by=cast.alice)
        record(cases[Status.RELEASED, 98], Status.DETAINED, later - 20 * DAY, by=cast.alice)
        person_assign_caseworker(
            person=cases[Status.DISAPPEARED, 59], caseworker=cast.bob, assigned_by=cast.carol
        )
        restricted = cases[Status.DETAINED, 2]
        restricted.restricted = True
        with tallies_kept([restricted.pk]):  # as the admin's form saves it
            restricted.save()
        record(cases[Status.UNKNOWN, 8], Status.DETAINED, later, facility=border, by=cast.alice)
        follow = cases[Status.RELEASED, 2]
        follow.follow_up_on = later
        follow.save()
        short = reminders_sweep()
        every = reminders_sweep(every_case=True)

    read_by_every = every["cases read"]
    assert short["cases read"] < read_by_every
    assert every["stale"] == every["escalation"] == 0
    assert every["follow_up"] == every["planned_date"] == 0
    if gap:
        assert short["stale"] > 0
    reached = [offset for offset in OFFSETS if 0 < offset <= gap]
    assert short["planned_date"] == 2 * len(reached)  # the caseworker and the coordinator
    assert short["follow_up"] >= 1
    assert short["escalation"] == 1
    assert Reminder.objects.filter(person=never).exists()
    assert inbox_of(cast.bob) == [("stale", cases[Status.DISAPPEARED, 59].reference)]


def test_a_new_coordinator_or_a_changed_rule_makes_the_sweep_read_every_case(rules, emails):
    cast = emails
    people = detained_since(HEARD, cast.alice, n=2)
    border = FacilityFactory(border_point=True)
    with at(HEARD):
        record(people[0], Status.DETAINED, HEARD, facility=border, by=cast.alice)
    with at(HEARD + 8 * DAY):
        reminders_sweep()
        newcomer = UserFactory(username="carla", role=Role.COORDINATOR)
        joined = reminders_sweep()
        rule = rules[RuleKind.STALE, Status.DETAINED]
        rule.days = 3
        rule.save()
        changed = reminders_sweep()

    assert joined["cases read"] == 2
    assert inbox_of(newcomer) == [("escalation", people[0].reference)]
    # Eight days of silence is the second period of a three-day rule.
    assert (changed["stale"], changed["cases read"]) == (2, 2)


def test_a_rebuild_that_fixes_stored_statuses_makes_the_next_sweep_read_every_case(rules, emails):
    cast = emails
    with at(HEARD):
        person = PersonFactory(caseworkers=[cast.alice])
        record(person, Status.IN_SAFE_COUNTRY, HEARD, by=cast.alice)
    with at(HEARD + 20 * DAY):
        reminders_sweep()
        # An event loaded past the service (an import, a restore): the stored status
        # still says "in a safe country" until the rebuild.
        CustodyEvent.objects.create(
            person=person,
            status=Status.DETAINED,
            occurred_on=HEARD + DAY,
            date_precision="day",
            confidence="reported",
        )
        assert current_status_rebuild() == 1
        tallies_rebuild()  # the board's counts too, as after any load past the services
        after = reminders_sweep()

    assert after["stale"] == 1
    assert inbox_of(cast.alice) == [("stale", person.reference)]


def test_a_sweep_that_fails_leaves_the_last_mark_as_it_was(rules, emails, monkeypatch):
    from casework.reminders import services

    detained_since(HEARD, emails.alice)
    with at(HEARD + 8 * DAY):
        reminders_sweep()
    marks = list(SweepMark.objects.values_list("pk", flat=True))

    def broken(today):
        raise RuntimeError("the letters table is away")

    monkeypatch.setattr(services, "_letter_unanswered_dues", broken)
    with at(HEARD + 14 * DAY), pytest.raises(RuntimeError):
        reminders_sweep()

    assert list(SweepMark.objects.values_list("pk", flat=True)) == marks


def test_run_reminders_can_read_every_case(rules, emails, capsys):
    detained_since(HEARD, emails.alice, n=2)
    with at(HEARD + 8 * DAY):
        call_command("run_reminders")
        call_command("run_reminders")
        call_command("run_reminders", "--every-case")

    lines = capsys.readouterr().out.splitlines()
    assert [line.split("cases read: ")[1] for line in lines] == ["2", "0", "2"]
