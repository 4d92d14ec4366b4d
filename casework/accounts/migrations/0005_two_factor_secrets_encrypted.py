"""Move every authenticator secret and recovery code out of django-otp's plain columns.

Each TOTP device becomes an AuthenticatorDevice and each set of static tokens a
RecoveryCodeDevice, with the same user, name, state and counters (``last_t`` keeps a
used code from being replayed), encrypted under FIELD_ENCRYPTION_KEYS; the plain rows
are then deleted. Sessions verified with an old device end, and their users log in
again with the same authenticator app and codes.

Reversible: going back writes the secrets into the plain columns again, because the
older code reads them there.
"""

from django.db import migrations

_DEVICE_FIELDS = (
    "user_id",
    "name",
    "confirmed",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "last_used_at",
)
_TOTP_FIELDS = ("step", "t0", "digits", "tolerance", "drift", "last_t")


def _copy(old, new_model, **values):
    fields = {name: getattr(old, name) for name in _DEVICE_FIELDS}
    new = new_model.objects.create(**fields, **values)
    # created_at is set on creation; keep the original date.
    new_model.objects.filter(pk=new.pk).update(created_at=old.created_at)
    return new


def secrets_encrypt(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    AuthenticatorDevice = apps.get_model("accounts", "AuthenticatorDevice")
    RecoveryCodeDevice = apps.get_model("accounts", "RecoveryCodeDevice")

    for old in TOTPDevice.objects.order_by("pk"):
        totp = {name: getattr(old, name) for name in _TOTP_FIELDS}
        _copy(old, AuthenticatorDevice, secret=old.key.lower(), **totp)
    TOTPDevice.objects.all().delete()

    for old in StaticDevice.objects.order_by("pk").prefetch_related("token_set"):
        codes = " ".join(token.token for token in old.token_set.all())
        _copy(old, RecoveryCodeDevice, codes=codes)
    StaticDevice.objects.all().delete()


def secrets_decrypt(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    StaticToken = apps.get_model("otp_static", "StaticToken")
    AuthenticatorDevice = apps.get_model("accounts", "AuthenticatorDevice")
    RecoveryCodeDevice = apps.get_model("accounts", "RecoveryCodeDevice")

    for new in AuthenticatorDevice.objects.order_by("pk"):
        totp = {name: getattr(new, name) for name in _TOTP_FIELDS}
        _copy(new, TOTPDevice, key=new.secret, **totp)
    AuthenticatorDevice.objects.all().delete()

    for new in RecoveryCodeDevice.objects.order_by("pk"):
        old = _copy(new, StaticDevice)
        StaticToken.objects.bulk_create(
            StaticToken(device=old, token=code) for code in new.codes.split()
        )
    RecoveryCodeDevice.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_two_factor_devices_encrypted"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(secrets_encrypt, secrets_decrypt)]
