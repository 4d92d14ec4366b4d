"""Reminders fixtures: default rules, cast emails, the Korean catalogue, a mail server
that can fail or kill its sender, and a real Celery worker on the test Redis."""

import contextlib
import importlib
import os
import smtplib
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.apps import apps as django_apps
from django.core.mail.backends import locmem
from django.db import connection

from casework.celery import app as celery_app

# The Redis the suite is given (REDIS_URL; each run its own database), db 5 by default.
# The worker tests empty that database.
REDIS_TEST_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/5"
REDIS_TEST_DB = int(urlsplit(REDIS_TEST_URL).path.strip("/") or 0)
# A closed port: what the app sees when Redis is down.
REDIS_DOWN_URL = f"redis://127.0.0.1:1/{REDIS_TEST_DB}"
CANARY = "Canary Ri Myong-Suk 7731"

_defaults = importlib.import_module(
    "casework.reminders.migrations.0002_default_rules_and_schedule"
).defaults_create


@pytest.fixture
def rules(db):
    """The default rules of the data migration (transactional tests flush them)."""
    _defaults(django_apps, None)
    from casework.reminders.models import ReminderRule

    return {(rule.kind, rule.status): rule for rule in ReminderRule.objects.all()}


CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "ko" / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="session")
def korean_compiled(tmp_path_factory) -> Path:
    """The Korean catalogue of the working tree, compiled apart (no ``.mo`` is kept in
    git, and one left in the tree may be older than its ``.po``)."""
    folder = tmp_path_factory.mktemp("locale")
    mo = folder / "ko" / "LC_MESSAGES" / "django.mo"
    mo.parent.mkdir(parents=True)
    subprocess.run(  # noqa: S603 - gettext's compiler on the repository's catalogue
        ["msgfmt", "--check-format", "-o", str(mo), str(CATALOGUE)],  # noqa: S607
        check=True,
    )
    return folder


@pytest.fixture
def korean(settings, korean_compiled):
    """Korean translations available to the test: the freshly compiled catalogue comes
    first on ``LOCALE_PATHS`` (changing the setting empties Django's cached catalogues)."""
    settings.LOCALE_PATHS = [korean_compiled, *settings.LOCALE_PATHS]


@pytest.fixture
def emails(cast):
    for user in (cast.alice, cast.bob, cast.carol, cast.dana, cast.erin, cast.oscar):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return cast


def _redis():
    import redis

    return redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1, socket_timeout=5)


def _redis_reachable() -> bool:
    try:
        _redis().ping()
    except Exception:  # noqa: BLE001
        return False
    return True


def celery_broker_use(url: str) -> None:
    """Point the Celery app at ``url``; pooled connections to the old broker are dropped."""
    celery_app.conf.broker_url = url
    celery_app._pool = None
    if "amqp" in celery_app.__dict__:
        celery_app.amqp._producer_pool = None


def redis_clients_drop(client) -> None:
    """Close every other connection to the test database, and the app's pooled ones.

    A stopped in-thread worker can leave a BRPOP pending on the server; Redis would
    hand the next message to that dead connection and the test would never see it.
    """
    me = client.client_id()
    for info in client.client_list():
        if int(info.get("db", -1)) == REDIS_TEST_DB and int(info["id"]) != me:
            with contextlib.suppress(Exception):
                client.client_kill_filter(_id=info["id"])
    celery_broker_use(celery_app.conf.broker_url)


