"""A stolen password is not enough: outside demo mode every login needs a second factor."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail

from casework.accounts import services
from casework.accounts.models import AuthenticatorDevice, RecoveryCodeDevice
from tests.security.helpers import PASSWORD, is_logged_in, log_in, totp_code, totp_device

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    # TOTP codes depend on the clock: the suite moves it explicitly, never waits.
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_the_password_alone_does_not_log_in(real_accounts, cast, client):
    totp_device(cast.erin)

    response = log_in(client, cast.erin)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/verify/"
    assert not is_logged_in(client)
    assert client.get("/admin/", follow=True).redirect_chain[-1][0].startswith("/accounts/login/")


def test_password_and_code_log_in(real_accounts, cast, client):
    device = totp_device(cast.erin)

    response = log_in(client, cast.erin, device=device)

    assert response.status_code == 302
    assert is_logged_in(client)
    assert client.get("/admin/").status_code == 200


def test_a_code_cannot_be_replayed(real_accounts, cast, client):
    device = totp_device(cast.erin)
    code = totp_code(device)
    log_in(client, cast.erin, token=code)
    assert is_logged_in(client)
    client.post("/accounts/logout/")

    # Same 30-second window, same code, seen over the user's shoulder: refused.
    response = log_in(client, cast.erin, token=code)

    assert response.status_code == 200
    assert "That code was not accepted" in response.content.decode()
    assert not is_logged_in(client)


def test_a_wrong_code_does_not_log_in(real_accounts, cast, client):
    totp_device(cast.erin)

    response = log_in(client, cast.erin, token="000000")

    assert response.status_code == 200
    assert not is_logged_in(client)


def test_a_recovery_code_works_once(real_accounts, cast, client, frozen_clock):
    totp_device(cast.erin)
    codes = services.recovery_codes_issue(user=cast.erin)

    log_in(client, cast.erin, token=codes[0])
    assert is_logged_in(client)
    client.post("/accounts/logout/")
    frozen_clock.shift(dt.timedelta(minutes=1))

    log_in(client, cast.erin, token=codes[0])
    assert not is_logged_in(client)
    assert len(RecoveryCodeDevice.objects.get(user=cast.erin).codes_left()) == 9


def test_first_login_sets_up_an_authenticator_and_shows_recovery_codes(real_accounts, cast, client):
    response = log_in(client, cast.carol)
    assert response["Location"] == "/accounts/login/setup/"
    assert not is_logged_in(client)

    page = client.get("/accounts/login/setup/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = AuthenticatorDevice.objects.get(user=cast.carol, confirmed=False)

    done = client.post("/accounts/login/setup/", {"token": totp_code(device)})

    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert is_logged_in(client)
    device.refresh_from_db()
    assert device.confirmed


def test_set_up_refuses_a_wrong_first_code(real_accounts, cast, client):
    log_in(client, cast.carol)
    client.get("/accounts/login/setup/")

    response = client.post("/accounts/login/setup/", {"token": "123456"})

    assert response.status_code == 200
    assert not is_logged_in(client)
    assert not AuthenticatorDevice.objects.filter(user=cast.carol, confirmed=True).exists()


def test_the_second_step_cannot_be_reached_without_the_password(real_accounts, cast, client):
    device = totp_device(cast.erin)

    response = client.post("/accounts/login/verify/", {"token": totp_code(device)})

    assert response["Location"] == "/accounts/login/"
    assert not is_logged_in(client)
    assert client.get("/accounts/login/setup/")["Location"] == "/accounts/login/"


def test_a_password_checked_login_waits_only_minutes_for_its_code(
    real_accounts, cast, client, frozen_clock
):
    device = totp_device(cast.erin)
    log_in(client, cast.erin)
    frozen_clock.shift(dt.timedelta(minutes=6))

    response = client.post("/accounts/login/verify/", {"token": totp_code(device)})

    assert response["Location"] == "/accounts/login/"
    assert not is_logged_in(client)


def test_the_admin_login_form_is_not_offered(real_accounts, client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_a_session_without_second_factor_reaches_nothing(real_accounts, cast, client):
    # However a password-only session came to be (another login form, a reset, code),
    # it is ended at the first request.
    client.force_login(cast.erin)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not is_logged_in(client)


def test_a_password_reset_does_not_bypass_the_second_factor(real_accounts, cast, client):
    cast.erin.email = "erin@example.org"
    cast.erin.save()
    totp_device(cast.erin)

    client.post("/accounts/password_reset/", {"email": "erin@example.org"})
    link = re.search(r"/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    form_url = client.get(link)["Location"]
    new_password = "a brand new passphrase for erin"
    done = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert done["Location"] == "/accounts/reset/done/"
    assert not is_logged_in(client)

    response = log_in(client, cast.erin, password=new_password)

    assert response["Location"] == "/accounts/login/verify/"
    assert not is_logged_in(client)


def test_demo_mode_logs_in_with_the_password_alone(settings, cast, client):
    settings.DEMO_MODE = True

    response = log_in(client, cast.erin)

    assert response.status_code == 302
    assert is_logged_in(client)
    assert client.get("/admin/").status_code == 200


def test_login_completes_to_a_local_next_only(real_accounts, cast, client):
    device = totp_device(cast.erin)
    client.post(
        "/accounts/login/",
        {"username": "erin", "password": PASSWORD, "next": "https://evil.example/steal"},
    )

    response = client.post("/accounts/login/verify/", {"token": totp_code(device)})

    assert response["Location"] == "/"


def test_an_administrator_resets_a_lost_authenticator(real_accounts, cast, client, frozen_clock):
    from django.test import Client

    alice_device = totp_device(cast.alice)
    services.recovery_codes_issue(user=cast.alice)
    alice = Client()
    log_in(alice, cast.alice, device=alice_device)
    erin_device = totp_device(cast.erin)
    log_in(client, cast.erin, device=erin_device)

    client.post(
        "/admin/accounts/user/",
        {"action": "reset_two_factor", "_selected_action": [str(cast.alice.pk)]},
    )

    assert not AuthenticatorDevice.objects.filter(user=cast.alice).exists()
    assert not RecoveryCodeDevice.objects.filter(user=cast.alice).exists()
    assert alice.get("/admin/").status_code == 302  # her sessions ended
    assert not is_logged_in(alice)
    assert log_in(Client(), cast.alice)["Location"] == "/accounts/login/setup/"


def test_resetting_two_factor_needs_a_recent_proof(cast, client, frozen_clock, settings):
    alice_device = totp_device(cast.alice)
    client.force_login(cast.erin)
    frozen_clock.shift(dt.timedelta(seconds=settings.REAUTH_MAX_AGE + 1))
    client.get("/admin/")

    response = client.post(
        "/admin/accounts/user/",
        {"action": "reset_two_factor", "_selected_action": [str(cast.alice.pk)]},
    )

    assert response["Location"].startswith("/accounts/reauth/")
    assert AuthenticatorDevice.objects.filter(pk=alice_device.pk).exists()
