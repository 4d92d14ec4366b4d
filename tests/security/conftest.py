import pytest


@pytest.fixture
def real_accounts(settings):
    """Production login rules: demo mode off, so every account needs its second factor."""
    settings.DEMO_MODE = False
    return settings
