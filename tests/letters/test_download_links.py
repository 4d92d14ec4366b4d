"""A letter's file links are plain links: the download itself says "attachment", so a
login page met on the way is shown, not saved as a file."""

import re

import pytest

from casework.letters import services

pytestmark = pytest.mark.django_db


def test_the_letter_s_file_links_carry_no_download_attribute(cast, client_for, yanji, minister):
    letter = services.letter_generate(
        user=cast.dana, template_slug="group-imminent-return", language="en",
        recipient=minister, group=yanji.group, formats=("txt",),
    )  # fmt: skip
    client = client_for(cast.dana)
    html = client.get(f"/letters/{letter.reference}/").content.decode()
    links = [a for a in re.findall(r"<a [^>]*>", html) if "/download." in a]
    assert links
    assert not [a for a in links if re.search(r"\sdownload[\s>=]", a)]
    response = client.get(f"/letters/{letter.reference}/download.txt")
    assert response["Content-Disposition"].startswith("attachment;")
