"""The sweep, under frozen time: what falls due, for whom, once."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.formats import date_format

from casework.cases.enums import Status
from casework.reminders.enums import ReminderState, RuleKind
from casework.reminders.models import Digest, Reminder
from casework.reminders.services import digest_send, reminders_sweep
from tests.factories import FacilityFactory, PersonFactory, record

pytestmark = pytest.mark.django_db

HEARD = datetime.date(2026, 3, 2)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9)), tick=False)


def inbox_of(user) -> list[tuple[str, str]]:
    return sorted(
        (r.rule.kind, r.person.reference)
        for r in Reminder.objects.filter(recipient=user).select_related("rule", "person")
    )


def test_a_detained_case_goes_stale_after_seven_days_for_its_caseworker_only(rules, emails):
    cast = emails
    person = PersonFactory(caseworkers=[cast.alice])
    record(person, Status.DETAINED, HEARD, by=cast.alice)

    with at(HEARD + datetime.timedelta(days=7)):
        reminders_sweep()
    assert inbox_of(cast.alice) == []

    with at(HEARD + datetime.timedelta(days=8)):
        reminders_sweep()
        reminders_sweep()
    assert inbox_of(cast.alice) == [("stale", person.reference)]
    assert inbox_of(cast.bob) == []
    assert inbox_of(cast.carol) == []
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]

    # Still silent a week later: the next period brings one more reminder.
    with at(HEARD + datetime.timedelta(days=15)):
        reminders_sweep()
    assert inbox_of(cast.alice) == [("stale", person.reference)] * 2


def test_news_stops_the_stale_reminders(rules, emails):
    cast = emails
    person = PersonFactory(caseworkers=[cast.alice])
    record(person, Status.DETAINED, HEARD, by=cast.alice)
    record(person, Status.DETAINED, HEARD + datetime.timedelta(days=6), by=cast.alice)
    with at(HEARD + datetime.timedelta(days=10)):
        reminders_sweep()
    assert inbox_of(cast.alice) == []


def test_an_unassigned_stale_case_goes_to_the_coordinators(rules, emails):
    cast = emails
    person = PersonFactory()
    record(person, Status.AT_LARGE, HEARD, by=cast.alice)
    with at(HEARD + datetime.timedelta(days=31)):
        reminders_sweep()
    assert inbox_of(cast.carol) == [("stale", person.reference)]
    assert inbox_of(cast.alice) == []


def test_a_restricted_case_reminds_nobody_who_may_not_see_it(rules, emails):
    cast = emails
    person = PersonFactory(restricted=True)
    record(person, Status.AT_RISK_OF_RETURN, HEARD, by=cast.alice)
    with at(HEARD + datetime.timedelta(days=3)):
        reminders_sweep()
    assert Reminder.objects.count() == 0


def test_a_follow_up_date_falls_due_on_its_day(rules, emails):
    cast = emails
    person = PersonFactory(caseworkers=[cast.alice], follow_up_on=HEARD + datetime.timedelta(3))
    record(person, Status.RELEASED, HEARD, by=cast.alice)
    with at(HEARD + datetime.timedelta(days=2)):
        reminders_sweep()
    assert inbox_of(cast.alice) == []
    with at(HEARD + datetime.timedelta(days=3)):
        reminders_sweep()
    assert inbox_of(cast.alice) == [("follow_up", person.reference)]


def test_a_planned_transfer_date_reached_reminds_caseworker_and_coordinators(rules, emails):
    cast = emails
    person = PersonFactory(caseworkers=[cast.alice])
    record(
        person,
        Status.DETAINED,
        HEARD,
        by=cast.alice,
        planned_on=HEARD + datetime.timedelta(days=3),
    )
    with at(HEARD + datetime.timedelta(days=1)):
        reminders_sweep()
    # A known date is an escalation at once; the date itself is not reached yet.
    assert inbox_of(cast.carol) == [("escalation", person.reference)]
    assert inbox_of(cast.alice) == []
    with at(HEARD + datetime.timedelta(days=3)):
        reminders_sweep()
    assert inbox_of(cast.alice) == [("planned_date", person.reference)]
    assert inbox_of(cast.carol) == [
        ("escalation", person.reference),
        ("planned_date", person.reference),
    ]


def test_the_sweep_escalates_a_border_point_detention_to_every_coordinator(rules, emails):
    cast = emails
    second = type(cast.carol).objects.create(username="carla", email="carla@example.org")
    second.groups.add(*cast.carol.groups.all())
    person = PersonFactory(caseworkers=[cast.alice])
    record(
        person, Status.DETAINED, HEARD, by=cast.alice, facility=FacilityFactory(border_point=True)
    )
    with at(HEARD):
        reminders_sweep()
        reminders_sweep()
    assert inbox_of(cast.carol) == [("escalation", person.reference)]
    assert inbox_of(second) == [("escalation", person.reference)]
    assert inbox_of(cast.alice) == []
    assert sorted(m.to[0] for m in mail.outbox) == ["carla@example.org", "carol@example.org"]
    assert mail.outbox[0].subject == f"[Casework] URGENT: at risk of return: {person.reference}"


def test_the_default_rules_include_letters_without_response(rules):
    letter = rules[(RuleKind.LETTER_UNANSWERED, "")]
    assert (letter.days, letter.active) == (30, True)
    assert {status for kind, status in rules if kind == RuleKind.STALE} == {
        "at_risk_of_return",
        "detained",
        "transferred",
        "disappeared",
        "unknown",
        "at_large",
        "returned",
        "released",
        "in_safe_country",
    }


def test_an_administrator_changes_a_rule_and_the_sweep_follows(rules, emails):
    cast = emails
    detained = rules[(RuleKind.STALE, Status.DETAINED)]
    detained.days = 3
    detained.save()
    person = PersonFactory(caseworkers=[cast.alice])
    record(person, Status.DETAINED, HEARD, by=cast.alice)
    with at(HEARD + datetime.timedelta(days=4)):
        reminders_sweep()
    assert inbox_of(cast.alice) == [("stale", person.reference)]


def test_reminder_email_carries_reference_and_link_only(rules, emails, settings):
    settings.SITE_URL = "https://casework.example.org"
    cast = emails
    person = PersonFactory(caseworkers=[cast.alice], pseudonym="Plum Blossom")
    record(person, Status.DETAINED, HEARD, by=cast.alice, place="Tumen back street")
    with at(HEARD + datetime.timedelta(days=8)):
        reminders_sweep()
    [email] = mail.outbox
    assert email.subject == (f"[Casework] No news for 7 days while detained: {person.reference}")
    assert f"https://casework.example.org/cases/{person.reference}/" in email.body
    for secret in (person.legal_name, "Plum Blossom", "Tumen", "alice"):
        assert secret not in email.subject + email.body


def test_run_reminders_runs_the_sweep(rules, emails, capsys):
    cast = emails
    person = PersonFactory(caseworkers=[cast.alice])
    record(person, Status.DETAINED, HEARD, by=cast.alice)
    with at(HEARD + datetime.timedelta(days=8)):
        call_command("run_reminders")
    assert "stale: 1" in capsys.readouterr().out
    assert inbox_of(cast.alice) == [("stale", person.reference)]


def test_daily_digest_counts_for_coordinators_once_a_day(rules, emails):
    cast = emails
    detained, returned = PersonFactory(), PersonFactory()
    quiet = PersonFactory()
    with at(HEARD):
        record(quiet, Status.DETAINED, HEARD, by=cast.alice)
    with at(HEARD + datetime.timedelta(days=20)):
        record(detained, Status.DETAINED, HEARD + datetime.timedelta(days=20), by=cast.alice)
        record(returned, Status.RETURNED, HEARD + datetime.timedelta(days=20), by=cast.alice)
        assert digest_send() == 1
        assert digest_send() == 0
    [email] = mail.outbox
    assert email.to == ["carol@example.org"]
    day = date_format(HEARD + datetime.timedelta(days=20), "DATE_FORMAT")
    assert email.subject == f"[Casework] Daily digest {day}"
    assert "New detentions: 1" in email.body
    assert f"Returns: 1\n  http://127.0.0.1:8000/cases/{returned.reference}/" in email.body
    assert "Stale cases (no news for longer than their status allows): 1" in email.body
    assert Digest.objects.filter(recipient=cast.carol).count() == 1
    for person in (detained, returned, quiet):
        assert person.legal_name not in email.body
        assert person.pseudonym not in email.body


def test_done_reminders_are_not_reopened_by_the_next_sweep(rules, emails):
    cast = emails
    person = PersonFactory(caseworkers=[cast.alice])
    record(person, Status.DETAINED, HEARD, by=cast.alice)
    with at(HEARD + datetime.timedelta(days=8)):
        reminders_sweep()
        Reminder.objects.update(state=ReminderState.DONE)
        reminders_sweep()
    assert list(Reminder.objects.values_list("state", flat=True)) == ["done"]


def test_a_sweep_that_meets_a_database_lock_runs_again(rules, monkeypatch):
    from django.db import OperationalError

    from casework.reminders import services

    calls = []
    sweep = services._sweep

    def locked_once(today, **options):
        calls.append(today)
        if len(calls) == 1:
            raise OperationalError("database table is locked")
        return sweep(today, **options)

    monkeypatch.setattr(services, "_sweep", locked_once)
    assert reminders_sweep(today=HEARD)["stale"] == 0
    assert calls == [HEARD, HEARD]


def test_a_sweep_does_not_hide_other_database_errors(rules, monkeypatch):
    from django.db import OperationalError

    from casework.reminders import services

    def broken(today, **options):
        raise OperationalError("no such table: reminders_reminder")

    monkeypatch.setattr(services, "_sweep", broken)
    with pytest.raises(OperationalError, match="no such table"):
        reminders_sweep(today=HEARD)


def stale_people(n: int, caseworker) -> list:
    people = [PersonFactory(caseworkers=[caseworker]) for _ in range(n)]
    for person in people:
        record(person, Status.DETAINED, HEARD, by=caseworker)
    return people


def test_the_sweep_goes_through_the_cases_in_rounds_and_reminds_each_once(
    rules, emails, monkeypatch
):
    cast = emails
    monkeypatch.setattr("casework.reminders.services.SWEEP_BATCH", 3)
    people = stale_people(10, cast.alice)
    # Held at the border as well, so that each round has escalations too.
    border = FacilityFactory(border_point=True)
    for person in people:
        record(person, Status.DETAINED, HEARD, facility=border, by=cast.alice)

    with at(HEARD + datetime.timedelta(days=8)), CaptureQueriesContext(connection) as run:
        first = reminders_sweep()
    with at(HEARD + datetime.timedelta(days=8)):
        again = reminders_sweep()

    stale = [(kind, ref) for kind, ref in inbox_of(cast.alice) if kind == RuleKind.STALE]
    assert sorted(ref for _, ref in stale) == sorted(p.reference for p in people)
    assert first["stale"] == 10 and first["escalation"] == 10
    # Each round reads its caseworkers once, for the stale and the escalation rules alike.
    rounds = -(-(people[-1].pk - people[0].pk + 1) // 3)
    assignments = [q for q in run.captured_queries if 'FROM "cases_person_assigned' in q["sql"]]
    assert len(assignments) == rounds
    assert again["stale"] == 0  # nothing new is due, and nothing is sent to be refused


def test_a_sweep_round_runs_the_same_queries_for_5_or_25_stale_cases(rules, emails):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cast = emails
    # Each email is its own claim and send; what must not grow is finding the dues.
    cast.alice.email = ""
    cast.alice.save()
    counts = []
    for n in (5, 25):
        stale_people(n, cast.alice)
        with at(HEARD + datetime.timedelta(days=8)), CaptureQueriesContext(connection) as run:
            reminders_sweep()
        counts.append(len(run.captured_queries))
        Reminder.objects.all().delete()

    assert counts[0] == counts[1]


def test_a_sweep_for_a_day_to_come_still_finds_what_it_wrote(rules, emails):
    cast = emails
    stale_people(3, cast.alice)
    later = datetime.date.today() + datetime.timedelta(days=400)

    first = reminders_sweep(today=later)
    again = reminders_sweep(today=later)

    assert first["stale"] == 3
    assert again["stale"] == 0


@pytest.mark.parametrize("zone", ["UTC", "Asia/Seoul"])
def test_the_sweep_reads_back_the_current_occurrences_only(zone, rules, emails, settings):
    """A case silent for months has a reminder for each period; the sweep reads back
    only those today's dues may repeat, and still creates nothing twice."""
    from casework.reminders import services

    settings.TIME_ZONE = zone
    cast = emails
    heard = stale_people(1, cast.alice)[0]
    with at(HEARD):
        never = PersonFactory(caseworkers=[cast.alice])  # silent since it was opened
    days = (HEARD + datetime.timedelta(days=40), HEARD + datetime.timedelta(days=70))
    for day in days:
        with at(day):
            reminders_sweep()
    today = days[-1]

    with at(today):
        dues = services._stale_dues(today, (heard.pk, never.pk + 1))
        read = services._reminded_already(dues, None, services._stale_occurrences_current(today))
        again = reminders_sweep()

    assert Reminder.objects.filter(rule__kind=RuleKind.STALE).count() == 4
    assert sorted((person, key) for _, person, key, _ in read) == sorted(
        (due.person_id, due.due_key) for due in dues
    )
    assert {person for _, person, _, _ in read} == {heard.pk, never.pk}
    assert again["stale"] == 0
