"""The password-reset email is Casework's own and links to SITE_URL, whatever Host was sent.

The Host header is chosen by whoever sends the request: a reset link built from it
could send a user, and their reset token, to someone else's server.
"""

import re

import pytest
from django.core import mail

from tests.security.helpers import PASSWORD


@pytest.fixture
def erin_with_email(cast):
    cast.erin.email = "erin@example.org"
    cast.erin.save()
    return cast.erin


@pytest.mark.parametrize("host", ["testserver", "attacker.example"])
def test_the_reset_link_goes_to_site_url_whatever_the_host(host, erin_with_email, client, settings):
    settings.SITE_URL = "https://casework.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "attacker.example"]

    client.post("/accounts/password_reset/", {"email": "erin@example.org"}, HTTP_HOST=host)

    [email] = mail.outbox
    links = re.findall(r"https?://\S+", email.body)
    assert links[0].startswith("https://casework.example.org/accounts/reset/")
    assert all(link.startswith("https://casework.example.org/") for link in links)
    for text in (email.subject, email.body):
        assert host not in text
        assert "testserver" not in text
    assert email.subject == "[Casework] Set a new password"
    assert "Casework" in email.body


def test_the_reset_link_sets_a_new_password(erin_with_email, client, settings):
    settings.SITE_URL = "https://casework.example.org/"

    client.post("/accounts/password_reset/", {"email": "erin@example.org"})
    path = re.search(r"https://casework\.example\.org(/accounts/reset/\S+/)", mail.outbox[0].body)
    form_url = client.get(path.group(1))["Location"]
    new_password = "a brand new passphrase for erin"
    done = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})

    assert done["Location"] == "/accounts/reset/done/"
    erin_with_email.refresh_from_db()
    assert erin_with_email.check_password(new_password)
    assert not erin_with_email.check_password(PASSWORD)


def test_the_reset_email_names_no_username(erin_with_email, client):
    client.post("/accounts/password_reset/", {"email": "erin@example.org"})

    assert "erin" not in mail.outbox[0].body.replace("erin@example.org", "")
