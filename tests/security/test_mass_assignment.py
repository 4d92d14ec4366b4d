"""Fields a user may not set are ignored however the request is forged."""

from casework.erasure.models import Erasure
from tests.factories import PersonFactory, UserFactory
from tests.security.helpers import form_data


def submit(client, url, changes: dict):
    data = form_data(client.get(url).content.decode())
    for name in ("_saveasnew", "_addanother", "_continue"):
        data.pop(name, None)
    data.update(changes)
    return client.post(url, data)


def test_an_administrator_cannot_make_themselves_superuser(cast, client_for):
    client = client_for(cast.erin)
    url = f"/admin/accounts/user/{cast.erin.pk}/change/"

    response = submit(
        client, url, {"first_name": ["Erin"], "is_superuser": ["on"], "user_permissions": ["1"]}
    )

    assert response.status_code == 302
    cast.erin.refresh_from_db()
    assert cast.erin.first_name == "Erin"  # the form was accepted...
    assert cast.erin.is_superuser is False  # ...without the forged fields
    assert not cast.erin.user_permissions.exists()


def test_a_superuser_can_still_grant_superuser(cast, client_for, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 20)
    client = client_for(root)

    submit(client, f"/admin/accounts/user/{cast.erin.pk}/change/", {"is_superuser": ["on"]})

    cast.erin.refresh_from_db()
    assert cast.erin.is_superuser is True


def test_a_caseworker_cannot_assign_caseworkers_to_a_case(cast, client_for):
    person = PersonFactory(pseudonym="Spring swallow", caseworkers=[cast.alice])
    client = client_for(cast.alice)
    url = f"/admin/cases/person/{person.pk}/change/"

    response = submit(
        client,
        url,
        {"pseudonym": ["Spring swallow (Yanji)"], "assigned_caseworkers": [str(cast.oscar.pk)]},
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.pseudonym == "Spring swallow (Yanji)"
    assert list(person.assigned_caseworkers.all()) == [cast.alice]


def test_an_erasure_request_is_always_in_the_requesters_name(cast, client_for):
    person = PersonFactory(caseworkers=[cast.alice])
    other_admin = UserFactory(username="frank", role="Administrator")
    client = client_for(cast.erin)

    client.post(
        "/erasure/",
        {
            "reference": person.reference,
            "requested_by": str(other_admin.pk),
            "state": "erased",
            "decided_by": str(other_admin.pk),
        },
    )

    erasure = Erasure.objects.get()
    assert erasure.requested_by == cast.erin
    assert erasure.state == "requested"
    assert erasure.decided_by is None


def test_computed_case_fields_cannot_be_posted(cast, client_for):
    person = PersonFactory(caseworkers=[cast.alice], legal_name="Kim Legal")
    before = (person.reference, person.legal_name_index)
    client = client_for(cast.carol)

    response = submit(
        client,
        f"/admin/cases/person/{person.pk}/change/",
        {
            "reference": ["P-FORGED"],
            "legal_name_index": ["0" * 64],
            "archived_at": ["2020-01-01 00:00"],
            "pseudonym": ["Renamed"],
        },
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.pseudonym == "Renamed"
    assert (person.reference, person.legal_name_index) == before
    assert person.archived_at is None
