"""Production settings refuse to start on development defaults."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_DEBUG"}}
    clean.pop("FIELD_ENCRYPTION_KEYS", None)
    clean.pop("BLIND_INDEX_KEY", None)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "casework.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = load_settings(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_without_encryption_keys_refuses_to_start():
    result = load_settings(DJANGO_DEBUG="0", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS must be set" in result.stderr


def test_production_with_every_secret_starts():
    result = load_settings(
        DJANGO_DEBUG="0",
        SECRET_KEY="x" * 50,
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        BLIND_INDEX_KEY="y" * 32,
        ALLOWED_HOSTS="casework.example.org",
    )
    assert result.returncode == 0, result.stderr


def test_local_defaults_start_without_any_secret():
    result = load_settings()
    assert result.returncode == 0, result.stderr


def test_the_language_cookie_is_as_guarded_as_the_session_cookie_in_production():
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_DEBUG"}}
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.LANGUAGE_COOKIE_SECURE, s.SESSION_COOKIE_SECURE, "
            "s.LANGUAGE_COOKIE_HTTPONLY, s.LANGUAGE_COOKIE_SAMESITE)",
        ],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "casework.settings",
            "DJANGO_DEBUG": "0",
            "SECRET_KEY": "x" * 50,
            "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "BLIND_INDEX_KEY": "y" * 32,
            "ALLOWED_HOSTS": "casework.example.org",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "Lax"]
