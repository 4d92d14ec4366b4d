"""A letter's reference typed in lower case reaches the letter (a permanent redirect to
its address in capitals); one the user may not see is still 404."""

import pytest
from django.urls import reverse

from casework.letters import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(cast, yanji, minister):
    return services.letter_generate(
        user=cast.dana, template_slug="group-imminent-return", language="en",
        recipient=minister, group=yanji.group, formats=(),
    )  # fmt: skip


def test_a_letter_typed_in_lower_case_is_redirected_to_the_letter(cast, draft, client_for):
    response = client_for(cast.dana).get(f"/letters/{draft.reference.lower()}/", follow=True)
    assert response.redirect_chain == [(reverse("letters:detail", args=[draft.reference]), 301)]
    assert response.status_code == 200


def test_a_letter_one_may_not_see_is_404_in_lower_case_too(cast, draft, client_for):
    client = client_for(cast.oscar)
    assert client.get(f"/letters/{draft.reference}/").status_code in (403, 404)
    lower = client.get(f"/letters/{draft.reference.lower()}/", follow=True)
    assert lower.status_code == client.get(f"/letters/{draft.reference}/").status_code
