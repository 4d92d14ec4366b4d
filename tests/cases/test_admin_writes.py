"""The admin's case forms write through the services: a case opened or changed there is
found by its legal name, counted on the board, and a group's members come and go with
the group's version and history."""

import re

import pytest
from django.db.models import Sum
from django.urls import reverse

from casework.cases.enums import Status, Vulnerability
from casework.cases.models import Group, GroupMembership, Person, PersonVulnerability, StatusTally
from casework.cases.services import group_create, group_member_add
from casework.cases.tallies import vulnerability_bit
from tests.cases.test_admin import change_url, opened_version, person_form_data
from tests.factories import PersonFactory, record

pytestmark = pytest.mark.django_db

CHILD = vulnerability_bit(Vulnerability.CHILD)


def counted_with(mask: int) -> int:
    return StatusTally.objects.filter(vulnerabilities=mask).aggregate(n=Sum("n"))["n"] or 0


def test_a_case_opened_in_the_admin_is_found_by_its_legal_name_and_counted(cast, client_for):
    data = person_form_data(
        Person(pseudonym="Newcomer", sex="unknown", age_band="unknown"),
        legal_name="Ri Chol-su",
        **{
            "vulnerabilities-TOTAL_FORMS": "1",
            "vulnerabilities-0-kind": Vulnerability.CHILD,
            "vulnerabilities-0-detail": "14 years old",
        },
    )

    response = client_for(cast.carol).post(reverse("admin:cases_person_add"), data)

    assert response.status_code == 302
    person = Person.objects.get(pseudonym="Newcomer")
    assert list(Person.objects.with_legal_name("ri chol-su")) == [person]
    assert counted_with(CHILD) == 1
    # A coordinator sees every case: opening one does not make them its caseworker.
    assert not person.assigned_caseworkers.exists()


def test_a_legal_name_corrected_in_the_admin_is_found_under_the_new_name(cast, client_for):
    person = PersonFactory(pseudonym="Azalea", legal_name="Ri Chol")

    response = client_for(cast.carol).post(
        change_url(person), person_form_data(person, legal_name="Ri Chol-su")
    )

    assert response.status_code == 302
    assert list(Person.objects.with_legal_name("Ri Chol-su")) == [person]
    assert not Person.objects.with_legal_name("Ri Chol").exists()


def test_a_vulnerability_removed_in_the_admin_leaves_the_board(cast, client_for):
    person = PersonFactory(pseudonym="Azalea", vulnerable=[Vulnerability.CHILD])
    row = PersonVulnerability.objects.get(person=person)
    assert counted_with(CHILD) == 1

    response = client_for(cast.carol).post(
        change_url(person),
        person_form_data(
            person,
            **{
                "vulnerabilities-TOTAL_FORMS": "1",
                "vulnerabilities-INITIAL_FORMS": "1",
                "vulnerabilities-0-id": row.pk,
                "vulnerabilities-0-person": person.pk,
                "vulnerabilities-0-kind": row.kind,
                "vulnerabilities-0-DELETE": "on",
            },
        ),
    )

    assert response.status_code == 302
    assert not PersonVulnerability.objects.filter(person=person).exists()
    assert counted_with(CHILD) == 0


def group_form_data(group: Group, rows: list[dict], initial: int) -> dict:
    data = {
        "expected_version": opened_version(group),
        "name": group.name,
        "unidentified_others": group.unidentified_others,
        "notes": group.notes,
        "memberships-TOTAL_FORMS": str(len(rows)),
        "memberships-INITIAL_FORMS": str(initial),
    }
    for i, row in enumerate(rows):
        data.update({f"memberships-{i}-{key}": value for key, value in row.items()})
    return data


def test_members_added_and_removed_in_the_admin_move_the_groups_version(cast, client_for):
    azalea, begonia = PersonFactory.create_batch(2)
    group = group_create(group=Group(name="Suizhong"), created_by=cast.carol, members=[azalea])
    stored = GroupMembership.objects.get(group=group)
    client = client_for(cast.carol)

    response = client.post(
        change_url(group),
        group_form_data(
            group,
            [
                {"id": stored.pk, "group": group.pk, "person": azalea.pk, "DELETE": "on"},
                {"group": group.pk, "person": begonia.pk},
            ],
            initial=1,
        ),
    )

    assert response.status_code == 302
    assert list(group.members.all()) == [begonia]
    group.refresh_from_db()
    assert group.version == 3  # the form's save, one leaving, one joining
    reasons = list(group.history.values_list("history_change_reason", flat=True)[:2])
    assert reasons == [
        f"{begonia.reference} added by carol",
        f"{azalea.reference} removed by carol",
    ]


