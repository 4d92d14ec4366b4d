"""The admin lists run a fixed number of queries, whatever the number of people: each
row's status, place and roll-up come from annotations, not from a query per row."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.accounts.enums import Role
from casework.cases import permissions, synthetic
from casework.cases.models import Group, GroupMembership
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

UNTIL = datetime.date(2025, 6, 30)
LISTS = (
    "/admin/cases/person/",
    "/admin/cases/person/?status=detained",
    "/admin/cases/person/?vulnerability=child",
    "/admin/cases/person/?stale=yes",
    "/admin/cases/person/?province=Jilin",
    "/admin/cases/group/",
)


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def test_admin_lists_run_the_same_queries_at_1000_and_10000_people(cast, client_for):
    coordinator = client_for(cast.carol)
    synthetic.seed(persons=1_000, seed=1, until=UNTIL)
    at_1000 = {path: queries_for(coordinator, path) for path in LISTS}

    synthetic.seed(persons=9_000, seed=2, until=UNTIL)
    at_10000 = {path: queries_for(coordinator, path) for path in LISTS}

    assert at_10000 == at_1000
    assert at_1000 == {
        "/admin/cases/person/": 10,
        "/admin/cases/person/?status=detained": 10,
        "/admin/cases/person/?vulnerability=child": 10,
        "/admin/cases/person/?stale=yes": 10,
        "/admin/cases/person/?province=Jilin": 10,
        "/admin/cases/group/": 6,
    }


def test_a_caseworker_sees_only_the_groups_of_their_teams_cases(cast, client_for):
    """The faster group visibility (EXISTS on the member's row) hides the same groups."""
    synthetic.seed(persons=300, seed=3, until=UNTIL)
    visible_people = set(permissions.persons_visible_to(cast.alice).values_list("pk", flat=True))
    expected = {m.group_id for m in GroupMembership.objects.all() if m.person_id in visible_people}

    assert set(permissions.groups_visible_to(cast.alice).values_list("pk", flat=True)) == expected
    stranger = UserFactory(role=Role.CASEWORKER, team=TeamFactory(name="Nowhere"))
    assert list(permissions.groups_visible_to(stranger)) == []
    assert permissions.groups_visible_to(cast.carol).count() == Group.objects.count()
