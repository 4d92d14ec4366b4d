"""The "no news" rule an administrator edits is the one staleness of the board, its
kept tallies, the digest and the reminders."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.cases.enums import Status
from casework.cases.tallies import tallies_rebuild, tallies_restale, tallies_roll
from casework.celery import app as celery_app
from casework.reminders.enums import RuleKind
from casework.reminders.models import Reminder, ReminderRule
from casework.reminders.services import digest_counts, reminders_sweep
from tests.board.test_tallies import both_ways


@pytest.fixture
def tasks_run_here():
    """The recount task runs in this process, as a worker would run it."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


def transferred_rule() -> ReminderRule:
    rule, _ = ReminderRule.objects.get_or_create(
        kind=RuleKind.STALE, status=Status.TRANSFERRED, defaults={"days": 7}
    )
    return rule


def test_an_edited_staleness_rule_changes_the_board_and_the_reminders_alike(
    world, cast, today, tasks_run_here, django_capture_on_commit_callbacks
):
    rule = transferred_rule()
    before, _ = both_ways(cast.carol, {"stale": "true"}, today)
    digest_before = digest_counts(user=cast.carol, since=datetime.datetime.now(datetime.UTC))
    reminders_sweep(today=today)
    assert not Reminder.objects.filter(person=world.bae, rule=rule).exists()

    # Bae was last heard of on 25 June, transferred: five days is too long under a
    # three-day rule.
    with django_capture_on_commit_callbacks(execute=True):
        rule.days = 3
        rule.save()

    after, counted = both_ways(cast.carol, {"stale": "true"}, today)
    assert after == counted
    assert after["count"] == before["count"] + 1
    assert tallies_rebuild(check_only=True) == 0
    digest_after = digest_counts(user=cast.carol, since=datetime.datetime.now(datetime.UTC))
    assert digest_after["stale"] == digest_before["stale"] + 1
    reminders_sweep(today=today)
    assert Reminder.objects.filter(person=world.bae, rule=rule, recipient=cast.alice).exists()


def test_the_recount_after_a_rule_change_can_run_twice(world, cast, today):
    rule = transferred_rule()
    tallies_roll(today)
    ReminderRule.objects.filter(pk=rule.pk).update(days=3)  # the task not yet run
    assert tallies_rebuild(check_only=True) > 0

    tallies_restale([Status.TRANSFERRED])
    tallies_restale([Status.TRANSFERRED])

    assert tallies_rebuild(check_only=True) == 0


def test_the_board_reads_the_staleness_rules_once_per_request(world, client_for, cast):
    client = client_for(cast.carol)
    client.get(reverse("board:index"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("board:index"), {"stale": "true"}).status_code == 200
    rule_reads = [q for q in captured if "reminders_reminderrule" in q["sql"]]
    assert len(rule_reads) == 1
