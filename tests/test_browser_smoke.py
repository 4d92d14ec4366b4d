import pytest

from tests.browser import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_logs_in_and_reaches_the_admin(page, cast):
    log_in(page, "carol")
    page.goto("/admin/")
    assert page.locator("#site-name").inner_text() == "Casework"
    screenshot(page, "admin-index")
