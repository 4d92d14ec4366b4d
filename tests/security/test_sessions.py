"""Sessions: a new key at login, idle and absolute expiry, ended with the account."""

import datetime as dt
from importlib import import_module

import pytest
import time_machine
from django.conf import settings as django_settings

from casework.accounts.models import UserSession
from tests.security.helpers import PASSWORD, is_logged_in, log_in, totp_code, totp_device

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
SessionStore = import_module(django_settings.SESSION_ENGINE).SessionStore


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def planted_session(client) -> str:
    """An attacker creates a session and plants its cookie in the victim's browser."""
    store = SessionStore()
    store["planted"] = True
    store.create()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = store.session_key
    return store.session_key


def test_session_fixation_fails_in_demo_mode(cast, client):
    planted = planted_session(client)

    log_in(client, cast.erin)

    assert is_logged_in(client)
    assert client.session.session_key != planted
    assert "_auth_user_id" not in SessionStore(session_key=planted).load()


def test_session_fixation_fails_with_two_factor(real_accounts, cast, client):
    device = totp_device(cast.erin)
    planted = planted_session(client)

    client.post("/accounts/login/", {"username": "erin", "password": PASSWORD})
    after_password = client.session.session_key
    client.post("/accounts/login/verify/", {"token": totp_code(device)})

    assert is_logged_in(client)
    assert after_password != planted
    assert client.session.session_key not in {planted, after_password}
    assert SessionStore(session_key=planted).load() == {}


def test_an_idle_session_expires(cast, client, frozen_clock, settings):
    log_in(client, cast.erin)
    assert client.get("/admin/").status_code == 200
    frozen_clock.shift(dt.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 1))

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
    assert not is_logged_in(client)


def test_activity_keeps_a_session_alive(cast, client, frozen_clock, settings):
    log_in(client, cast.erin)
    for _ in range(6):
        frozen_clock.shift(dt.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT - 60))
        assert client.get("/admin/").status_code == 200


def test_a_busy_session_still_ends_at_its_absolute_lifetime(cast, client, frozen_clock, settings):
    log_in(client, cast.erin)
    step = dt.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT - 60)
    elapsed = dt.timedelta()
    while elapsed + step <= dt.timedelta(seconds=settings.SESSION_ABSOLUTE_LIFETIME):
        frozen_clock.shift(step)
        elapsed += step
        assert client.get("/admin/").status_code == 200
    frozen_clock.shift(step)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert not is_logged_in(client)


def test_deactivating_an_account_ends_all_its_sessions(cast, client, django_user_model):
    from django.test import Client

    laptop, phone = client, Client()
    log_in(laptop, cast.alice)
    log_in(phone, cast.alice)
    keys = set(UserSession.objects.filter(user=cast.alice).values_list("session_key", flat=True))
    assert keys == {laptop.session.session_key, phone.session.session_key}

    cast.alice.is_active = False
    cast.alice.save()

    assert not UserSession.objects.filter(user=cast.alice).exists()
    for key in keys:
        assert not SessionStore().exists(key)
    assert laptop.get("/admin/").status_code == 302


def test_logging_out_forgets_the_session(cast, client):
    log_in(client, cast.alice)
    key = client.session.session_key

    client.post("/accounts/logout/")

    assert not UserSession.objects.filter(session_key=key).exists()
    assert not SessionStore().exists(key)


def test_the_session_cookie_is_httponly_and_samesite(cast, client):
    log_in(client, cast.alice)

    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]

    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_sessions_past_their_lifetime_are_forgotten_at_the_next_login(
    cast, client, frozen_clock, settings
):
    from django.test import Client

    log_in(client, cast.alice)
    frozen_clock.shift(dt.timedelta(seconds=settings.SESSION_ABSOLUTE_LIFETIME + 1))

    log_in(Client(), cast.alice)

    assert UserSession.objects.filter(user=cast.alice).count() == 1
