"""Reminder and digest emails go out at least once: marked only when the mail server
took them, and taken over by a later sweep when their sender failed or died."""

import datetime
import uuid

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.formats import date_format

from casework.cases.enums import Status
from casework.reminders.models import Digest, Reminder
from casework.reminders.outbox import EMAIL_LEASE, emails_claim
from casework.reminders.services import digest_send, reminders_email, reminders_sweep
from tests.factories import PersonFactory, record
from tests.reminders.conftest import Killed

pytestmark = pytest.mark.django_db

HEARD = datetime.date(2026, 3, 2)
# Eight days without news: each detained case is due a stale reminder.
DUE = datetime.datetime.combine(HEARD + datetime.timedelta(days=8), datetime.time(9), datetime.UTC)
# The beat's next sweep, once a lease taken at DUE has run out.
NEXT_SWEEP = DUE + datetime.timedelta(minutes=15)


def at(moment: datetime.datetime):
    return time_machine.travel(moment, tick=False)


def detained_cases(n: int, caseworker) -> list[str]:
    """References of ``n`` cases of ``caseworker``, silent since HEARD, in id order."""
    people = [PersonFactory(caseworkers=[caseworker]) for _ in range(n)]
    for person in people:
        record(person, Status.DETAINED, HEARD, by=caseworker)
    return [person.reference for person in people]


def in_sending_order() -> list[str]:
    """The references of the reminders, in the order a sender claims them (by id)."""
    return list(Reminder.objects.order_by("pk").values_list("person__reference", flat=True))


def emailed_references() -> list[str]:
    """The case reference of each message the mail server accepted, in order."""
    return [message.subject.rsplit(": ", 1)[1] for message in mail.outbox]


def unmarked() -> list[str]:
    return sorted(
        Reminder.objects.filter(emailed_at__isnull=True).values_list("person__reference", flat=True)
    )


def test_a_sender_that_dies_mid_batch_loses_nothing(rules, emails, mail_server):
    references = detained_cases(4, emails.alice)
    mail_server.kills_its_sender_at(3, accepted=False)

    with at(DUE), pytest.raises(Killed):
        reminders_sweep()
    # Two went out and were marked; the third and fourth were claimed, never sent.
    order = in_sending_order()
    assert sorted(order) == sorted(references)
    assert emailed_references() == order[:2]
    assert unmarked() == sorted(order[2:])

    # The beat retries at once: the dead sender's lease still holds, nothing is doubled.
    mail_server.recovers()
    with at(DUE + datetime.timedelta(minutes=1)):
        assert reminders_sweep()["emailed"] == 0

    # The next sweep, after the lease ran out, takes the two over.
    with at(NEXT_SWEEP):
        assert reminders_sweep()["emailed"] == 2
    assert emailed_references() == order
    assert unmarked() == []


def test_the_message_in_flight_when_its_sender_died_comes_again_with_the_same_id(
    rules, emails, mail_server, settings
):
    settings.SITE_URL = "https://casework.example.org"
    [reference] = detained_cases(1, emails.alice)
    mail_server.kills_its_sender_at(1, accepted=True)

    with at(DUE), pytest.raises(Killed):
        reminders_sweep()
    with at(NEXT_SWEEP):
        reminders_sweep()

    # Accepted, but its sender died before marking it: sent again, never lost.
    assert emailed_references() == [reference, reference]
    reminder = Reminder.objects.get()
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [
        f"<reminder-{reminder.pk}@casework.example.org>"
    ] * 2
    assert reminder.emailed_at == NEXT_SWEEP


def test_a_mail_server_failing_mid_batch_leaves_the_unsent_unmarked_for_the_next_sweep(
    rules, emails, mail_server, caplog
):
    references = detained_cases(4, emails.alice)
    mail_server.goes_down_after(2)

    with at(DUE):
        assert reminders_sweep()["emailed"] == 2
    order = in_sending_order()
    assert sorted(order) == sorted(references)
    assert emailed_references() == order[:2]
    assert unmarked() == sorted(order[2:])
    failed = Reminder.objects.filter(emailed_at__isnull=True).order_by("pk")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("casework")][:2] == [
        f"Reminder {pk} not emailed (SMTPServerDisconnected); a later sweep sends it"
        for pk in failed.values_list("pk", flat=True)
    ]

    mail_server.recovers()
    with at(NEXT_SWEEP):
        assert reminders_sweep()["emailed"] == 2
    assert emailed_references() == order
    assert unmarked() == []


def test_an_emailed_reminder_is_not_sent_again(rules, emails):
    references = detained_cases(2, emails.alice)
    with at(DUE):
        reminders_sweep()
    with at(NEXT_SWEEP):
        assert reminders_sweep()["emailed"] == 0
        assert reminders_email() == 0
    assert sorted(emailed_references()) == sorted(references)


def held_by_another_sender(until: datetime.datetime) -> None:
    Reminder.objects.update(email_lease=uuid.uuid4(), email_lease_until=until)


