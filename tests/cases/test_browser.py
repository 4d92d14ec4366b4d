"""A caseworker, in a real browser, records a group's transfer to Tumen, and finds a
source among many by typing part of its label; a coordinator assigns a caseworker
found among many by typing part of the name."""

import datetime

import pytest

from casework.accounts.enums import Role
from casework.cases.enums import Status
from casework.cases.models import CustodyEvent
from tests.browser import log_in, screenshot
from tests.factories import (
    FacilityFactory,
    GroupFactory,
    PersonFactory,
    SourceFactory,
    UserFactory,
    record,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_records_a_group_transfer_to_tumen_and_sees_it(page, cast):
    FacilityFactory(name_en="Yanji Detention Centre", province="Jilin")
    FacilityFactory(name_en="Tumen Border Defence Detention Centre", border_point=True)
    people = [
        PersonFactory(pseudonym=name, caseworkers=[cast.alice], vulnerable=vulnerable)
        for name, vulnerable in [("Iris", []), ("Jasmine", []), ("Lilac", ["child"])]
    ]
    group = GroupFactory(name="Yanji group of five", people=people)
    record(status=Status.DETAINED, on=datetime.date(2026, 10, 28), group=group, place="Yanji")

    log_in(page, "alice")
    page.goto("/cases/")
    page.click("text=Iris")
    page.click("text=Yanji group of five")
    page.select_option("#id_status", "transferred")
    page.fill("#id_occurred_on", datetime.date.today().isoformat())
    page.fill("#id_facility", "Tumen Border Defence Detention Centre, Jilin")
    page.fill("#id_note", "Moved to Tumen instead of Helong.")
    page.click("button:has-text('Record')")

    page.wait_for_selector("text=Recorded for 3 people.")
    timeline = page.locator(".timeline").inner_text()
    assert "Tumen Border Defence Detention Centre" in timeline
    assert "Moved to Tumen instead of Helong." in timeline
    assert CustodyEvent.objects.filter(group=group, status=Status.TRANSFERRED).count() == 3
    assert "3 transferred" in page.locator(".rollup").inner_text()
    screenshot(page, "case-group")

    page.click("text=Lilac")
    assert "Tumen Border Defence" in page.locator(".timeline").inner_text()
    assert page.locator(".flags").inner_text().count("at imminent risk of return") == 1
    screenshot(page, "case-person")

    page.click("text=Reveal identity")
    page.wait_for_selector("text=Legal name")
    screenshot(page, "case-person-revealed")

    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "case-person-mobile")


def test_a_caseworker_finds_a_source_by_typing_part_of_its_label(page, cast):
    person = PersonFactory(pseudonym="Iris", caseworkers=[cast.alice])
    SourceFactory.create_batch(30)
    sister = SourceFactory(label="Sister in Seoul")
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)

    log_in(page, "alice")
    page.goto(f"/cases/{person.reference}/")
    options = page.locator("#source-names option")
    assert options.count() == 0  # the page lists no source until one is searched for
    page.click("#id_source")
    page.keyboard.type("sister")
    options.first.wait_for(state="attached")
    assert options.evaluate_all("os => os.map(o => o.value)") == [str(sister)]
    page.fill("#id_source", str(sister))  # what picking the suggestion does
    page.select_option("#id_status", "detained")
    page.fill("#id_occurred_on", datetime.date.today().isoformat())
    page.click("button:has-text('Record')")

    page.wait_for_selector("text=Recorded for 1 person.")
    assert CustodyEvent.objects.get(person=person).source == sister
    assert str(sister) in page.locator(".timeline").inner_text()
    assert refused == []


def test_a_coordinator_assigns_a_caseworker_found_by_typing_part_of_the_name(page, cast):
    person = PersonFactory(pseudonym="Iris", caseworkers=[cast.alice])
    zinnia = UserFactory(username="zinnia", first_name="Zin", role=Role.CASEWORKER)
    UserFactory.create_batch(30)

    log_in(page, "carol")
    page.goto(f"/admin/cases/person/{person.pk}/change/")
    page.click(".field-assigned_caseworkers .select2-selection")
    page.keyboard.type("zin")
    page.wait_for_selector(".select2-results__option:has-text('zinnia')")
    assert page.locator(".select2-results__option").all_inner_texts() == ["zinnia"]
    page.keyboard.press("Enter")
    screenshot(page, "admin-caseworker-picker")
    page.click("input[name=_save]")

    page.wait_for_selector("text=was changed successfully")
    assert set(person.assigned_caseworkers.all()) == {cast.alice, zinnia}
