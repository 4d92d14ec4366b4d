"""Input no page can use gets a clean 400 or 404, never a server error: a NUL character
anywhere in a request, and admin URL filters on encrypted columns or blind indexes."""

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory

from casework.accounts.models import AccessLogEntry
from casework.cases.encryption import EncryptedTextField, blind_index
from tests.factories import PersonFactory, SourceFactory


@pytest.fixture
def browser(cast) -> Client:
    """Erin's browser, against a server that answers errors as in production."""
    client = Client(raise_request_exception=False)
    client.force_login(cast.erin)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/cases/%00/",
        "/cases/P-%00/update/",
        "/cases/?q=Kim%00",
        "/letters/%00/",
        "/letters/?case=P-%00",
        "/letters/new?case=G-%00",
        "/documents/P-%00/",
        "/admin/cases/person/?reference=%00",
        "/admin/cases/person/?caseworker=alice%00",
        "/board/?province=Jilin%00",
    ],
)
def test_a_nul_character_in_the_address_is_a_bad_request(url, browser):
    response = browser.get(url)

    assert response.status_code == 400
    assert "Bad request" in response.content.decode()
    assert not AccessLogEntry.objects.exists()


def test_a_nul_character_in_a_cookie_or_a_form_is_a_bad_request(cast, db):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert client.get("/cases/").status_code == 400

    client = Client(raise_request_exception=False)
    login = client.post("/accounts/login/", {"username": "erin\x00", "password": "x"})
    assert login.status_code == 400


def test_a_file_may_hold_nul_bytes(cast, client_for, settings, tmp_path):
    """File contents are not form fields: an uploaded PDF or photo is full of them."""
    settings.MEDIA_ROOT = tmp_path
    person = PersonFactory(caseworkers=[cast.alice])
    pdf = b"%PDF-1.4\n\x00\x00\x001 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = client_for(cast.alice).post(
        f"/documents/{person.reference}/",
        {"kind": "document", "file": SimpleUploadedFile("scan.pdf", pdf)},
    )

    assert response.status_code == 302


@pytest.mark.parametrize(
    "url",
    [
        "/admin/cases/person/?legal_name=Kim",
        "/admin/cases/person/?legal_name__isnull=False",
        "/admin/cases/person/?date_of_birth=1990-05-17",
        "/admin/cases/person/?legal_name_index__startswith=a",
        "/admin/cases/group/?memberships__person__legal_name_index__startswith=a",
        "/admin/cases/source/?identity=Pastor",
        "/admin/letters/letter/?document_sealed__isnull=True",
        "/admin/letters/letter/?person__legal_name_index__startswith=a",
        "/admin/accounts/user/?password__startswith=pbkdf2",
        "/admin/accounts/user/?password__regex=.",
    ],
)
def test_an_admin_filter_on_a_secret_column_is_a_bad_request(url, browser):
    PersonFactory(legal_name="Kim Sunhee")
    SourceFactory(identity="Pastor Kim")

    response = browser.get(url)

    assert response.status_code == 400


def test_the_blind_index_is_no_oracle_for_guessing_a_name(browser):
    PersonFactory(legal_name="Kim Sunhee")

    guess = browser.get(f"/admin/cases/person/?legal_name_index={blind_index('Kim Sunhee')}")

    assert guess.status_code == 400
    assert "Kim Sunhee" not in guess.content.decode()


def test_the_admin_s_own_filters_still_work(browser):
    PersonFactory(pseudonym="Spring swallow", restricted=False)

    for url in [
        "/admin/cases/person/?restricted__exact=0",
        "/admin/cases/person/?pseudonym=Spring+swallow",
        "/admin/cases/person/?q=Spring",
    ]:
        response = browser.get(url)
        assert response.status_code == 200, url
        assert "Spring swallow" in response.content.decode(), url


def test_every_admin_refuses_filters_on_the_secret_columns_of_its_model(cast):
    request = RequestFactory().get("/admin/")
    request.user = cast.erin
    allowed, checked = [], 0
    for model, model_admin in admin.site._registry.items():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField) or field.name.endswith("_index"):
                for lookup in (field.name, f"{field.name}__startswith", f"{field.name}__isnull"):
                    checked += 1
                    if model_admin.lookup_allowed(lookup, "x", request):
                        allowed.append(f"{model._meta.label}: {lookup}")
    assert checked >= 3 * 8  # the person's, the source's and the letter's secret columns
    assert allowed == []
