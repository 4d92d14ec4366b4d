"""Authenticator secrets and recovery codes are encrypted at rest, and survive key rotation.

Whoever reads the database (a dump, a backup, a replica) must not be able to produce
anyone's codes.
"""

import base64
import datetime as dt
import importlib
import io
import re

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.accounts import services
from casework.accounts.models import AuthenticatorDevice, RecoveryCodeDevice
from tests.security.helpers import is_logged_in, log_in, totp_code

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
moved = importlib.import_module("casework.accounts.migrations.0005_two_factor_secrets_encrypted")


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def raw_rows(table: str) -> str:
    """Every column of every row of ``table``, as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return repr(cursor.fetchall())


def enrol(client, user) -> tuple[AuthenticatorDevice, list[str]]:
    """First login outside demo mode: set up the authenticator, receive recovery codes."""
    log_in(client, user)
    client.get("/accounts/login/setup/")
    device = AuthenticatorDevice.objects.get(user=user, confirmed=False)
    done = client.post("/accounts/login/setup/", {"token": totp_code(device)})
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert is_logged_in(client) and len(codes) == 10
    client.post("/accounts/logout/")
    return device, codes


def forms_of(secret_hex: str) -> list[str]:
    """The ways a TOTP secret can be written: hex, either case, and base32."""
    base32 = base64.b32encode(bytes.fromhex(secret_hex)).decode().rstrip("=")
    return [secret_hex.lower(), secret_hex.upper(), base32, base32.lower()]


def test_the_database_holds_no_authenticator_secret_in_plain(real_accounts, cast, client):
    device, _codes = enrol(client, cast.carol)
    device.refresh_from_db()

    stored = raw_rows("accounts_authenticatordevice")

    assert device.secret and len(bytes.fromhex(device.secret)) == 20
    for plain in forms_of(device.secret):
        assert plain not in stored
    # django-otp's own plain tables are not used at all.
    assert raw_rows("otp_totp_totpdevice") == "[]"


def test_the_database_holds_no_recovery_code_in_plain(real_accounts, cast, client):
    _device, codes = enrol(client, cast.carol)

    stored = raw_rows("accounts_recoverycodedevice")

    assert stored != "[]"
    for code in codes:
        assert code not in stored
    assert raw_rows("otp_static_statictoken") == "[]"


def test_codes_still_work_after_the_keys_are_rotated_and_the_old_key_dropped(
    real_accounts, cast, client, settings, frozen_clock
):
    device, codes = enrol(client, cast.carol)
    before = raw_rows("accounts_authenticatordevice")
    old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    new_key = Fernet.generate_key().decode()

    settings.FIELD_ENCRYPTION_KEYS = [new_key, *old_keys]
    call_command("rotate_encryption_keys", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [new_key]

    assert raw_rows("accounts_authenticatordevice") != before
    frozen_clock.shift(dt.timedelta(seconds=30))
    log_in(client, cast.carol, device=device)
    assert is_logged_in(client)
    client.post("/accounts/logout/")
    log_in(client, cast.carol, token=codes[0])
    assert is_logged_in(client)


def test_a_used_recovery_code_is_gone_from_the_encrypted_list(cast):
    codes = services.recovery_codes_issue(user=cast.carol)
    device = RecoveryCodeDevice.objects.get(user=cast.carol)

    assert services.two_factor_verify(user=cast.carol, token=codes[3].upper()) == device
    assert services.two_factor_verify(user=cast.carol, token=codes[3]) is None

    device.refresh_from_db()
    assert sorted(device.codes_left()) == sorted(codes[:3] + codes[4:])


def test_the_qr_code_address_carries_the_decrypted_secret(cast):
    device = services.two_factor_enrolment_start(user=cast.carol)
    base32 = base64.b32encode(device.bin_key).decode().rstrip("=")

    assert device.config_url == (
        f"otpauth://totp/Casework%3Acarol?secret={base32}&algorithm=SHA1&digits=6"
        "&period=30&issuer=Casework"
    )


# --- the migration that moved existing devices ----------------------------------------

OLD_SECRET = "3132333435363738393031323334353637383930"  # RFC 6238's test secret


def plain_devices(user) -> TOTPDevice:
    """An account set up before the secrets were encrypted: django-otp's plain rows."""
    totp = TOTPDevice.objects.create(user=user, name="phone", key=OLD_SECRET, confirmed=True)
    static = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    StaticToken.objects.bulk_create(
        StaticToken(device=static, token=code) for code in ("abcdefgh", "ijklmnop")
    )
    return totp


def code_for(secret_hex: str) -> str:
    totp = TOTP(bytes.fromhex(secret_hex))
    return f"{totp.token():06d}"


def test_existing_plain_secrets_are_moved_encrypted_and_still_log_in(
    real_accounts, cast, client, frozen_clock
):
    old = plain_devices(cast.erin)
    # The code of this very time step was used before the upgrade.
    old.last_t = TOTP(bytes.fromhex(OLD_SECRET)).t()
    old.save()

    moved.secrets_encrypt(apps, None)

    assert not TOTPDevice.objects.exists()
    assert not StaticToken.objects.exists()
    device = AuthenticatorDevice.objects.get(user=cast.erin)
    assert (device.name, device.confirmed, device.secret) == ("phone", True, OLD_SECRET)
    assert OLD_SECRET not in raw_rows("accounts_authenticatordevice")
    assert "abcdefgh" not in raw_rows("accounts_recoverycodedevice")
    # Not replayable after the move either.
    log_in(client, cast.erin, token=code_for(OLD_SECRET))
    assert not is_logged_in(client)
    frozen_clock.shift(dt.timedelta(seconds=30))
    log_in(client, cast.erin, token=code_for(OLD_SECRET))
    assert is_logged_in(client)
    client.post("/accounts/logout/")
    log_in(client, cast.erin, token="abcdefgh")
    assert is_logged_in(client)


def test_the_move_can_be_undone_for_the_older_code(cast):
    plain_devices(cast.erin)
    moved.secrets_encrypt(apps, None)

    moved.secrets_decrypt(apps, None)

    assert not AuthenticatorDevice.objects.exists()
    assert not RecoveryCodeDevice.objects.exists()
    assert TOTPDevice.objects.get(user=cast.erin).key == OLD_SECRET
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == [
        "abcdefgh",
        "ijklmnop",
    ]
