"""The fixed cast every permission test reuses (after healthchecks' test users):
two caseworkers on different teams, a coordinator, an advocate, an administrator and
an outsider caseworker who is assigned nothing."""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from casework.accounts.enums import Role
from casework.accounts.models import User
from tests.factories import TeamFactory, UserFactory

pytest_plugins = ["tests.browser", "tests.production"]

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def pytest_sessionstart(session):
    """Compile each catalogue whose .mo is missing or older than its .po, as `make test`
    does (Makefile `translations`), so that a bare `pytest` tests the translations as
    they are. Without msgfmt the pages stay English and the Korean tests say so."""
    if shutil.which("msgfmt") is None:
        return
    for po in LOCALE.glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)  # noqa: S603, S607


@dataclass
class Cast:
    alice: User  # caseworker, team North
    bob: User  # caseworker, team South
    carol: User  # coordinator
    dana: User  # advocate
    erin: User  # administrator
    oscar: User  # caseworker on a team of his own, assigned nothing: the outsider


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test draws its pages anew: rows (and their ids) do not outlive a test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's language. A request leaves the language it chose
    active in its thread (in a server the next request's middleware chooses again), and
    a test's commands and emails would otherwise speak the previous test's language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After every test that used the database, the board's kept counts equal a recount.

    A test, or code, that changes a person behind the services' back fails here.
    """
    result = yield
    uses_database = item.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(getattr(item, "fixturenames", ()))
    if uses_database and not item.get_closest_marker("no_tally_check"):
        from casework.cases.tallies import tallies_rebuild

        assert tallies_rebuild(check_only=True) == 0, "the board tallies drifted from the records"
    return result


@pytest.fixture
def cast(db) -> Cast:
    north = TeamFactory(name="North")
    south = TeamFactory(name="South")
    return Cast(
        alice=UserFactory(username="alice", role=Role.CASEWORKER, team=north),
        bob=UserFactory(username="bob", role=Role.CASEWORKER, team=south),
        carol=UserFactory(username="carol", role=Role.COORDINATOR),
        dana=UserFactory(username="dana", role=Role.ADVOCATE),
        erin=UserFactory(username="erin", role=Role.ADMINISTRATOR),
        oscar=UserFactory(username="oscar", role=Role.CASEWORKER, team=TeamFactory(name="East")),
    )


@pytest.fixture
def client_for(client):
    """Log a cast member in: ``client_for(cast.alice)``."""

    def login(user: User):
        client.force_login(user)
        return client

    return login


# In CI (CASEWORK_REQUIRE_SERVICES=1) a skipped test is a failed test: a test that
# needs Redis or Chromium and did not get it must not pass silently there.
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CASEWORK_REQUIRE_SERVICES") == "1":
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped in CI, where every service must be present: {reason}"
