"""What the admin's history pages say of a change, beside the identities they mask
(tests/security/test_history.py)."""

import re

import pytest
from django.urls import reverse

from casework.accounts.models import AccessLogEntry
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
