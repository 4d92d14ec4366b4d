"""A canary identity must not escape: not in the raw database, logs, URLs or error pages."""

import datetime as dt
import logging
from urllib.parse import quote

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import path, reverse

from casework.cases.models import Person
from tests.factories import FamilyContactFactory, PersonFactory, SourceFactory, record
from tests.security.helpers import CANARY, CANARY_CHANNEL, CANARY_KO, form_data, urls_in

HOME_TOWN = "Canarytown Hyesan"
BIRTH = dt.date(1990, 5, 17)
SECRETS = [CANARY, CANARY_KO, HOME_TOWN, CANARY_CHANNEL, BIRTH.isoformat(), "Canaryname"]


@pytest.fixture
def canary(cast) -> Person:
    person = PersonFactory(
        pseudonym="Spring swallow",
        legal_name=CANARY,
        legal_name_ko=CANARY_KO,
        legal_name_zh="金丝雀顺姬",
        home_town=HOME_TOWN,
        date_of_birth=BIRTH,
        identity_notes=f"Known in Yanji as {CANARY}",
        caseworkers=[cast.alice],
    )
    FamilyContactFactory(person=person, name=f"{CANARY} (sister)", contact_channel=CANARY_CHANNEL)
    SourceFactory(identity=f"Cousin of {CANARY}")
    record(person, "detained", by=cast.alice)
    person.pseudonym = "Spring swallow (Yanji)"
    person.save()  # a second history row
    return person


def leaked(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret.casefold() in text.casefold()]


def test_the_raw_database_holds_no_plaintext_identity(canary):
    # Every table, history tables and whatever later apps add, read as stored.
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "ignore")
                    if isinstance(value, str) and leaked(value):
                        found.append((table, leaked(value)))
    assert found == []
    history = Person.history.model
    assert history.objects.filter(id=canary.pk).count() >= 2  # history rows were scanned too


def browse_the_case(client, person) -> list:
    """What an administrator does with a case in the admin: every page and a save."""
    responses = [
        client.get("/admin/cases/person/"),
        client.get(f"/admin/cases/person/?q={person.reference}"),
        client.get(f"/admin/cases/person/{person.pk}/change/"),
        client.get(f"/admin/cases/person/{person.pk}/history/"),
        client.get("/admin/accounts/accesslogentry/"),
        client.get("/admin/cases/source/"),
    ]
    change = responses[2]
    data = form_data(change.content.decode())
    data["identity_notes"] = [f"Confirmed: {CANARY}, born {BIRTH.isoformat()}"]
    data.pop("_saveasnew", None)
    data.pop("_addanother", None)
    data.pop("_continue", None)
    saved = client.post(f"/admin/cases/person/{person.pk}/change/", data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    responses.append(saved)
    responses.append(client.get(saved["Location"]))
    # The caseworker pages: the case page and its logged reveal.
    responses.append(client.get(reverse("cases:detail", args=[person.reference])))
    responses.append(client.post(reverse("cases:reveal", args=[person.reference])))
    return responses


def test_no_identity_in_logs_or_urls_while_working_a_case(canary, cast, client_for, caplog):
    caplog.set_level(logging.DEBUG)
    client = client_for(cast.erin)

    responses = browse_the_case(client, canary)

    assert [r.status_code for r in responses] == [200] * 6 + [302] + [200] * (len(responses) - 7)
    assert CANARY in responses[2].content.decode()  # erin may see it: the canary is live
    urls = [r["Location"] for r in responses if r.has_header("Location")]
    for response in responses:
        urls += urls_in(response.content.decode())
    assert [url for url in urls if leaked(url) or leaked(quote(url))] == []
    assert leaked(caplog.text) == []


def test_a_not_found_page_does_not_echo_what_was_asked(canary, cast, client_for):
    client = client_for(cast.oscar)

    missing = client.get(f"/cases/{quote(CANARY)}/")
    hidden = client.get(f"/admin/cases/person/{canary.pk}/change/")

    assert missing.status_code == 404
    assert hidden.status_code == 404
    assert leaked(missing.content.decode()) == []
    assert leaked(hidden.content.decode()) == []
    assert "Spring swallow" not in hidden.content.decode()


def _explode(request):
    raise ValueError(f"could not process {CANARY}")


urlpatterns = [path("explode/", _explode), path("fine/", lambda r: HttpResponse("ok"))]


@pytest.mark.urls("tests.security.test_leaks")
def test_a_server_error_page_shows_no_detail(settings, db):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)

    response = client.get("/explode/")

    assert response.status_code == 500
    assert leaked(response.content.decode()) == []
    assert "Traceback" not in response.content.decode()
