"""A reference typed in lower case in the address bar reaches its case, as the search
does: one permanent redirect to the page's address in capitals. Who may see what is
unchanged: a case one may not see is 404 however its reference is written."""

import pytest
from django.urls import reverse

from casework.cases.models import CustodyEvent
from tests.factories import GroupFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def azalea(cast):
    return PersonFactory(pseudonym="Azalea", caseworkers=[cast.alice])


def test_a_person_typed_in_lower_case_is_redirected_to_the_case(cast, azalea, client_for):
    client = client_for(cast.alice)
    response = client.get(f"/cases/{azalea.reference.lower()}/")
    assert response.status_code == 301
    assert response["Location"] == reverse("cases:detail", args=[azalea.reference])
    assert client.get(response["Location"]).status_code == 200


def test_a_group_typed_in_mixed_case_is_redirected_to_the_group(cast, azalea, client_for):
    group = GroupFactory(name="Yanji five", people=[azalea])
    typed = group.reference[:3] + group.reference[3:].lower()
    response = client_for(cast.alice).get(f"/cases/{typed.lower()}/", follow=True)
    assert response.redirect_chain == [(f"/cases/{group.reference}/", 301)]
    assert response.status_code == 200
    assert response.context["group"] == group


def test_the_query_string_survives_the_redirect(cast, azalea, client_for):
    response = client_for(cast.alice).get(f"/cases/{azalea.reference.lower()}/?tab=events")
    assert response["Location"] == f"/cases/{azalea.reference}/?tab=events"


def test_a_case_one_may_not_see_is_404_in_lower_case_too(cast, azalea, client_for):
    client = client_for(cast.bob)
    assert client.get(f"/cases/{azalea.reference}/").status_code == 404
    assert client.get(f"/cases/{azalea.reference.lower()}/", follow=True).status_code == 404


def test_a_reference_that_names_no_case_is_404_in_lower_case_too(cast, client_for):
    client = client_for(cast.alice)
    assert client.get("/cases/p-zzzzzz/", follow=True).status_code == 404
    # Not the shape of a reference: no redirect, a plain 404.
    assert client.get("/cases/p-zz/").status_code == 404


def test_the_quick_update_posted_to_a_lower_case_address_records_it(cast, azalea, client_for):
    response = client_for(cast.alice).post(
        f"/cases/{azalea.reference.lower()}/update/",
        {
            "version": azalea.version,
            "status": "detained",
            "occurred_on": "2024-03-10",
            "date_precision": "day",
            "confidence": "reported",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("cases:detail", args=[azalea.reference])
    assert CustodyEvent.objects.filter(person=azalea).count() == 1


def test_a_case_s_documents_typed_in_lower_case_are_redirected(cast, azalea, client_for):
    response = client_for(cast.carol).get(f"/documents/{azalea.reference.lower()}/")
    assert response.status_code == 301
    assert response["Location"] == reverse("documents:list", args=[azalea.reference])


def test_anonymous_visitors_are_redirected_then_asked_to_log_in(azalea, client):
    response = client.get(f"/cases/{azalea.reference.lower()}/", follow=True)
    assert response.redirect_chain[0] == (f"/cases/{azalea.reference}/", 301)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
