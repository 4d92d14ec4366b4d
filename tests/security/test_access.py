"""A restricted case opens only to its assignees, whatever the page, role or id."""

import pytest

from tests.factories import PersonFactory
from tests.security.targets import CASE_PAGES, CasePage


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