def test_a_live_lease_is_not_taken_over(rules, emails):
    detained_cases(1, emails.alice)
    with at(DUE):
        reminders_sweep()
    Reminder.objects.update(emailed_at=None)
    held_by_another_sender(until=DUE + datetime.timedelta(minutes=5))

    with at(DUE + datetime.timedelta(minutes=4)):
        assert reminders_email() == 0
    assert len(mail.outbox) == 1
    assert Reminder.objects.get().emailed_at is None


def test_an_expired_lease_is_taken_over(rules, emails):
    [reference] = detained_cases(1, emails.alice)
    with at(DUE):
        reminders_sweep()
    Reminder.objects.update(emailed_at=None)
    held_by_another_sender(until=DUE + datetime.timedelta(minutes=5))

    with at(DUE + datetime.timedelta(minutes=6)):
        assert reminders_email() == 1
    assert emailed_references() == [reference, reference]
    reminder = Reminder.objects.get()
    assert reminder.emailed_at is not None
    assert (reminder.email_lease, reminder.email_lease_until) == (None, None)


def test_two_senders_claim_disjoint_batches(rules, emails):
    detained_cases(3, emails.alice)
    with at(DUE):
        reminders_sweep()
    Reminder.objects.update(emailed_at=None)
    waiting = Reminder.objects.all()
    ids = sorted(waiting.values_list("pk", flat=True))

    with at(DUE):
        first = emails_claim(waiting, limit=2)
        second = emails_claim(waiting, limit=2)
        third = emails_claim(waiting, limit=2)

    assert [[r.pk for r in rows] for rows in (first, second, third)] == [ids[:2], ids[2:], []]
    assert {r.email_lease_until for r in first} == {DUE + EMAIL_LEASE}
    assert first[0].email_lease != second[0].email_lease


def test_emailing_takes_one_query_per_message_beyond_three(rules, emails):
    """Claiming what to email costs the same for 5 messages as for 25 (the claim, its
    read back, and the claim that finds nothing left); each message costs its mark,
    written as soon as the mail server took it."""
    cast = emails
    address, cast.alice.email = cast.alice.email, ""
    cast.alice.save()
    counts = []
    for n in (5, 25):
        detained_cases(n, cast.alice)
        with at(DUE):
            reminders_sweep(every_case=True)
        type(cast.alice).objects.filter(pk=cast.alice.pk).update(email=address)
        with at(DUE), CaptureQueriesContext(connection) as run:
            assert reminders_email() == n
        counts.append(len(run.captured_queries))
        type(cast.alice).objects.filter(pk=cast.alice.pk).update(email="")

    assert counts == [5 + 3, 25 + 3]


def test_a_digest_whose_sender_died_is_sent_by_the_next_sweep(rules, emails, mail_server):
    cast = emails
    mail_server.kills_its_sender_at(1, accepted=False)
    with at(DUE), pytest.raises(Killed):
        digest_send()
    assert mail.outbox == []

    # The beat's retry of the digest task finds the lease alive, and sends nothing.
    mail_server.recovers()
    with at(DUE + datetime.timedelta(minutes=1)):
        assert digest_send() == 0
    with at(NEXT_SWEEP):
        assert reminders_sweep()["digests"] == 1
        assert digest_send() == 0
        assert reminders_sweep()["digests"] == 0

    [email] = mail.outbox
    assert email.to == ["carol@example.org"]
    digest = Digest.objects.get(recipient=cast.carol)
    assert email.subject == f"[Casework] Daily digest {date_format(DUE.date(), 'DATE_FORMAT')}"
    assert email.extra_headers["Message-ID"] == f"<digest-{digest.pk}@127.0.0.1>"
    assert digest.emailed_at == NEXT_SWEEP


def test_a_digest_the_mail_server_refused_is_sent_by_the_next_sweep(rules, emails, mail_server):
    mail_server.goes_down_after(0)
    with at(DUE):
        assert digest_send() == 0
    assert Digest.objects.get().emailed_at is None

    mail_server.recovers()
    with at(NEXT_SWEEP):
        assert reminders_sweep()["digests"] == 1
    assert [m.to for m in mail.outbox] == [["carol@example.org"]]


def test_a_digest_taken_over_later_still_covers_the_day_before_it_fell_due(rules, emails):
    cast = emails
    detained_at = DUE - datetime.timedelta(hours=20)
    with at(detained_at):
        record(PersonFactory(), Status.DETAINED, detained_at.date(), by=cast.alice)
    with at(DUE):
        Digest.objects.create(recipient=cast.carol, day=DUE.date())
    # Taken over late in the day: the detention is older than a day by then.
    with at(DUE + datetime.timedelta(hours=14)):
        assert reminders_sweep()["digests"] == 1
    [email] = mail.outbox
    assert "New detentions: 1" in email.body


def test_a_digest_not_sent_on_its_day_is_left_for_the_next_days_digest(rules, emails):
    cast = emails
    with at(DUE):
        Digest.objects.create(recipient=cast.carol, day=DUE.date())
    with at(DUE + datetime.timedelta(days=1)):
        assert reminders_sweep()["digests"] == 0
    assert mail.outbox == []
