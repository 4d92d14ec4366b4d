"""The inbox as its owner sees it: links to cases, done, snooze, and nobody else's."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from casework.cases.enums import Status
from casework.reminders.enums import ClosedBecause, ReminderState, RuleKind
from casework.reminders.models import Reminder
from casework.reminders.services import reminders_sweep
from tests.factories import PersonFactory, record

pytestmark = pytest.mark.django_db

HEARD = datetime.date(2026, 3, 2)


@pytest.fixture
def stale_for_alice(rules, cast):
    person = PersonFactory(caseworkers=[cast.alice], pseudonym="Plum Blossom")
    record(person, Status.DETAINED, HEARD, by=cast.alice)
    reminders_sweep(today=HEARD + datetime.timedelta(days=8))
    return Reminder.objects.get(recipient=cast.alice)


def test_inbox_lists_my_reminders_with_a_link_to_the_case(client_for, cast, stale_for_alice):
    reference = stale_for_alice.person.reference
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9), tick=False):
        response = client_for(cast.alice).get("/inbox/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<a href="/cases/{reference}/">{reference}</a> Plum Blossom' in html
    # The true silence (8 March to 10 March: eight days), not the rule's seven.
    assert "No news for 8 days while detained" in html
    # The header shows how many are waiting.
    assert 'Inbox<span id="inbox-count"> <span class="badge warn"' in html
    assert '1 pending">1</span>' in html


def test_someone_elses_inbox_is_empty_and_shows_no_count(client_for, cast, stale_for_alice):
    html = client_for(cast.bob).get("/inbox/").content.decode()
    assert stale_for_alice.person.reference not in html
    assert "Nothing is due." in html
    assert '<span id="inbox-count"></span>' in html


def test_mark_done_with_htmx_removes_the_row_and_updates_the_count(
    client_for, cast, stale_for_alice
):
    response = client_for(cast.alice).post(
        f"/inbox/{stale_for_alice.pk}/done", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.content.decode().strip() == (
        '<span id="inbox-count" hx-swap-oob="true"></span>'
    )
    stale_for_alice.refresh_from_db()
    assert stale_for_alice.state == ReminderState.DONE
    assert stale_for_alice.done_at is not None


def test_mark_done_without_javascript_returns_to_the_inbox(client_for, cast, stale_for_alice):
    response = client_for(cast.alice).post(f"/inbox/{stale_for_alice.pk}/done")
    assert (response.status_code, response.url) == (302, "/inbox/")


def test_snooze_hides_a_reminder_until_its_day(client_for, cast, stale_for_alice):
    client = client_for(cast.alice)
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9), tick=False):
        response = client.post(
            f"/inbox/{stale_for_alice.pk}/snooze", {"days": "3"}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200
        stale_for_alice.refresh_from_db()
        assert stale_for_alice.state == ReminderState.SNOOZED
        assert stale_for_alice.snoozed_until == datetime.date(2026, 3, 13)
        assert stale_for_alice.person.reference not in client.get("/inbox/").content.decode()
    with time_machine.travel(datetime.datetime(2026, 3, 13, 9), tick=False):
        assert stale_for_alice.person.reference in client.get("/inbox/").content.decode()


def test_snooze_for_an_unoffered_number_of_days_is_refused(client_for, cast, stale_for_alice):
    response = client_for(cast.alice).post(f"/inbox/{stale_for_alice.pk}/snooze", {"days": "400"})
    assert response.status_code == 400
    assert response.content.decode() == "Choose how long to snooze: 1, 3, 7, 14 days."
    stale_for_alice.refresh_from_db()
    assert stale_for_alice.state == ReminderState.OPEN


@pytest.mark.parametrize("action", ["done", "snooze"])
def test_another_users_reminder_is_404(client_for, cast, stale_for_alice, action):
    for user in (cast.bob, cast.carol, cast.oscar):
        response = client_for(user).post(f"/inbox/{stale_for_alice.pk}/{action}", {"days": "3"})
        assert response.status_code == 404
    stale_for_alice.refresh_from_db()
    assert stale_for_alice.state == ReminderState.OPEN


def test_a_reminder_on_a_case_i_no_longer_see_leaves_my_inbox(client_for, cast, stale_for_alice):
    stale_for_alice.person.assigned_caseworkers.clear()
    client = client_for(cast.alice)
    assert stale_for_alice.person.reference not in client.get("/inbox/").content.decode()
    assert client.post(f"/inbox/{stale_for_alice.pk}/done").status_code == 404


def test_inbox_needs_a_login(client):
    response = client.get("/inbox/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_done_is_post_only(client_for, cast, stale_for_alice):
    assert client_for(cast.alice).get(f"/inbox/{stale_for_alice.pk}/done").status_code == 405


@pytest.mark.parametrize("count", [1, 30])
def test_inbox_query_count_does_not_grow(
    client_for, cast, rules, count, django_assert_max_num_queries
):
    rule = rules[(RuleKind.FOLLOW_UP, "")]
    for n in range(count):
        person = PersonFactory(caseworkers=[cast.alice])
        Reminder.objects.create(recipient=cast.alice, rule=rule, person=person, due_key=f"{n}")
        Reminder.objects.create(
            recipient=cast.alice,
            rule=rule,
            person=person,
            due_key=f"closed-{n}",
            state=ReminderState.CLOSED,
            closed_because=ClosedBecause.NEWS_ARRIVED,
            done_at=timezone.now(),
        )
    client = client_for(cast.alice)
    # One query more than before the list of reminders news closed; still fixed.
    with django_assert_max_num_queries(7):
        response = client.get("/inbox/")
    assert response.content.decode().count('<tr id="reminder-') == count


def test_escalations_come_first_in_the_inbox(client_for, cast, rules):
    quiet, at_risk = PersonFactory(caseworkers=[cast.carol]), PersonFactory()
    Reminder.objects.create(
        recipient=cast.carol, rule=rules[(RuleKind.ESCALATION, "")], person=at_risk, due_key="a"
    )
    Reminder.objects.create(
        recipient=cast.carol, rule=rules[(RuleKind.FOLLOW_UP, "")], person=quiet, due_key="b"
    )
    html = client_for(cast.carol).get("/inbox/").content.decode()
    assert html.index(at_risk.reference) < html.index(quiet.reference)


def test_the_badge_stops_counting_past_99(client_for, cast, stale_for_alice):
    Reminder.objects.bulk_create(
        Reminder(
            recipient=cast.alice,
            rule=stale_for_alice.rule,
            person=stale_for_alice.person,
            due_key=f"test:{i}",
        )
        for i in range(99)
    )

    html = client_for(cast.alice).get("/cases/").content.decode()

    assert '99+ pending">99+</span>' in html