@contextlib.contextmanager
def worker_running():
    """A real Celery worker (solo pool, in a thread) on the test broker."""
    from celery.contrib.testing.worker import start_worker

    with start_worker(celery_app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
        yield
    redis_clients_drop(_redis())


@pytest.fixture
def broker(settings):
    """The real Redis as the broker, its database emptied before and after; skip if absent."""
    if not _redis_reachable():
        pytest.skip(f"needs a Redis server at {REDIS_TEST_URL} for a real broker")
    client = _redis()
    client.flushdb()
    saved = {
        key: celery_app.conf[key]
        for key in ("broker_url", "broker_transport_options", "task_always_eager")
    }
    celery_app.conf.update(
        task_always_eager=False,
        # A message taken by a worker that dies comes back after two seconds.
        broker_transport_options={
            "visibility_timeout": 2,
            "unacked_restore_interval": 1,
            "unacked_restore_throttle": 1,
        },
    )
    celery_broker_use(REDIS_TEST_URL)
    redis_clients_drop(client)
    yield client
    redis_clients_drop(client)
    celery_app.conf.update(saved)
    celery_broker_use(saved["broker_url"])
    client.flushdb()


@pytest.fixture
def worker(broker):
    with worker_running():
        yield


def wait_for(predicate, timeout: float = 15.0):
    """Poll until ``predicate()`` is truthy; the value, or None after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    return predicate()


class Killed(BaseException):
    """What a SIGKILL is to the code it stops: nothing after it runs, no handler sees it."""


@dataclass
class MailServer:
    """The test mail server (Django's outbox, ``mail.outbox``), told how to misbehave:
    from message ``fails_from`` on it refuses every message; at message ``kills_at`` the
    sender dies, after the server accepted that message when ``accepted``."""

    fails_from: int | None = None
    kills_at: int | None = None
    accepted: bool = False
    attempts: int = 0

    def goes_down_after(self, n: int) -> None:
        self.fails_from = self.attempts + n + 1

    def kills_its_sender_at(self, n: int, *, accepted: bool) -> None:
        self.kills_at, self.accepted = self.attempts + n, accepted

    def recovers(self) -> None:
        self.fails_from = self.kills_at = None

    def take(self, backend, message, send) -> None:
        self.attempts += 1
        if self.fails_from is not None and self.attempts >= self.fails_from:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        dies = self.attempts == self.kills_at
        if dies and not self.accepted:
            raise Killed
        send(backend, [message])
        if dies:
            raise Killed


@pytest.fixture
def mail_server(monkeypatch) -> MailServer:
    server = MailServer()
    send = locmem.EmailBackend.send_messages

    def send_messages(backend, messages):
        for message in messages:
            server.take(backend, message, send)
        return len(messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", send_messages)
    return server


@contextlib.contextmanager
def database_shared_with_workers(folder: Path):
    """The ``DATABASE_URL`` under which a worker process reaches this test's database.

    The test must be transactional (``django_db(transaction=True)``), so what it wrote
    is committed. PostgreSQL: the test database itself. SQLite: the test database lives
    in this process's memory, so it is copied to a file for the workers and copied back
    when they are done; meanwhile the test reads nothing from it.
    """
    if connection.vendor == "postgresql":
        params = connection.settings_dict
        user = quote(params["USER"] or "", safe="")
        password = f":{quote(params['PASSWORD'], safe='')}" if params["PASSWORD"] else ""
        host = params["HOST"] or "127.0.0.1"
        port = f":{params['PORT']}" if params["PORT"] else ""
        yield f"postgres://{user}{password}@{host}{port}/{params['NAME']}"
        return
    if not connection.is_in_memory_db():
        yield f"sqlite:///{connection.settings_dict['NAME']}"
        return
    path = folder / "workers.sqlite3"
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
    try:
        yield f"sqlite:///{path}"
    finally:
        with contextlib.closing(sqlite3.connect(path)) as copy:
            copy.backup(connection.connection)


@contextlib.contextmanager
def mortal_worker(
    database_url: str, mailbox: Path, *, die_at: int = 0, accepted: bool = False, lease: float = 2
):
    """A real Celery worker process (``tests.reminders.mortal_worker``) on the test
    broker and database, killing itself at message ``die_at`` (after the mail server
    ``accepted`` it, or before); stopped (warm shutdown) on leaving, unless it died."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "casework.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_TEST_URL,
        "CASEWORK_TEST_MAILBOX": str(mailbox),
        "CASEWORK_TEST_DIE_AT": str(die_at),
        "CASEWORK_TEST_DIE_ACCEPTED": "1" if accepted else "0",
        "CASEWORK_TEST_EMAIL_LEASE": str(lease),
    }
    log = open(mailbox.with_name(f"worker-{time.monotonic_ns()}.log"), "wb")  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603 - this interpreter, a module of the tests
        [sys.executable, "-m", "tests.reminders.mortal_worker"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()
