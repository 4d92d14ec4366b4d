"""X-Forwarded-Proto is believed from our reverse proxy only (casework/proxy.py)."""

import pytest

PROXY = "172.30.80.2"


@pytest.fixture
def behind_the_proxy(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.TRUSTED_PROXIES = [PROXY]


def test_a_client_claiming_https_itself_is_sent_to_https(client, behind_the_proxy):
    response = client.get(
        "/accounts/login/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="203.0.113.7"
    )

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


def test_the_proxys_word_that_the_request_came_over_https_is_believed(client, behind_the_proxy):
    response = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR=PROXY)

    assert response.status_code == 200
    assert response.wsgi_request.is_secure()


def test_the_proxy_saying_plain_http_is_believed_too(client, behind_the_proxy):
    response = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="http", REMOTE_ADDR=PROXY)

    assert response.status_code == 301


def test_without_trusted_proxies_nobody_sets_the_scheme(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.TRUSTED_PROXIES = []

    response = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 301


def test_the_health_check_is_answered_over_plain_http_from_inside(db, client, settings):
    """The container's health check asks http://127.0.0.1:8000/healthz: no redirect."""
    settings.SECURE_SSL_REDIRECT = True
    settings.REDIS_URL = ""

    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
