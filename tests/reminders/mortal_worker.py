"""A real Celery worker in a process of its own, for the tests that kill one.

Run as ``python -m tests.reminders.mortal_worker`` with the test's database and broker
in ``DATABASE_URL`` and ``REDIS_URL``. Its mail server is ``Mailbox``: every message it
accepts is written to the file ``CASEWORK_TEST_MAILBOX``. At message number
``CASEWORK_TEST_DIE_AT`` (counted in that file) the worker kills itself with SIGKILL:
before the server accepted it, or right after when ``CASEWORK_TEST_DIE_ACCEPTED`` is
``1``; either way before anything else runs. Its email lease is
``CASEWORK_TEST_EMAIL_LEASE`` seconds, so a test waits seconds, not minutes, for the
next worker to take over.
"""

import datetime
import json
import os
import signal

from django.core.mail.backends.base import BaseEmailBackend


class Mailbox(BaseEmailBackend):
    """Accepts each message by writing it to the mailbox file (one JSON line each)."""

    def send_messages(self, email_messages) -> int:
        path = os.environ["CASEWORK_TEST_MAILBOX"]
        die_at = int(os.environ.get("CASEWORK_TEST_DIE_AT") or 0)
        accepted_first = os.environ.get("CASEWORK_TEST_DIE_ACCEPTED") == "1"
        for message in email_messages:
            dies = die_at and len(mailbox_read(path)) + 1 >= die_at
            if dies and not accepted_first:
                os.kill(os.getpid(), signal.SIGKILL)
            line = {
                "message_id": message.extra_headers.get("Message-ID"),
                "to": message.to,
                "subject": message.subject,
            }
            with open(path, "a", encoding="utf-8") as mailbox:
                mailbox.write(json.dumps(line) + "\n")
                mailbox.flush()
                os.fsync(mailbox.fileno())
            if dies:
                os.kill(os.getpid(), signal.SIGKILL)
        return len(email_messages)


def mailbox_read(path) -> list[dict]:
    try:
        with open(path, encoding="utf-8") as mailbox:
            return [json.loads(line) for line in mailbox if line.strip()]
    except FileNotFoundError:
        return []


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.EMAIL_BACKEND = "tests.reminders.mortal_worker.Mailbox"

    from casework.celery import app
    from casework.reminders import outbox

    outbox.EMAIL_LEASE = datetime.timedelta(seconds=float(os.environ["CASEWORK_TEST_EMAIL_LEASE"]))
    # A message taken by a worker that died comes back to the next one after two seconds.
    app.conf.broker_transport_options = {
        "visibility_timeout": 2,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
    app.worker_main(
        [
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname=mortal-{os.getpid()}@%h",
        ]
    )


if __name__ == "__main__":
    main()
