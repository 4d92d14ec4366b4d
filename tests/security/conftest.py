import pytest


@pytest.fixture
def real_accounts(settings):
    """Production login rules: demo mode off, so every account needs its second factor."""
    settings.DEMO_MODE = False
    return settings


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The suite logs in for real many times; PBKDF2's deliberate slowness is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
