"""The admin lists run a fixed number of queries, whatever the number of people: each
row's status, place and roll-up come from annotations, not from a query per row."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.accounts import middleware
from casework.accounts.enums import Role
from casework.cases import permissions
from casework.cases.enums import Status
from casework.cases.models import Group, GroupMembership, Person
from casework.cases.state import DEFAULT_STALE_AFTER_DAYS as STALE_AFTER_DAYS
from casework.cases.state import IN_CUSTODY
from casework_dev.synthetic import cases as synthetic
from tests.factories import GroupFactory, PersonFactory, TeamFactory, UserFactory, record

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


def test_admin_lists_run_the_same_queries_at_1000_and_10000_people(cast, client_for, monkeypatch):
    # Seeding can outlast the session's "last seen" resolution; a page that then also
    # saves the session would count its queries as the list's.
    monkeypatch.setattr(middleware, "_LAST_SEEN_RESOLUTION", float("inf"))
    coordinator = client_for(cast.carol)
    coordinator.get("/admin/")
    synthetic.seed(persons=1_000, seed=1, until=UNTIL)
    at_1000 = {path: queries_for(coordinator, path) for path in LISTS}

    synthetic.seed(persons=9_000, seed=2, until=UNTIL)
    at_10000 = {path: queries_for(coordinator, path) for path in LISTS}

    assert at_10000 == at_1000
    # The caseworker filter is a box: it reads no list of caseworkers.
    assert at_1000 == {
        "/admin/cases/person/": 9,
        "/admin/cases/person/?status=detained": 9,
        "/admin/cases/person/?vulnerability=child": 9,
        # One more: the "no news" rules, read once for the staleness limits.
        "/admin/cases/person/?stale=yes": 10,
        "/admin/cases/person/?province=Jilin": 9,
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


def test_at_risk_and_stale_keep_their_definition_on_synthetic_data():
    """at_risk() and stale() decide on the latest event in one subquery; the result must
    be what their definitions say, computed here from the annotations."""
    synthetic.seed(persons=400, seed=4, until=UNTIL)
    today = UNTIL + datetime.timedelta(days=20)
    people = list(Person.objects.with_current())

    expected_at_risk = {
        p.pk
        for p in people
        if p.current_status == Status.AT_RISK_OF_RETURN
        or (
            p.current_status in IN_CUSTODY
            and (p.current_border_point or p.current_planned_on is not None)
        )
    }
    expected_stale = {
        p.pk
        for p in people
        if p.last_heard_on is None
        or (
            p.current_status in STALE_AFTER_DAYS
            and p.last_heard_on
            < today - datetime.timedelta(days=STALE_AFTER_DAYS[p.current_status])
        )
    }

    assert set(Person.objects.at_risk().values_list("pk", flat=True)) == expected_at_risk
    assert set(Person.objects.stale(today).values_list("pk", flat=True)) == expected_stale
    assert expected_at_risk and expected_stale and len(expected_stale) < len(people)


def test_a_person_never_heard_of_is_stale_and_a_deceased_one_never(cast):
    never = PersonFactory()
    gone = PersonFactory()
    record(gone, Status.DECEASED, datetime.date(2010, 1, 1), source=None)

    assert list(Person.objects.stale()) == [never]


def test_the_admin_case_form_reads_the_person_once_however_long_the_timeline(cast, client_for):
    """Each timeline row is labelled with the person: the page's own, not read again."""
    coordinator = client_for(cast.carol)
    person = PersonFactory()
    record(person, on=datetime.date(2020, 1, 5))
    path = f"/admin/cases/person/{person.pk}/change/"
    coordinator.get(path)
    one_event = queries_for(coordinator, path)

    for day in range(6, 16):
        record(person, Status.TRANSFERRED, on=datetime.date(2020, 1, day), place="Tumen")

    assert queries_for(coordinator, path) == one_event


def test_the_admin_group_form_reads_its_members_once_however_many(cast, client_for):
    """Each member row shows its person in the picker: the one read with the row."""
    coordinator = client_for(cast.carol)
    group = GroupFactory(people=PersonFactory.create_batch(2))
    path = f"/admin/cases/group/{group.pk}/change/"
    coordinator.get(path)
    two = queries_for(coordinator, path)

    for person in PersonFactory.create_batch(10):
        GroupMembership.objects.create(group=group, person=person)
    response = coordinator.get(path)

    assert queries_for(coordinator, path) == two
    for member in group.members.all():
        assert (
            f'<option value="{member.pk}" selected>{member}</option>' in response.content.decode()
        )
