"""Where a person was arrested, kept in the stored current status beside where they are
now: the facility of the event that began their latest custody episode."""

import datetime
import importlib

import pytest
from django.db import connection
from django.utils import translation

from casework.cases import services
from casework.cases.enums import Country, Status
from casework.cases.models import CurrentStatus, CustodyEvent, Person
from casework.cases.places import place_now, place_now_display
from casework.cases.state import IN_CUSTODY
from casework_dev.synthetic import cases as synthetic
from tests.factories import FacilityFactory, PersonFactory, record

pytestmark = pytest.mark.django_db

d = datetime.date


def arrest_of(person: Person):
    return CurrentStatus.objects.get(person=person).arrest_facility


def arrests_the_slow_way() -> dict[int, int | None]:
    """Each person's latest episode start, found by walking the timelines in Python."""
    arrests: dict[int, int | None] = {}
    before: dict[int, str] = {}
    for event in CustodyEvent.objects.order_by("occurred_on", "id"):
        previous = before.get(event.person_id, "")
        if event.status in IN_CUSTODY and previous not in IN_CUSTODY:
            arrests[event.person_id] = event.facility_id
        arrests.setdefault(event.person_id, None)
        before[event.person_id] = event.status
    return arrests


def stored_arrests() -> dict[int, int | None]:
    return dict(CurrentStatus.objects.values_list("person_id", "arrest_facility_id"))


@pytest.fixture
def places():
    return {
        "suizhong": FacilityFactory(name_en="Suizhong county jail", province="Liaoning"),
        "tumen": FacilityFactory(name_en="Tumen", province="Jilin", border_point=True),
        "yanji": FacilityFactory(name_en="Yanji detention centre", province="Jilin"),
    }


def test_a_person_moved_to_a_border_post_and_returned_keeps_the_place_of_arrest(places):
    kim = PersonFactory()
    record(kim, Status.DETAINED, d(2024, 3, 1), facility=places["suizhong"])
    record(kim, Status.TRANSFERRED, d(2024, 4, 1), facility=places["tumen"])
    record(kim, Status.RETURNED, d(2024, 5, 1), facility=places["tumen"])

    assert arrest_of(kim) == places["suizhong"]
    assert CurrentStatus.objects.get(person=kim).facility == places["tumen"]


def test_a_new_arrest_after_a_release_is_the_place_of_arrest(places):
    lee = PersonFactory()
    record(lee, Status.DETAINED, d(2019, 3, 1), facility=places["suizhong"])
    record(lee, Status.RELEASED, d(2019, 6, 1))
    record(lee, Status.DETAINED, d(2024, 2, 1), facility=places["yanji"])
    record(lee, Status.AT_RISK_OF_RETURN, d(2024, 3, 1), facility=places["tumen"])

    assert arrest_of(lee) == places["yanji"]


def test_a_backdated_arrest_does_not_replace_a_later_one(places):
    park = PersonFactory()
    record(park, Status.DETAINED, d(2024, 2, 1), facility=places["yanji"])
    record(park, Status.RELEASED, d(2024, 3, 1))
    # Old news of an earlier detention and release, recorded later.
    record(park, Status.DETAINED, d(2018, 5, 1), facility=places["suizhong"])
    record(park, Status.RELEASED, d(2018, 8, 1))

    assert arrest_of(park) == places["yanji"]


def test_never_detained_or_arrested_at_no_known_facility_has_no_place_of_arrest(places):
    hiding, nowhere = PersonFactory.create_batch(2)
    record(hiding, Status.AT_LARGE, d(2024, 1, 1))
    record(nowhere, Status.DETAINED, d(2024, 1, 1), place="a police station")
    record(nowhere, Status.TRANSFERRED, d(2024, 2, 1), facility=places["tumen"])

    assert arrest_of(hiding) is None
    assert arrest_of(nowhere) is None


def test_the_rebuild_agrees_and_repairs_a_wrong_place_of_arrest(places):
    kim = PersonFactory()
    record(kim, Status.DETAINED, d(2024, 3, 1), facility=places["suizhong"])
    record(kim, Status.TRANSFERRED, d(2024, 4, 1), facility=places["tumen"])
    assert services.current_status_rebuild(check_only=True) == 0

    CurrentStatus.objects.filter(person=kim).update(arrest_facility=places["tumen"])

    assert services.current_status_rebuild(check_only=True) == 1
    assert services.current_status_rebuild() == 1
    assert arrest_of(kim) == places["suizhong"]


def test_synthetic_timelines_get_the_place_of_arrest_the_slow_way_finds():
    synthetic.seed(persons=300, seed=7, until=d(2025, 6, 30))

    assert stored_arrests() == arrests_the_slow_way()
    assert services.current_status_rebuild(check_only=True) == 0


def test_the_migration_fills_the_place_of_arrest_the_rebuild_keeps(places):
    synthetic.seed(persons=200, seed=11, until=d(2025, 6, 30))
    expected = stored_arrests()
    assert any(expected.values())
    migration = importlib.import_module(
        "casework.cases.migrations.0013_current_status_arrest_facility"
    )
    CurrentStatus.objects.update(arrest_facility=None)

    with connection.cursor() as cursor:
        cursor.execute(migration.FILL)

    assert stored_arrests() == expected


@pytest.mark.parametrize(
    "status, province, country, expected",
    [
        (Status.RETURNED, "Jilin", Country.CHINA, "Returned to North Korea"),
        (Status.RETURNED, None, None, "Returned to North Korea"),
        (Status.IN_SAFE_COUNTRY, "", Country.SOUTH_KOREA, "South Korea"),
        (Status.IN_SAFE_COUNTRY, "Chiang Rai", Country.THAILAND, "Thailand"),
        (Status.IN_SAFE_COUNTRY, None, None, "Abroad, country unknown"),
        (Status.DETAINED, "Liaoning", Country.CHINA, "Liaoning"),
        (Status.AT_LARGE, None, None, "Unknown place"),
        (Status.UNKNOWN, "", Country.CHINA, "Unknown place"),
    ],
)
def test_the_place_now_rule(status, province, country, expected):
    assert place_now_display(status, province, country) == expected


def test_an_unknown_place_now_is_blank_where_a_list_shows_it():
    assert place_now(Status.AT_LARGE, None, None) == ""


def test_the_place_now_in_korean():
    with translation.override("ko"):
        assert place_now_display(Status.RETURNED, "Jilin", "CN") == "북한으로 강제송환됨"
        assert place_now_display(Status.IN_SAFE_COUNTRY, "", "KR") == "한국"
        assert place_now_display(Status.IN_SAFE_COUNTRY, None, None) == "해외 (국가 미상)"
        assert place_now_display(Status.DETAINED, "Liaoning", "CN") == "랴오닝성"
