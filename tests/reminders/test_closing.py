"""Reminders close themselves with the news that ends their reason, in the same
transaction, and the inbox says why; escalations reach each coordinator once per
event, and only while the person is at risk; the inbox gives the true silence."""

import datetime

import pytest
import time_machine

from casework.cases.enums import Status
from casework.reminders.enums import ClosedBecause, ReminderState, RuleKind
from casework.reminders.models import Reminder
from casework.reminders.services import inbox_for, reminders_escalate, reminders_sweep
from tests.factories import FacilityFactory, PersonFactory, record

pytestmark = pytest.mark.django_db

HEARD = datetime.date(2026, 3, 2)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9)), tick=False)


def pending(user, kind: str | None = None) -> list[Reminder]:
    reminders = inbox_for(user)
    if kind:
        reminders = reminders.filter(rule__kind=kind)
    return list(reminders)


def test_a_stale_person_recorded_as_returned_keeps_no_stale_or_planned_reminder(rules, emails):
    cast = emails
    person = PersonFactory(caseworkers=[cast.alice])
    with at(HEARD):
        record(
            person,
            Status.AT_RISK_OF_RETURN,
            HEARD,
            by=cast.alice,
            planned_on=HEARD + datetime.timedelta(days=3),
        )
    with at(HEARD + datetime.timedelta(days=4)):
        reminders_sweep()
    assert {r.rule.kind for r in pending(cast.alice)} == {RuleKind.STALE, RuleKind.PLANNED_DATE}

    with at(HEARD + datetime.timedelta(days=5)):
        record(person, Status.RETURNED, HEARD + datetime.timedelta(days=5), by=cast.alice)
        reminders_sweep()

    assert pending(cast.alice) == []
    assert pending(cast.carol) == []
    closed = Reminder.objects.filter(person=person, state=ReminderState.CLOSED)
    assert {r.closed_because for r in closed} == {ClosedBecause.STATUS_CHANGED}
    assert closed.filter(rule__kind=RuleKind.ESCALATION).exists()


def test_news_closes_the_stale_reminder_and_the_inbox_says_why(rules, emails, client_for):
    cast = emails
    person = PersonFactory(caseworkers=[cast.alice])
    record(person, Status.DETAINED, HEARD, by=cast.alice)
    with at(HEARD + datetime.timedelta(days=8)):
        reminders_sweep()
    assert len(pending(cast.alice, RuleKind.STALE)) == 1

    with at(HEARD + datetime.timedelta(days=9)):
        record(person, Status.DETAINED, HEARD + datetime.timedelta(days=9), by=cast.alice)
        html = client_for(cast.alice).get("/inbox/").content.decode()

    assert pending(cast.alice) == []
    assert "Nothing is due." in html
    assert "Closed by news" in html
    assert '<td class="closed-because">News arrived</td>' in html


def test_backdated_news_does_not_close_the_stale_reminder(rules, emails):
    cast = emails
    person = PersonFactory(caseworkers=[cast.alice])
    record(person, Status.DETAINED, HEARD, by=cast.alice)
    with at(HEARD + datetime.timedelta(days=8)):
        reminders_sweep()
        record(person, Status.DETAINED, HEARD - datetime.timedelta(days=30), by=cast.alice)
    assert len(pending(cast.alice, RuleKind.STALE)) == 1


def test_a_person_moved_away_from_a_border_point_has_no_open_escalation(rules, emails):
    cast = emails
    person = PersonFactory(caseworkers=[cast.alice])
    border = FacilityFactory(border_point=True)
    with at(HEARD):
        record(person, Status.DETAINED, HEARD, by=cast.alice, facility=border)
        reminders_sweep()
    assert len(pending(cast.carol, RuleKind.ESCALATION)) == 1

    with at(HEARD + datetime.timedelta(days=1)):
        record(
            person,
            Status.TRANSFERRED,
            HEARD + datetime.timedelta(days=1),
            by=cast.alice,
            facility=FacilityFactory(border_point=False),
        )
        reminders_sweep()

    assert pending(cast.carol, RuleKind.ESCALATION) == []
    closed = Reminder.objects.get(person=person, rule__kind=RuleKind.ESCALATION)
    assert closed.closed_because == ClosedBecause.LEFT_BORDER_POINT


def test_each_coordinator_gets_one_escalation_per_event(
    rules, emails, django_capture_on_commit_callbacks
):
    cast = emails
    second = type(cast.carol).objects.create(username="carla", email="carla@example.org")
    second.groups.add(*cast.carol.groups.all())
    # A coordinator who is also the case's caseworker hears of it once too.
    person = PersonFactory(caseworkers=[cast.alice, cast.carol])
    border = FacilityFactory(border_point=True)
    with at(HEARD):
        with django_capture_on_commit_callbacks(execute=True):
            events = record(person, Status.DETAINED, HEARD, by=cast.alice, facility=border)
        # The task that runs on commit, then the sweep, then the task again (a retry).
        reminders_escalate(event_ids=[e.pk for e in events])
        reminders_sweep()
        reminders_escalate(event_ids=[e.pk for e in events])
        # News that changes nothing about the risk is no new escalation.
        record(person, Status.DETAINED, HEARD, by=cast.alice, facility=border)
        reminders_sweep()

    for coordinator in (cast.carol, second):
        assert len(pending(coordinator, RuleKind.ESCALATION)) == 1
    assert pending(cast.alice, RuleKind.ESCALATION) == []


def test_no_escalation_for_a_person_returned_at_a_border_point(rules, emails):
    cast = emails
    person = PersonFactory(caseworkers=[cast.alice])
    with at(HEARD):
        record(
            person,
            Status.RETURNED,
            HEARD,
            by=cast.alice,
            facility=FacilityFactory(border_point=True),
        )
        reminders_sweep()
    assert pending(cast.carol, RuleKind.ESCALATION) == []


def test_the_inbox_shows_the_true_silence(rules, emails, client_for):
    cast = emails
    person = PersonFactory(caseworkers=[cast.alice])
    record(person, Status.AT_RISK_OF_RETURN, HEARD, by=cast.alice)
    with at(HEARD + datetime.timedelta(days=17)):
        reminders_sweep()
        html = client_for(cast.alice).get("/inbox/").content.decode()
    assert "No news for 17 days while at risk of return" in html
    assert "No news for 2 days" not in html


def test_a_new_detail_of_the_risk_replaces_the_open_escalation(rules, emails):
    cast = emails
    person = PersonFactory(caseworkers=[cast.alice])
    border = FacilityFactory(border_point=True)
    with at(HEARD):
        record(person, Status.DETAINED, HEARD, by=cast.alice, facility=border)
        reminders_sweep()
        # The return date becomes known: one escalation for this news, not a second
        # beside the first.
        record(
            person,
            Status.DETAINED,
            HEARD,
            by=cast.alice,
            facility=border,
            planned_on=HEARD + datetime.timedelta(days=5),
        )
        reminders_sweep()

    [escalation] = pending(cast.carol, RuleKind.ESCALATION)
    assert escalation.due_key.endswith(f"planned:{HEARD + datetime.timedelta(days=5)}")
    earlier = Reminder.objects.get(person=person, state=ReminderState.CLOSED)
    assert earlier.closed_because == ClosedBecause.RISK_CHANGED
