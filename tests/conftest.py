"""The fixed cast every permission test reuses (after healthchecks' test users):
two caseworkers on different teams, a coordinator, an advocate, an administrator and
an outsider caseworker who is assigned nothing."""

import os
from dataclasses import dataclass

import pytest

from casework.accounts.enums import Role
from casework.accounts.models import User
from tests.factories import TeamFactory, UserFactory

pytest_plugins = ["tests.browser"]


@dataclass
class Cast:
    alice: User  # caseworker, team North
    bob: User  # caseworker, team South
    carol: User  # coordinator
    dana: User  # advocate
    erin: User  # administrator
    oscar: User  # caseworker on a team of his own, assigned nothing: the outsider


@pytest.fixture(autouse=True)
def role_groups_after_flush(request):
    """Put the role groups back for transactional tests (browser tests).

    Such a test empties every table when it ends; permissions come back (post_migrate)
    but not what data migrations wrote, so the next transactional test would find no
    role groups. Harmless when they exist.
    """
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Group, Permission

    from casework.accounts.roles import ROLE_PERMISSIONS

    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        for name in names:
            app_label, codename = name.split(".")
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


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
