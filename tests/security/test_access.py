"""A restricted case opens only to its assignees, whatever the page, role or id."""

import pytest

from casework.accounts.models import AccessLogEntry
from casework.cases.models import CustodyEvent, Person
from casework.documents.models import Document
from tests.factories import PersonFactory
from tests.security.targets import CASE_PAGES, CASE_POSTS, CasePage


@pytest.fixture
def restricted(cast):
    return PersonFactory(pseudonym="Spring swallow", restricted=True, caseworkers=[cast.alice])


@pytest.mark.parametrize("page", CASE_PAGES, ids=lambda p: p.name)
@pytest.mark.parametrize("intruder", ["bob", "carol", "dana", "erin", "oscar"])
def test_a_restricted_case_is_not_found_by_anyone_else(
    page: CasePage, intruder, restricted, cast, client_for
):
    client = client_for(getattr(cast, intruder))

    response = client.get(page.url(restricted))

    assert response.status_code == 404
    assert "Spring swallow" not in response.content.decode()
    assert restricted.reference not in response.content.decode()


@pytest.mark.parametrize("page", CASE_PAGES, ids=lambda p: p.name)
def test_the_assignee_opens_it(page: CasePage, restricted, cast, client_for):
    client = client_for(cast.alice)

    response = client.get(page.url(restricted))

    assert response.status_code == 200
    assert "Spring swallow" in response.content.decode()


@pytest.mark.parametrize("page", CASE_PAGES, ids=lambda p: p.name)
def test_a_made_up_id_is_not_found_either(page: CasePage, restricted, cast, client_for):
    client = client_for(cast.erin)
    restricted.pk += 1000

    assert client.get(page.url(restricted)).status_code == 404


@pytest.mark.parametrize("action", CASE_POSTS, ids=lambda p: p.name)
@pytest.mark.parametrize("intruder", ["bob", "carol", "dana", "erin", "oscar"])
def test_a_restricted_case_cannot_be_acted_on_by_anyone_else(
    action: CasePage, intruder, restricted, cast, client_for
):
    client = client_for(getattr(cast, intruder))
    version = restricted.version

    response = client.post(
        action.url(restricted),
        {
            "status": "released",
            "occurred_on": "2017-04-01",
            "date_precision": "day",
            "confidence": "reported",
            "version": str(version),
            "pseudonym": "Forged",
        },
    )

    assert response.status_code == 404
    assert "Spring swallow" not in response.content.decode()
    assert not CustodyEvent.objects.filter(person=restricted).exists()
    assert not AccessLogEntry.objects.exists()
    assert not Document.objects.exists()
    assert Person.objects.get(pk=restricted.pk).version == version
