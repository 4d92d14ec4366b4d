"""Guessing passwords or codes is throttled by username and by address, and the lock expires."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import RequestFactory

from casework.accounts.client_ip import client_ip
from tests.security.helpers import PASSWORD, is_logged_in, log_in, totp_device

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def guess(client, username, n, **extra):
    for i in range(n):
        client.post("/accounts/login/", {"username": username, "password": f"guess {i}"}, **extra)


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(cast, client):
    guess(client, "erin", 5)

    response = log_in(client, cast.erin)

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert not is_logged_in(client)


@pytest.mark.parametrize(
    ("cooloff", "says"),
    [
        (dt.timedelta(minutes=15), "Try again in 15 minutes."),
        (dt.timedelta(minutes=1), "Try again in 1 minute."),
        (dt.timedelta(hours=2), "Try again in 120 minutes."),
    ],
)
def test_the_lockout_page_says_how_long_to_wait_in_words(cooloff, says, cast, client, settings):
    settings.AXES_COOLOFF_TIME = cooloff
    guess(client, "erin", 5)

    page = log_in(client, cast.erin).content.decode()

    assert says in page
    assert not re.search(r"\bP\d*T\d", page)  # no ISO 8601 duration such as PT15M


def test_four_wrong_passwords_do_not_lock(cast, client):
    guess(client, "erin", 4)

    log_in(client, cast.erin)

    assert is_logged_in(client)


def test_the_lock_expires(cast, client, frozen_clock, settings):
    guess(client, "erin", 5)
    frozen_clock.shift(settings.AXES_COOLOFF_TIME + dt.timedelta(seconds=1))

    log_in(client, cast.erin)

    assert is_logged_in(client)


def test_the_lock_is_by_username_from_any_address(cast, client):
    guess(client, "erin", 5, REMOTE_ADDR="203.0.113.7")

    response = log_in(client, cast.erin)  # from the test client's own address

    assert response.status_code == 429


def test_the_lock_is_by_address_across_usernames(cast, client):
    for name in ["alice", "bob", "carol", "dana", "oscar"]:
        guess(client, name, 1, REMOTE_ADDR="203.0.113.9")

    locked = client.post(
        "/accounts/login/",
        {"username": "erin", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.9",
    )
    elsewhere = client.post(
        "/accounts/login/",
        {"username": "erin", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.1",
    )

    assert locked.status_code == 429
    assert elsewhere.status_code == 302


def test_wrong_one_time_codes_count_as_failed_logins(real_accounts, cast, client, frozen_clock):
    totp_device(cast.erin)
    for _ in range(5):
        log_in(client, cast.erin, token="000000")
        # django-otp slows repeated failures too; move past its delay, not axes's.
        frozen_clock.shift(dt.timedelta(seconds=20))

    response = client.post("/accounts/login/", {"username": "erin", "password": PASSWORD})

    assert response.status_code == 429


def test_a_forged_forwarded_header_cannot_dodge_the_lock(cast, client):
    # Without a trusted proxy, X-Forwarded-For is whatever the attacker writes.
    for i in range(5):
        client.post(
            "/accounts/login/",
            {"username": f"nobody{i}", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{i}",
        )

    response = client.post(
        "/accounts/login/",
        {"username": "erin", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="10.0.0.99",
    )

    assert response.status_code == 429


def test_behind_the_trusted_proxy_the_client_address_is_the_forwarded_one(settings):
    settings.TRUSTED_PROXIES = ["172.18.0.0/16"]
    factory = RequestFactory()

    through_proxy = factory.get(
        "/", REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.50"
    )
    direct = factory.get("/", REMOTE_ADDR="198.51.100.2", HTTP_X_FORWARDED_FOR="203.0.113.50")
    garbage = factory.get("/", REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="not-an-ip")

    # The proxy appended the real peer (203.0.113.50); "6.6.6.6" was typed by the client.
    assert client_ip(through_proxy) == "203.0.113.50"
    assert client_ip(direct) == "198.51.100.2"
    assert client_ip(garbage) == "172.18.0.5"


def test_code_that_authenticates_without_a_request_is_not_broken(cast, client):
    # e.g. the test client's login(); the network path is throttled above.
    assert client.login(username="erin", password=PASSWORD) is True
