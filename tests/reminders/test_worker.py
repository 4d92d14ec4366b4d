"""A real Celery worker on the real Redis: no reminder doubled, none lost, no identity leaked."""

import datetime
import json
import logging
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from casework.cases.enums import Status
from casework.cases.models import CustodyEvent
from casework.celery import app as celery_app
from casework.reminders import tasks
from casework.reminders.enums import RuleKind
from casework.reminders.models import Reminder
from casework.reminders.services import reminders_escalate, reminders_sweep
from tests.factories import FacilityFactory, PersonFactory, record
from tests.reminders.conftest import (
    CANARY,
    REDIS_DOWN_URL,
    REDIS_TEST_URL,
    celery_broker_use,
    wait_for,
    worker_running,
)

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def escalations_for(user) -> list[str]:
    return list(
        Reminder.objects.filter(recipient=user, rule__kind=RuleKind.ESCALATION).values_list(
            "person__reference", flat=True
        )
    )


def broker_messages(client) -> list[bytes]:
    """Every raw message the broker holds: queues (lists) and unacked ones (hashes)."""
    raw = []
    for key in client.keys("*"):
        kind = client.type(key)
        if kind == b"list":
            raw.extend(client.lrange(key, 0, -1))
        elif kind == b"hash":
            raw.extend(client.hvals(key))
    return raw


def test_a_stale_case_yields_one_reminder_when_sweeps_run_at_once(rules, emails, worker):
    cast = emails
    person = PersonFactory(caseworkers=[cast.alice])
    record(person, Status.DETAINED, timezone.localdate() - datetime.timedelta(days=30))

    # Two beats deliver the sweep to the worker, and two sweeps run by hand at the same time.
    tasks.sweep.delay()
    tasks.sweep.delay()
    start = threading.Barrier(2)
    errors = []

    def sweep_by_hand():
        try:
            start.wait()
            reminders_sweep()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep_by_hand) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # Wait until the worker has drained both beats.
    assert wait_for(lambda: not broker_messages_left(), timeout=20)

    assert list(
        Reminder.objects.filter(person=person).values_list("recipient__username", "rule__kind")
    ) == [("alice", "stale")]
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def broker_messages_left() -> bool:
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL)
    return bool(client.llen("celery") or client.hlen("unacked"))


def test_an_escalation_reaches_coordinators_within_seconds(rules, emails, worker):
    cast = emails
    person = PersonFactory(caseworkers=[cast.alice])
    record(person, Status.DETAINED, timezone.localdate(), by=cast.alice)
    assert escalations_for(cast.carol) == []

    # The caseworker learns she was moved to a border point: no sweep runs after this.
    record(
        person,
        Status.TRANSFERRED,
        timezone.localdate(),
        by=cast.alice,
        facility=FacilityFactory(border_point=True),
    )
    assert wait_for(lambda: escalations_for(cast.carol), timeout=10) == [person.reference]
    assert wait_for(lambda: mail.outbox, timeout=5)
    assert mail.outbox[0].to == ["carol@example.org"]
    assert mail.outbox[0].subject == f"[Casework] URGENT: at risk of return: {person.reference}"
    assert escalations_for(cast.alice) == []


def test_an_update_that_puts_nobody_at_risk_queues_nothing(rules, emails, broker):
    cast = emails
    person = PersonFactory(caseworkers=[cast.alice])
    record(person, Status.DETAINED, timezone.localdate(), by=cast.alice)
    assert broker_messages(broker) == []


