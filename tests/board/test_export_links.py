"""The board's export links are plain links: the responses themselves say "attachment",
so a file is saved, while a session whose proof is too old is shown the
re-authentication page instead of saving it as ``download.html``."""

import re

import pytest

from casework.accounts.reauth import AUTH_AT_KEY

pytestmark = pytest.mark.django_db

EXPORTS = ("/board/export.csv", "/board/export.xlsx")


def export_links(html: str) -> list[str]:
    return [a for a in re.findall(r"<a [^>]*>", html) if "/board/export." in a]


def test_the_export_links_carry_no_download_attribute(cast, client_for):
    links = export_links(client_for(cast.carol).get("/board/").content.decode())
    assert len(links) == 3  # CSV, XLSX, CSV with identities
    assert not [a for a in links if re.search(r"\sdownload[\s>=]", a)]


@pytest.mark.parametrize("url", EXPORTS)
def test_an_export_with_a_recent_login_is_an_attachment(cast, client_for, url):
    response = client_for(cast.carol).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("url", EXPORTS)
def test_an_export_after_a_long_while_shows_the_re_login_page(cast, client_for, url):
    client = client_for(cast.carol)
    session = client.session
    session[AUTH_AT_KEY] = 0
    session.save()
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/reauth/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
