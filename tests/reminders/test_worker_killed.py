"""Real Celery workers, in processes of their own, on the real Redis and the test's
database: one killed with SIGKILL in the middle of sending reminders loses none of
them, and workers that live send each reminder once."""

import datetime
import signal
import time
from collections import Counter

import pytest
from django.utils import timezone

from casework.cases.enums import Status
from casework.reminders import tasks
from casework.reminders.models import Reminder
from tests.factories import PersonFactory, record
from tests.reminders.conftest import (
    database_shared_with_workers,
    mortal_worker,
    wait_for,
)
from tests.reminders.mortal_worker import mailbox_read
from tests.reminders.test_worker import broker_messages_left

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

# The workers' email lease, in seconds.
LEASE = 2


def stale_cases(n: int, caseworker) -> list[str]:
    """References of ``n`` cases of ``caseworker`` silent for a month, in id order."""
    people = [PersonFactory(caseworkers=[caseworker]) for _ in range(n)]
    for person in people:
        record(person, Status.DETAINED, timezone.localdate() - datetime.timedelta(days=30))
    return [person.reference for person in people]


def received(mailbox) -> list[str]:
    """The case reference of each message the mail server accepted, in order."""
    return [message["subject"].rsplit(": ", 1)[1] for message in mailbox_read(mailbox)]


@pytest.mark.parametrize(
    "accepted", [False, True], ids=["before the server took it", "after the server took it"]
)
def test_a_worker_killed_mid_batch_loses_no_reminder_email(
    accepted, rules, emails, broker, tmp_path
):
    references = stale_cases(6, emails.alice)
    mailbox = tmp_path / "mailbox.jsonl"

    with database_shared_with_workers(tmp_path) as database:
        # The worker's sweep creates the six reminders and starts emailing them; it is
        # killed while sending the third.
        with mortal_worker(database, mailbox, die_at=3, accepted=accepted, lease=LEASE) as dying:
            tasks.sweep.delay()
            assert dying.wait(timeout=60) == -signal.SIGKILL
        before_the_kill = received(mailbox)
        assert len(before_the_kill) == (3 if accepted else 2)

        # A new worker starts once the dead one's lease has run out; the dead worker's
        # sweep comes back to it (acks_late), and the beat sends another.
        time.sleep(LEASE)
        with mortal_worker(database, mailbox, lease=LEASE):
            tasks.sweep.delay()
            assert wait_for(lambda: len(set(received(mailbox))) == 6, timeout=60)
            assert wait_for(lambda: not broker_messages_left(), timeout=30)

    # Every reminder reached its caseworker. Only a message the mail server took just
    # before the worker died comes twice (under the same Message-ID): it was never marked.
    copies = Counter(received(mailbox))
    assert sorted(copies) == sorted(references)
    twice = [before_the_kill[2]] if accepted else []
    assert [reference for reference, n in copies.items() if n > 1] == twice
    assert len({m["message_id"] for m in mailbox_read(mailbox)}) == 6
    assert {m["to"][0] for m in mailbox_read(mailbox)} == {"alice@example.org"}
    assert Reminder.objects.filter(emailed_at__isnull=True).count() == 0
    assert Reminder.objects.filter(email_lease__isnull=False).count() == 0


def test_two_workers_sweeping_at_once_send_each_reminder_email_once(
    rules, emails, broker, tmp_path
):
    references = stale_cases(6, emails.alice)
    mailbox = tmp_path / "mailbox.jsonl"

    # Leases long enough that neither worker could take over what the other is sending.
    with (
        database_shared_with_workers(tmp_path) as database,
        mortal_worker(database, mailbox, lease=60),
        mortal_worker(database, mailbox, lease=60),
    ):
        for _ in range(4):
            tasks.sweep.delay()
        assert wait_for(lambda: len(received(mailbox)) >= 6, timeout=60)
        assert wait_for(lambda: not broker_messages_left(), timeout=30)

    assert sorted(received(mailbox)) == sorted(references)
    assert Reminder.objects.filter(emailed_at__isnull=False).count() == 6