def test_a_worker_killed_mid_task_loses_nothing(rules, emails, broker):
    cast = emails
    person = PersonFactory(caseworkers=[cast.alice])
    record(person, Status.AT_RISK_OF_RETURN, timezone.localdate(), by=cast.alice)

    # A worker takes the escalation and dies before acknowledging it (acks_late): the
    # process is gone, so nothing hands the message back.
    connection_ = celery_app.connection_for_read()
    queue = connection_.SimpleQueue("celery", no_ack=False)
    message = queue.get(timeout=5)
    assert message.headers["task"] == "reminders.escalate"
    assert message.headers["kwargsrepr"] == repr(
        {"event_ids": list(CustodyEvent.objects.filter(person=person).values_list("pk", flat=True))}
    )
    assert broker.llen("celery") == 0
    assert broker.hlen("unacked") == 1
    queue.channel.qos.restore_at_shutdown = False
    connection_.release()
    assert escalations_for(cast.carol) == []

    # A new worker starts: the unacknowledged message comes back and is done.
    with worker_running():
        assert wait_for(lambda: escalations_for(cast.carol), timeout=20) == [person.reference]
        assert wait_for(lambda: not broker_messages_left(), timeout=10)
    assert [m.to for m in mail.outbox] == [["carol@example.org"]]


def test_with_the_broker_down_the_update_is_saved_and_the_next_sweep_escalates(
    rules, emails, broker, caplog
):
    cast = emails
    person = PersonFactory(caseworkers=[cast.alice])
    celery_broker_use(REDIS_DOWN_URL)
    with caplog.at_level(logging.WARNING, logger="casework.reminders"):
        [event] = record(person, Status.AT_RISK_OF_RETURN, timezone.localdate(), by=cast.alice)
    assert CustodyEvent.objects.filter(pk=event.pk).exists()
    assert [r.getMessage() for r in caplog.records if r.name.startswith("casework")] == [
        "Escalation for 1 event(s) not queued (OperationalError); the next sweep will deliver it"
    ]
    assert escalations_for(cast.carol) == []

    # Redis is back; the beat's next sweep finds the person at risk.
    celery_broker_use(REDIS_TEST_URL)
    with worker_running():
        tasks.sweep.delay()
        assert wait_for(lambda: escalations_for(cast.carol), timeout=10) == [person.reference]
    assert [m.to for m in mail.outbox] == [["carol@example.org"]]


def test_a_canary_legal_name_reaches_no_task_log_email_or_broker_message(
    rules, emails, broker, caplog, settings
):
    cast = emails
    person = PersonFactory(caseworkers=[cast.alice], legal_name=CANARY, pseudonym="Canary Bird")
    caplog.set_level(logging.DEBUG)
    border = FacilityFactory(border_point=True)
    [event] = record(
        person,
        Status.DETAINED,
        timezone.localdate() - datetime.timedelta(days=10),
        by=cast.alice,
        facility=border,
        place="Canary Street",
    )
    # The raw messages waiting in Redis: ids only.
    raw = broker_messages(broker)
    assert len(raw) == 1
    body = json.loads(raw[0])
    assert json.loads(__import__("base64").b64decode(body["body"])) == [
        [],
        {"event_ids": [event.pk]},
        {"callbacks": None, "errbacks": None, "chain": None, "chord": None},
    ]

    with worker_running():
        assert wait_for(lambda: escalations_for(cast.carol), timeout=10) == [person.reference]
        tasks.sweep.delay()
        assert wait_for(lambda: Reminder.objects.filter(rule__kind="stale").exists(), timeout=10)
        assert wait_for(lambda: not broker_messages_left(), timeout=10)

    results = [
        reminders_sweep(),
        reminders_escalate(event_ids=[event.pk]),
        tasks.escalate.apply(kwargs={"event_ids": [event.pk]}).get(),
        tasks.sweep.apply().get(),
        tasks.digest.apply().get(),
    ]
    assert {m.to[0] for m in mail.outbox} == {"alice@example.org", "carol@example.org"}
    leaks = ("Canary", "Ri Myong", border.name_en)
    texts = {
        "task results": repr(results),
        "log lines": caplog.text + repr([r.args for r in caplog.records]),
        "emails": "".join(m.subject + m.body + repr(m.to) for m in mail.outbox),
        "broker": repr(broker_messages(broker)),
    }
    for where, text in texts.items():
        for secret in leaks:
            assert secret not in text, f"{secret!r} leaked into {where}"


def test_gone_events_are_skipped_quietly(rules, emails):
    assert tasks.escalate.apply(kwargs={"event_ids": [987654]}).get() == {
        "escalation": 0,
        "emailed": 0,
    }
