"""`make run` on a fresh machine: after seed_demo and run_reminders, the demo caseworker's
inbox shows the stale Suizhong case (last heard of in 2017)."""

import io

import pytest
from django.core.management import call_command

from casework.cases.models import Group
from casework.reminders.models import Reminder
from tests.browser import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_caseworker_sees_a_stale_demo_case_and_marks_it_done(page, rules, settings):
    settings.DEMO_MODE = True
    call_command("seed_demo", password="correct horse battery staple", stdout=io.StringIO())
    call_command("run_reminders", stdout=io.StringIO())
    suizhong = set(
        Group.objects.get(name="Suizhong group of eight").members.values_list(
            "reference", flat=True
        )
    )
    mine = Reminder.objects.filter(recipient__username="caseworker", rule__kind="stale")
    stale_suizhong = sorted(set(mine.values_list("person__reference", flat=True)) & suizhong)
    assert stale_suizhong

    log_in(page, "caseworker")
    page.goto("/inbox/")
    reference = stale_suizhong[0]
    link = page.locator(f'a[href="/cases/{reference}/"]')
    assert link.inner_text() == reference
    # The badge counts every pending reminder (a planned date in the demo data passes
    # as the calendar moves on), not only the stale ones.
    count = int(page.locator("#inbox-count .badge").inner_text())
    assert count == Reminder.objects.filter(recipient__username="caseworker").pending().count()
    screenshot(page, "reminders-inbox")

    row = page.locator("tr", has=link)
    row.get_by_role("button", name="Done").click()
    page.wait_for_function(
        "n => document.querySelector('#inbox-count .badge').textContent == String(n)",
        arg=count - 1,
    )
    assert page.locator(f'a[href="/cases/{reference}/"]').count() == 0
    screenshot(page, "reminders-inbox-after-done")
