"""The advocate's journey in a real browser: from the Yanji group to a sent letter."""

import datetime
import shutil
import subprocess

import pytest
from django.utils import timezone

from tests.browser import ARTIFACTS, log_in, screenshot
from tests.letters.conftest import build_yanji_group
from tests.letters.files import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_user(page, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, username)


def test_an_advocate_writes_sends_and_follows_up_the_yanji_letter(page, cast, letters_demo_data):
    yanji = build_yanji_group()
    reference = yanji.group.reference

    log_in(page, "dana")
    page.goto("/letters/")
    assert page.locator("nav >> text=Letters").get_attribute("href") == "/letters/"
    page.goto(f"/letters/?case={reference}")
    page.click("text=New letter")
    page.select_option("#id_template", label="Group at imminent risk of forced return")
    page.select_option("#id_language", label="English")
    page.select_option(
        "#id_recipient",
        label="Minister of Public Security — Ministry of Public Security of the People's "
        "Republic of China",
    )
    page.check(
        "label:has-text('Minister of Foreign Affairs — Ministry of Foreign Affairs of the People')"
    )
    page.check("label:has-text('UN High Commissioner for Refugees — ')")
    screenshot(page, "letters-new")
    page.click("button:has-text('Write the draft')")

    preview = page.locator(".letter-preview")
    assert f"Urgent: 5 North Koreans at imminent risk of forced return ({reference})" in (
        preview.inner_text()
    )
    assert "5 people from North Korea (3 women, 1 man and 1 child)" in preview.inner_text()
    assert "Copies to:" in preview.inner_text()
    assert page.locator("#letter-status").inner_text() == "Draft"
    screenshot(page, "letters-preview")

    with page.expect_download() as caught:
        page.click(".downloads >> text=PDF")
    download = caught.value
    assert download.suggested_filename.endswith("-en.pdf")
    pdf_path = ARTIFACTS / "letters-yanji.pdf"
    download.save_as(pdf_path)
    assert "Please act before" in pdf_text(pdf_path.read_bytes())
    if shutil.which("pdftoppm"):
        subprocess.run(  # noqa: S603
            [shutil.which("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "1",
             str(pdf_path), str(ARTIFACTS / "letters-yanji-page")],
            check=True,
        )  # fmt: skip
    assert "Waiting for a coordinator" in page.inner_text(".letter-side")
    letter_url = page.url

    switch_user(page, "carol")
    page.goto(letter_url)
    page.click("button:has-text('Approve')")
    assert page.locator("#letter-status").inner_text() == "Approved"

    switch_user(page, "dana")
    page.goto(letter_url)
    page.select_option("#id_channel", label="Fax")
    page.click("button:has-text('Mark sent')")
    assert page.locator("#letter-status").inner_text() == "Sent"
    follow_up = yanji.planned_on - datetime.timedelta(days=1)
    assert page.locator("#follow-up-on").inner_text() == f"{follow_up.day} {follow_up:%b %Y}"
    assert f"{timezone.localdate().day} {timezone.localdate():%b %Y} by fax" in page.inner_text(
        ".facts"
    )
    screenshot(page, "letters-sent")
