"""Administrators change the reminder rules and the beat schedule in the admin."""

import pytest
from django_celery_beat.models import PeriodicTask

from casework.cases.enums import Status
from casework.reminders.enums import RuleKind
from casework.reminders.models import ReminderRule

pytestmark = pytest.mark.django_db


def test_the_schedule_is_in_the_database_sweep_every_15_minutes_digest_daily():
    sweep = PeriodicTask.objects.get(task="reminders.sweep")
    digest = PeriodicTask.objects.get(task="reminders.digest")
    assert (sweep.enabled, sweep.interval.every, sweep.interval.period) == (True, 15, "minutes")
    assert (digest.enabled, digest.crontab.minute, digest.crontab.hour) == (True, "0", "6")


def test_an_administrator_changes_the_days_of_a_rule(client_for, cast, rules):
    rule = rules[(RuleKind.STALE, Status.DETAINED)]
    client = client_for(cast.erin)
    url = f"/admin/reminders/reminderrule/{rule.pk}/change/"
    response = client.post(
        url,
        {
            "kind": "stale",
            "status": "detained",
            "days": "5",
            "audience": "caseworkers",
            "active": "on",
            "send_email": "on",
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.days == 5


def test_a_no_news_rule_without_days_is_refused(client_for, cast, rules):
    rule = rules[(RuleKind.STALE, Status.DETAINED)]
    response = client_for(cast.erin).post(
        f"/admin/reminders/reminderrule/{rule.pk}/change/",
        {"kind": "stale", "status": "detained", "days": "", "audience": "caseworkers"},
    )
    assert response.status_code == 200
    assert "A “no news” or letter rule needs a number of days." in response.content.decode()
    rule.refresh_from_db()
    assert rule.days == 7


def test_an_administrator_may_change_the_sweep_schedule(client_for, cast):
    sweep = PeriodicTask.objects.get(task="reminders.sweep")
    response = client_for(cast.erin).get(
        f"/admin/django_celery_beat/periodictask/{sweep.pk}/change/"
    )
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["alice", "carol"])
def test_caseworkers_and_coordinators_may_not_change_rules(client_for, cast, rules, who):
    rule = rules[(RuleKind.STALE, Status.DETAINED)]
    response = client_for(getattr(cast, who)).post(
        f"/admin/reminders/reminderrule/{rule.pk}/change/",
        {"kind": "stale", "status": "detained", "days": "1", "audience": "caseworkers"},
    )
    assert response.status_code == 403
    assert ReminderRule.objects.get(pk=rule.pk).days == 7
