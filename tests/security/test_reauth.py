"""Sensitive actions need a fresh proof of identity, not just an old session."""

import datetime as dt

import pytest
import time_machine

from casework.accounts.models import User
from tests.security.helpers import PASSWORD, log_in, totp_code, totp_device
from tests.security.targets import SENSITIVE_ACTIONS, SensitiveAction

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def root(db):
    # A superuser passes every permission check, so only the re-authentication is tested.
    return User.objects.create_superuser("root", "root@example.org", PASSWORD)


def stale(client, frozen_clock, settings):
    # Still within the idle timeout, but past the re-authentication window.
    frozen_clock.shift(dt.timedelta(seconds=settings.REAUTH_MAX_AGE + 1))
    client.get("/admin/")


@pytest.mark.parametrize("action", SENSITIVE_ACTIONS, ids=lambda a: f"{a.method} {a.url_name}")
def test_a_sensitive_action_on_an_old_login_asks_to_reauthenticate(
    action: SensitiveAction, root, client, frozen_clock, settings
):
    log_in(client, root)
    stale(client, frozen_clock, settings)
    users_before = User.objects.count()

    response = getattr(client, action.method)(action.url(), action.data)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauth/?next=")
    assert User.objects.count() == users_before


def test_a_fresh_login_may_act_at_once(root, client):
    log_in(client, root)

    assert client.get("/erasure/").status_code == 200


def test_reauthentication_with_password_and_code_reopens_sensitive_actions(
    real_accounts, root, client, frozen_clock, settings
):
    device = totp_device(root)
    log_in(client, root, device=device)
    stale(client, frozen_clock, settings)
    frozen_clock.shift(dt.timedelta(seconds=30))  # a new TOTP window

    response = client.post(
        "/accounts/reauth/?next=/erasure/", {"password": PASSWORD, "token": totp_code(device)}
    )

    assert response["Location"] == "/erasure/"
    assert client.get("/erasure/").status_code == 200


def test_reauthentication_needs_the_code_too(real_accounts, root, client, frozen_clock, settings):
    device = totp_device(root)
    log_in(client, root, device=device)
    stale(client, frozen_clock, settings)

    response = client.post("/accounts/reauth/?next=/erasure/", {"password": PASSWORD})

    assert response.status_code == 200
    assert client.get("/erasure/")["Location"].startswith("/accounts/reauth/")


def test_reauthentication_refuses_a_wrong_password(root, client, frozen_clock, settings):
    log_in(client, root)
    stale(client, frozen_clock, settings)

    response = client.post("/accounts/reauth/?next=/erasure/", {"password": "not it"})

    assert response.status_code == 200
    assert "That password is not correct." in response.content.decode()
    assert client.get("/erasure/")["Location"].startswith("/accounts/reauth/")


def test_an_htmx_request_sends_the_whole_page_to_reauthenticate(
    root, client, frozen_clock, settings
):
    log_in(client, root)
    stale(client, frozen_clock, settings)

    response = client.get(
        "/erasure/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/board/?province=Jilin",
    )

    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/reauth/?next=/board/%3Fprovince%3DJilin"
