"""Emails owed to people (reminders, digests), each delivered at least once.

A row that is owed an email (an ``EmailOutbox``) goes through three steps:

1. **Claim.** One UPDATE leases a batch of waiting rows to this sender: a token of its
   own and an expiry (``EMAIL_LEASE``). The UPDATE itself re-checks that each row is
   unsent and its lease free, so of two senders (two workers, two beats, a sweep and
   an escalation task) only one gets a row: PostgreSQL re-evaluates the condition on a
   row it had to wait for, SQLite writes one statement at a time.
2. **Send** each claimed row's message.
3. **Mark** the row ``emailed_at`` as soon as the mail server has accepted it.

Nothing is marked before it is sent, so a sender that dies (killed, machine lost)
loses nothing: its lease runs out and the next sweep takes the rows over. The price is
that the message in flight when it died may be sent twice; its ``Message-ID`` is the
same both times, so mail clients can fold the copies into one. A row once marked is
never sent again.

Each message is rendered in its addressee's language (``Outgoing.language``,
``language_of``): a sweep that emails a Korean and an English user writes to each in
their own.
"""

import contextlib
import datetime
import logging
import uuid
from collections.abc import Callable, Iterable
from typing import NamedTuple, TypeVar
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from casework.reminders.models import EmailOutbox

logger = logging.getLogger(__name__)

Row = TypeVar("Row", bound=EmailOutbox)

# How long a claim holds: far longer than a batch takes to send, shorter than the beat's
# interval between sweeps, so the next sweep takes over what a dead sender held.
EMAIL_LEASE = datetime.timedelta(minutes=10)
# Rows claimed at once: what one lease must cover, and what a dead sender holds up.
EMAIL_BATCH = 50


class Outgoing(NamedTuple):
    """One message: a template set (``emails/<name>-…``), its addressee and context, a
    ``Message-ID`` stable for the row, so a second copy is recognisably the same, and
    the addressee's language (``language_of``). The context holds values, not text in
    a language: what it shows is rendered in ``language``."""

    name: str
    to: str
    context: dict
    message_id: str
    language: str = ""


def language_of(user) -> str:
    """The language ``user`` reads emails in: their own (``User.language``), else the
    site's default (``settings.LANGUAGE_CODE``). An email has no request, so the
    browser's language that the interface falls back on is not known here."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def _in_language(language: str | None):
    """Render in ``language``; without one, in the language already active."""
    return translation.override(language) if language else contextlib.nullcontext()


def email_render(*, name: str, context: dict, language: str | None = None) -> tuple[str, str]:
    """Subject and body from ``emails/<name>-subject.txt`` and ``-body.txt``, in
    ``language`` when given (else the active language)."""
    context = {"site_url": settings.SITE_URL.rstrip("/"), **context}
    with _in_language(language):
        subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
        body = render_to_string(f"emails/{name}-body.txt", context)
    return subject, body


def email_send(
    *,
    name: str,
    to: str,
    context: dict,
    message_id: str | None = None,
    language: str | None = None,
) -> None:
    """Render (in ``language``, see ``email_render``) and send one message; returns
    once the mail server has accepted it."""
    subject, body = email_render(name=name, context=context, language=language)
    headers = {}
    if message_id:
        host = urlsplit(settings.SITE_URL).hostname or "casework.invalid"
        headers["Message-ID"] = f"<{message_id}@{host}>"
    EmailMessage(subject=subject, body=body, to=[to], headers=headers).send()


def _lease_free(now: datetime.datetime) -> Q:
    return Q(email_lease_until__isnull=True) | Q(email_lease_until__lte=now)


def emails_claim(
    waiting: QuerySet[Row], *, limit: int = EMAIL_BATCH, related: Iterable[str] = ()
) -> list[Row]:
    """Lease up to ``limit`` of the ``waiting`` rows to this sender and return them.

    The conditions on the row itself (unsent, lease free) are repeated outside the
    subquery, on the row being updated: that is where a concurrent claim is seen. The
    claimed rows are read back through ``waiting``, so by the same index as the claim.
    """
    model = waiting.model
    now = timezone.now()
    token = uuid.uuid4()
    free = _lease_free(now)
    batch = waiting.filter(free, emailed_at__isnull=True).order_by("pk").values("pk")[:limit]
    claimed = (
        model.objects.filter(free, emailed_at__isnull=True, pk__in=batch)
        .order_by()
        .update(email_lease=token, email_lease_until=now + EMAIL_LEASE)
    )
    if not claimed:
        return []
    claimed_rows = waiting.filter(email_lease=token, emailed_at__isnull=True)
    return list(claimed_rows.select_related(*related).order_by("pk"))


def emailed_mark(row: EmailOutbox) -> None:
    """The mail server accepted the row's message: it is never sent again."""
    type(row).objects.filter(pk=row.pk).update(
        emailed_at=timezone.now(), email_lease=None, email_lease_until=None
    )


def emails_deliver(
    waiting: QuerySet[Row], message_of: Callable[[Row], Outgoing], *, related: Iterable[str] = ()
) -> int:
    """Claim, send and mark the ``waiting`` rows batch by batch; return how many were sent.

    A message that fails keeps its lease until it runs out, so it is tried again by a
    later sweep, not at once by this one. A batch with a failure ends this run: a mail
    server that is down holds a sweep for one batch at most, and the rows left
    unclaimed are there for the next sweep.
    """
    sent = 0
    while rows := emails_claim(waiting, related=related):
        failed = 0
        for row in rows:
            message = message_of(row)
            try:
                email_send(
                    name=message.name,
                    to=message.to,
                    context=message.context,
                    message_id=message.message_id,
                    language=message.language,
                )
            except Exception as exc:  # noqa: BLE001 - its lease runs out, a later sweep sends it
                failed += 1
                logger.warning(
                    "%s %s not emailed (%s); a later sweep sends it",
                    type(row).__name__,
                    row.pk,
                    type(exc).__name__,
                )
                continue
            emailed_mark(row)
            sent += 1
        if failed:
            break
    return sent
