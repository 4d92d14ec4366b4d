"""A coordinator makes a report for two periods in a real browser and copies its
paragraph to publish it."""

import datetime

import pytest
from playwright.sync_api import expect

from casework.cases.enums import Status
from tests.browser import log_in, screenshot
from tests.factories import FacilityFactory, PersonFactory, record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def detentions(cast):
    """Five detentions in the last two months: three in the first, two in the second."""
    yanji = FacilityFactory(name_en="Yanji detention centre", province="Jilin")
    shenyang = FacilityFactory(name_en="Shenyang police station", province="Liaoning")
    tumen = FacilityFactory(name_en="Tumen border post", province="Jilin", border_point=True)
    today = datetime.date.today()
    first = (today - datetime.timedelta(days=60), today - datetime.timedelta(days=31))
    second = (today - datetime.timedelta(days=30), today)
    for i, (facility, days_ago) in enumerate(
        [(yanji, 50), (yanji, 45), (shenyang, 40), (shenyang, 20), (yanji, 10)]
    ):
        person = PersonFactory(pseudonym=f"Detained {i}")
        record(
            person, Status.DETAINED, today - datetime.timedelta(days=days_ago), facility=facility
        )
        if i == 2:
            # Moved to the border and returned: still counted under Liaoning.
            record(person, Status.TRANSFERRED, today - datetime.timedelta(days=25), facility=tumen)
            record(person, Status.RETURNED, today - datetime.timedelta(days=5), facility=tumen)
    return first, second


def test_a_coordinator_reports_two_periods_and_copies_the_paragraph(
    page, cast, detentions, live_server
):
    (start_1, stop_1), (start_2, stop_2) = detentions
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in(page, "carol")
    page.goto("/board/")
    page.click("text=Report for publication")
    page.fill("#id_start_1", start_1.isoformat())
    page.fill("#id_stop_1", stop_1.isoformat())
    page.fill("#id_start_2", start_2.isoformat())
    page.fill("#id_stop_2", stop_2.isoformat())
    page.fill("#id_as_of", stop_2.isoformat())
    page.check("#id_exact")
    with page.expect_navigation():
        page.click("text=Make the report")

    paragraph = page.locator("#report-paragraph").inner_text()
    assert "3 people detained" in paragraph
    assert "2 people detained" in paragraph
    assert "In all these periods" in paragraph and "5 people detained" in paragraph
    first_table = page.locator("table.report-table").first
    assert first_table.locator("thead th").all_text_contents() == [
        "Status",
        "Jilin",
        "Liaoning",
        "Total",
    ]
    returned = first_table.locator("tr[data-row=returned] td").all_inner_texts()
    assert returned == ["0", "1", "1"]
    screenshot(page, "report-two-periods")

    page.click("#copy-paragraph")
    # No string evaluated in the page (the site's CSP forbids it): Playwright's own wait.
    expect(page.locator("#copy-status")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == paragraph.strip()

    with page.expect_download() as download_info:
        page.click("text=Export CSV")
    text = download_info.value.path().read_text(encoding="utf-8-sig")
    assert "Jilin,Liaoning,Total" in text
