"""A page on another site cannot make a logged-in user's browser change a case."""

import pytest
from django.test import Client
from django.urls import reverse

from casework.cases.models import CustodyEvent
from tests.factories import PersonFactory


def status_change(person) -> dict:
    return {
        "action": "record_event",
        "_selected_action": [str(person.pk)],
        "apply": "1",
        "status": "released",
        "occurred_on": "2017-04-01",
        "date_precision": "day",
        "confidence": "reported",
    }


def quick_update(person) -> dict:
    return {
        "status": "released",
        "occurred_on": "2017-04-01",
        "date_precision": "day",
        "confidence": "reported",
        "version": str(person.version),
    }


# Every form that changes a case's status: (name, URL for a person, form data).
STATUS_CHANGES = [
    ("admin action", lambda p: "/admin/cases/person/", status_change),
    ("quick update", lambda p: reverse("cases:update", args=[p.reference]), quick_update),
]


@pytest.fixture
def browser(cast):
    """The victim's browser: logged in, with Django's CSRF checks as in production."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.carol)
    client.get("/admin/cases/person/")  # sets the CSRF cookie, as visiting the site would
    return client


@pytest.mark.parametrize("name, url, data", STATUS_CHANGES, ids=[c[0] for c in STATUS_CHANGES])
def test_a_cross_site_status_change_is_refused(cast, browser, name, url, data):
    person = PersonFactory(caseworkers=[cast.alice])

    # The attacker's form carries the victim's cookies but cannot read the CSRF token.
    response = browser.post(url(person), data(person), HTTP_ORIGIN="https://evil.example")

    assert response.status_code == 403
    assert not CustodyEvent.objects.filter(person=person).exists()


@pytest.mark.parametrize("name, url, data", STATUS_CHANGES, ids=[c[0] for c in STATUS_CHANGES])
def test_the_same_change_from_our_own_page_is_recorded(cast, browser, name, url, data):
    person = PersonFactory(caseworkers=[cast.alice])
    token = browser.cookies["csrftoken"].value

    response = browser.post(url(person), {**data(person), "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert CustodyEvent.objects.get(person=person).status == "released"


def test_a_cross_site_login_is_refused(cast):
    # Login CSRF: the attacker logs the victim into the attacker's account.
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/accounts/login/", {"username": "erin", "password": "correct horse battery staple"}
    )

    assert response.status_code == 403
