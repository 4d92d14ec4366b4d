"""A coordinator uses the board in a real browser: filters it and downloads the CSV."""

import csv
import datetime
import io

import pytest

from casework.cases.enums import Status
from tests.browser import log_in, screenshot
from tests.factories import FacilityFactory, PersonFactory, record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def board_world(cast):
    tumen = FacilityFactory(name_en="Tumen detention centre", province="Jilin", border_point=True)
    yanji = FacilityFactory(name_en="Yanji detention centre", province="Jilin")
    dandong = FacilityFactory(name_en="Dandong border post", province="Liaoning", border_point=True)
    today = datetime.date.today()
    people = {}
    for name, facility, status, days_ago in [
        ("Border Bae", tumen, Status.TRANSFERRED, 1),
        ("Yanji Yoo", yanji, Status.DETAINED, 3),
        ("Dandong Do", dandong, Status.TRANSFERRED, 2),
        ("Returned Ri", None, Status.RETURNED, 40),
    ]:
        person = PersonFactory(pseudonym=name, caseworkers=[cast.alice])
        record(
            person, Status.DETAINED, today - datetime.timedelta(days=days_ago + 20), facility=yanji
        )
        record(person, status, today - datetime.timedelta(days=days_ago), facility=facility)
        people[name] = person
    return people


def test_a_coordinator_filters_to_at_risk_in_jilin_and_downloads_the_csv(page, cast, board_world):
    log_in(page, "carol")
    page.goto("/board/")
    screenshot(page, "board")
    page.select_option("#id_status", "at_risk")
    page.select_option("#id_province", "Jilin")
    page.click("text=Apply filters")
    page.wait_for_load_state("networkidle")

    assert "status=at_risk" in page.url and "province=Jilin" in page.url
    rows = page.locator("table.board-list tbody tr")
    assert rows.count() == 1
    assert "Border Bae" in rows.first.inner_text()
    assert page.locator("#chart-status").is_visible()
    screenshot(page, "board-at-risk-jilin")

    with page.expect_download() as download_info:
        page.click("text=Export CSV")
    text = download_info.value.path().read_text(encoding="utf-8-sig")
    exported = list(csv.DictReader(io.StringIO(text)))
    assert [
        (r["reference"], r["pseudonym"], r["province"], r["border point"]) for r in exported
    ] == [(board_world["Border Bae"].reference, "Border Bae", "Jilin", "yes")]


def test_the_board_on_a_phone(page, cast, board_world):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "carol")
    page.goto("/board/")
    assert page.locator(".headline-sentence").is_visible()
    # Nothing may make the page wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "board-mobile")
