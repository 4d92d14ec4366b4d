"""Records that cannot be true are refused with a message saying why, and nothing is
written: a facility off the globe, an event before the person was born. The rules live
in the model and the service; the app's quick update and the admin show them by field."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casework.cases import services
from casework.cases.enums import DatePrecision, Status
from casework.cases.models import CustodyEvent, Facility, Person
from tests.cases.test_admin import change_url, new_event, person_form_data
from tests.factories import FacilityFactory, PersonFactory, change, record

pytestmark = pytest.mark.django_db

BEFORE_BIRTH = "The date lies before the birth of"


# --- a facility's position --------------------------------------------------------


def test_a_latitude_off_the_globe_is_refused_with_the_range():
    yanji = FacilityFactory.build(name_en="Yanji", latitude=Decimal("142.9"))
    with pytest.raises(ValidationError) as caught:
        yanji.full_clean()
    assert caught.value.message_dict["latitude"] == [
        "A latitude lies between −90 and 90 degrees (north is positive)."
    ]


@pytest.mark.parametrize("longitude", ["180.5", "-181"])
def test_a_longitude_off_the_globe_is_refused_with_the_range(longitude):
    yanji = FacilityFactory.build(name_en="Yanji", longitude=Decimal(longitude))
    with pytest.raises(ValidationError) as caught:
        yanji.full_clean()
    assert list(caught.value.message_dict) == ["longitude"]


def test_the_globe_s_edges_are_accepted():
    FacilityFactory.build(
        name_en="Pole", latitude=Decimal(-90), longitude=Decimal(180)
    ).full_clean()


def test_the_admin_shows_the_latitude_s_range_and_saves_nothing(cast, client_for):
    response = client_for(cast.erin).post(
        reverse("admin:cases_facility_add"),
        {"name_en": "Yanji", "province": "Jilin", "country": "CN", "latitude": "142.9"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["latitude"] == ["A latitude lies between −90 and 90 degrees (north is positive)."]
    assert not Facility.objects.exists()


# --- an event before the person's birth ---------------------------------------------


@pytest.fixture
def born_1996(cast):
    return PersonFactory(pseudonym="Azalea", birth_year=1996, caseworkers=[cast.alice])


def test_an_event_before_the_birth_year_is_refused_and_nothing_is_written(born_1996):
    version = born_1996.version
    with pytest.raises(ValidationError) as caught:
        record(born_1996, Status.DETAINED, on=datetime.date(1901, 3, 10))
    assert caught.value.message_dict["occurred_on"] == [
        f"{BEFORE_BIRTH} {born_1996.reference} (birth year or date of birth); check the date."
    ]
    assert not CustodyEvent.objects.exists()
    assert Person.objects.get(pk=born_1996.pk).version == version


def test_an_event_in_the_birth_year_is_accepted(born_1996):
    record(born_1996, Status.DETAINED, on=datetime.date(1996, 1, 1))
    assert CustodyEvent.objects.count() == 1


def test_the_date_of_birth_counts_to_the_day_when_recorded():
    person = PersonFactory(pseudonym="Camellia", date_of_birth=datetime.date(2000, 6, 15))
    with pytest.raises(ValidationError):
        record(person, Status.DETAINED, on=datetime.date(2000, 6, 14))
    # "Sometime in 2000" may lie after the birth: not refused.
    record(person, Status.DETAINED, on=datetime.date(2000, 1, 1), date_precision=DatePrecision.YEAR)
    assert CustodyEvent.objects.count() == 1


def test_a_group_event_names_the_members_born_after_it(born_1996):
    older = PersonFactory(pseudonym="Bellflower", birth_year=1960)
    with pytest.raises(ValidationError) as caught:
        services.custody_event_record(
            persons=[older, born_1996],
            status=Status.DETAINED,
            occurred_on=datetime.date(1990, 5, 1),
            recorded_by=None,
        )
    [message] = caught.value.message_dict["occurred_on"]
    assert born_1996.reference in message
    assert older.reference not in message
    assert not CustodyEvent.objects.exists()


def test_the_quick_update_shows_the_birth_beside_the_date(cast, born_1996, client_for):
    response = client_for(cast.alice).post(
        reverse("cases:update", args=[born_1996.reference]),
        {
            "version": born_1996.version,
            "status": "detained",
            "occurred_on": "1901-03-10",
            "date_precision": "day",
            "confidence": "reported",
        },
    )
    assert response.status_code == 400
    assert BEFORE_BIRTH in response.context["form"].errors["occurred_on"][0]
    assert not CustodyEvent.objects.exists()


def test_the_admin_refuses_an_event_before_the_birth_year_typed_beside_it(
    cast, born_1996, client_for
):
    born_2010 = change(born_1996, birth_year=None)
    response = client_for(cast.alice).post(
        change_url(born_2010),
        person_form_data(
            born_2010,
            birth_year="2010",
            **new_event(
                status="detained", occurred_on="2005-04-02", date_precision="day",
                confidence="reported",
            ),
        ),
    )  # fmt: skip
    assert response.status_code == 200
    assert BEFORE_BIRTH in response.content.decode()
    assert not CustodyEvent.objects.exists()
    assert Person.objects.get(pk=born_1996.pk).birth_year is None


# --- in Korean ----------------------------------------------------------------------


@pytest.fixture
def korean(cast):
    for user in vars(cast).values():
        user.language = "ko"
        user.save(update_fields=["language"])


def test_a_korean_reader_is_told_why_in_korean(cast, korean, born_1996, client_for):
    client = client_for(cast.alice)
    update = client.post(
        reverse("cases:update", args=[born_1996.reference]),
        {"version": born_1996.version, "status": "detained", "occurred_on": "1901-03-10",
         "date_precision": "day", "confidence": "reported"},
    )  # fmt: skip
    assert (
        "출생(출생 연도 또는 생년월일)보다 앞섭니다"
        in update.context["form"].errors["occurred_on"][0]
    )
    facility = client_for(cast.erin).post(
        reverse("admin:cases_facility_add"),
        {"name_en": "Yanji", "province": "Jilin", "country": "CN", "longitude": "190"},
    )
    assert facility.context["adminform"].form.errors["longitude"] == [
        "경도는 −180도에서 180도 사이입니다(동경이 양수)."
    ]
