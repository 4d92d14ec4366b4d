"""What the admin's history pages say of a change, beside the identities they mask
(tests/security/test_history.py)."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from casework.accounts.models import AccessLogEntry
from casework.cases.models import Person
from tests.factories import GroupFactory, PersonFactory, change

pytestmark = pytest.mark.django_db


def changes(content: str) -> list[str]:
    """Each listed change as one line of text: "Field: old → new"."""
    items = re.findall(r"<li>\s*<strong>(.*?)</strong>(.*?)</li>", content, re.S)
    return [
        " ".join(f"{field} {re.sub('&nbsp;|&rarr;', ' ', rest)}".replace("→", " ").split())
        for field, rest in items
    ]


def test_the_history_of_a_case_lists_its_caseworkers_before_and_after(cast, client_for):
    azalea = PersonFactory(pseudonym="Azalea", caseworkers=[cast.alice])
    azalea.assigned_caseworkers.add(cast.bob)
    change(azalea, pseudonym="Azalea K.", legal_name="Kim Azalea")

    content = (
        client_for(cast.dana)
        .get(reverse("admin:cases_person_history", args=[azalea.pk]))
        .content.decode()
    )

    assert changes(content) == [
        "Legal name (Latin): changed",
        "Pseudonym: Azalea Azalea K.",
        "Assigned caseworkers: [alice] [alice, bob]",
        "Assigned caseworkers: [] [alice]",
    ]


def test_the_history_of_a_group_shows_every_change_and_reveals_nothing(cast, client_for):
    group = GroupFactory(name="Suizhong group", people=[PersonFactory()])
    group.name = "Suizhong group of eight"
    group.notes = "Moved to Tumen"
    group.save()

    response = client_for(cast.dana).get(reverse("admin:cases_group_history", args=[group.pk]))

    assert response.status_code == 200
    assert changes(response.content.decode()) == [
        "Name: Suizhong group Suizhong group of eight",
        "Notes: Moved to Tumen",
    ]
    assert not AccessLogEntry.objects.exists()  # nothing identifying was shown


# Restoring a past version ("History" → a version → "Revert").


def past_version(case, *, oldest: bool = True) -> str:
    versions = type(case).history.filter(id=case.pk).order_by("history_date")
    version = versions.first() if oldest else versions.last()
    name = f"admin:cases_{case._meta.model_name}_simple_history"
    return reverse(name, args=[case.pk, version.history_id])


def version_in_form(response) -> int:
    assert response.status_code == 200
    (version,) = re.findall(r'name="expected_version" value="(\d+)"', response.content.decode())
    return int(version)


def revert_data(person, **fields) -> dict:
    return {"pseudonym": person.pseudonym, "sex": person.sex, "age_band": person.age_band, **fields}


@pytest.fixture
def renamed(cast):
    """Azalea, first written as Ri Chol, then renamed (pseudonym and legal name)."""
    azalea = PersonFactory(pseudonym="Azalea", legal_name="Ri Chol")
    change(azalea, pseudonym="Azalea K.", legal_name="Kim Azalea")
    azalea.refresh_from_db()
    return azalea


def test_a_past_version_restored_in_the_admin_is_saved_through_the_service(
    renamed, cast, client_for
):
    client = client_for(cast.carol)
    page = client.get(past_version(renamed))
    # The page shows the first version, and carries the version the case has now.
    assert "Ri Chol" in page.content.decode()
    assert version_in_form(page) == renamed.version

    response = client.post(
        past_version(renamed),
        revert_data(
            renamed, pseudonym="Azalea", legal_name="Ri Chol", expected_version=renamed.version
        ),
    )

    assert response.status_code == 302
    restored = Person.objects.get(pk=renamed.pk)
    assert restored.pseudonym == "Azalea"
    assert restored.version == renamed.version + 1
    assert list(Person.objects.with_legal_name("Ri Chol")) == [restored]  # the blind index too
    assert restored.history.first().history_user == cast.carol


def test_a_past_version_opened_before_someone_else_s_change_is_not_restored(
    renamed, cast, client_for
):
    client = client_for(cast.carol)
    opened = version_in_form(client.get(past_version(renamed)))
    change(renamed, pseudonym="Azalea E.")
    renamed.refresh_from_db()

    response = client.post(
        past_version(renamed),
        revert_data(renamed, pseudonym="Azalea", legal_name="Ri Chol", expected_version=opened),
    )

    assert response.status_code == 200
    assert "This person was changed by someone else while you were editing" in (
        response.content.decode()
    )
    current = Person.objects.get(pk=renamed.pk)
    assert (current.pseudonym, current.legal_name, current.version) == (
        "Azalea E.",
        "Kim Azalea",
        renamed.version,
    )


def test_one_who_may_only_read_a_case_cannot_restore_a_past_version(renamed, cast, client_for):
    client = client_for(cast.dana)  # an advocate: reads every case, changes none
    opened = version_in_form(client.get(past_version(renamed)))

    response = client.post(
        past_version(renamed), revert_data(renamed, pseudonym="Azalea", expected_version=opened)
    )

    assert response.status_code == 403
    current = Person.objects.get(pk=renamed.pk)
    assert (current.pseudonym, current.legal_name, current.version) == (
        "Azalea K.",
        "Kim Azalea",
        renamed.version,
    )


def test_one_who_may_not_see_the_identity_restores_a_version_but_not_its_identity(
    renamed, cast, client_for
):
    # An advocate given the right to change cases, not to see identities.
    cast.dana.user_permissions.add(Permission.objects.get(codename="change_person"))
    client = client_for(cast.dana)
    page = client.get(past_version(renamed))
    assert "Ri Chol" not in page.content.decode()
    assert "Kim Azalea" not in page.content.decode()

    response = client.post(
        past_version(renamed),
        revert_data(renamed, pseudonym="Azalea", expected_version=version_in_form(page)),
    )

    assert response.status_code == 302
    current = Person.objects.get(pk=renamed.pk)
    assert current.pseudonym == "Azalea"
    assert current.legal_name == "Kim Azalea"  # as it is now, not as it was then
    assert list(Person.objects.with_legal_name("Kim Azalea")) == [current]
    assert not AccessLogEntry.objects.exists()  # nothing identifying was shown


def test_a_past_version_of_a_group_is_restored_through_the_service(cast, client_for):
    group = GroupFactory(name="Suizhong group", people=[PersonFactory()])
    group.name = "Suizhong group of eight"
    group.save()
    group.refresh_from_db()
    client = client_for(cast.carol)
    opened = version_in_form(client.get(past_version(group)))
    assert opened == group.version

    response = client.post(
        past_version(group),
        {
            "name": "Suizhong group",
            "unidentified_others": "0",
            "notes": "",
            "expected_version": opened,
        },
    )

    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.name, group.version) == ("Suizhong group", opened + 1)