# Two people editing the same case: the form carries the version it was opened on.

STALE_PERSON = "This person was changed by someone else while you were editing"
STALE_GROUP = "This group was changed by someone else while you were editing"


def version_in_form(client, url: str) -> int:
    """The version the admin form at ``url`` carries, as the page sends it."""
    response = client.get(url)
    assert response.status_code == 200
    (version,) = re.findall(r'name="expected_version" value="(\d+)"', response.content.decode())
    return int(version)


def someone_renames(client, person: Person) -> None:
    data = person_form_data(person, pseudonym="Azalea E.", legal_name=person.legal_name)
    response = client.post(change_url(person), data)
    assert response.status_code == 302


@pytest.mark.parametrize("meanwhile", ["renamed in the admin", "news recorded"])
def test_a_case_changed_while_its_admin_form_was_open_is_not_overwritten(
    meanwhile, cast, client_for
):
    azalea = PersonFactory(pseudonym="Azalea", legal_name="Ri Chol")
    opened = version_in_form(client_for(cast.carol), change_url(azalea))
    if meanwhile == "renamed in the admin":
        someone_renames(client_for(cast.erin), azalea)
    else:
        record(azalea, Status.DETAINED, by=cast.alice)
    azalea.refresh_from_db()
    before = (azalea.pseudonym, azalea.version, azalea.history.count())

    response = client_for(cast.carol).post(
        change_url(azalea),
        person_form_data(
            azalea, expected_version=opened, pseudonym="Azalea C.", legal_name="Ri Chol-su"
        ),
    )

    assert response.status_code == 200
    assert STALE_PERSON in response.content.decode()
    azalea.refresh_from_db()
    assert (azalea.pseudonym, azalea.version, azalea.history.count()) == before
    assert list(Person.objects.with_legal_name("Ri Chol")) == [azalea]
    # Reloaded, the form carries the version as it is now, and saves.
    reloaded = version_in_form(client_for(cast.carol), change_url(azalea))
    assert reloaded == before[1]
    response = client_for(cast.carol).post(
        change_url(azalea), person_form_data(azalea, pseudonym="Azalea C.", legal_name="Ri Chol")
    )
    assert response.status_code == 302


def test_a_group_changed_while_its_admin_form_was_open_is_not_overwritten(cast, client_for):
    azalea, begonia = PersonFactory.create_batch(2)
    group = group_create(group=Group(name="Suizhong"), created_by=cast.carol, members=[azalea])
    opened = version_in_form(client_for(cast.carol), change_url(group))
    group_member_add(group=group, person=begonia, added_by=cast.erin)
    group.refresh_from_db()
    before = (group.name, group.version)
    stored = GroupMembership.objects.get(group=group, person=azalea)

    response = client_for(cast.carol).post(
        change_url(group),
        {
            **group_form_data(
                group, [{"id": stored.pk, "group": group.pk, "person": azalea.pk}], initial=1
            ),
            "expected_version": opened,
            "name": "Suizhong eight",
        },
    )

    assert response.status_code == 200
    assert STALE_GROUP in response.content.decode()
    group.refresh_from_db()
    assert (group.name, group.version) == before
    assert set(group.members.all()) == {azalea, begonia}


def test_news_on_a_member_refuses_a_group_form_opened_before(cast, client_for):
    azalea = PersonFactory()
    group = group_create(group=Group(name="Suizhong"), created_by=cast.carol, members=[azalea])
    opened = version_in_form(client_for(cast.carol), change_url(group))
    record(azalea, Status.DETAINED, by=cast.alice)

    response = client_for(cast.carol).post(
        change_url(group),
        {**group_form_data(group, [], initial=0), "expected_version": opened, "name": "New"},
    )

    assert response.status_code == 200
    assert STALE_GROUP in response.content.decode()
    group.refresh_from_db()
    assert group.name == "Suizhong"
