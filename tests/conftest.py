"""The fixed cast every permission test reuses (after healthchecks' test users):
two caseworkers on different teams, a coordinator, an advocate, an administrator and
an outsider caseworker who is assigned nothing."""

from dataclasses import dataclass

import pytest

from casework.accounts.enums import Role
from casework.accounts.models import User
from tests.factories import TeamFactory, UserFactory


@dataclass
class Cast:
    alice: User  # caseworker, team North
    bob: User  # caseworker, team South
    carol: User  # coordinator
    dana: User  # advocate
    erin: User  # administrator
    oscar: User  # caseworker on a team of his own, assigned nothing: the outsider


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
