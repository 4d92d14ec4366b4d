"""What may be recorded as a custody event (``custody_event_check``), rule by rule: each
test states one rule, with the field the user is told about, so that a weakened rule
fails here before it lets a wrong event onto a timeline."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from casework.cases.enums import Confidence, DatePrecision, Status
from casework.cases.services import custody_event_check
from casework.cases.state import IN_CUSTODY
from tests.factories import FacilityFactory, GroupFactory, PersonFactory, SourceFactory, record

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 15)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 5, 15, 12, 0), tick=False):
        yield


def refusal(**kwargs) -> dict[str, list[str]]:
    """The problems the check reports, by field (empty when the event may be recorded)."""
    kwargs.setdefault("status", Status.DETAINED)
    kwargs.setdefault("occurred_on", datetime.date(2026, 3, 10))
    if "persons" not in kwargs:
        kwargs["persons"] = [PersonFactory()]
    try:
        custody_event_check(**kwargs)
    except ValidationError as exc:
        return exc.message_dict
    return {}


def test_a_plain_detention_may_be_recorded():
    assert refusal() == {}


# The vocabularies


def test_an_unknown_status_is_refused():
    assert set(refusal(status="kidnapped")) == {"status"}


def test_an_unknown_date_precision_is_refused():
    assert set(refusal(date_precision="fortnight")) == {"date_precision"}


def test_an_unknown_confidence_is_refused():
    assert set(refusal(confidence="rumour")) == {"confidence"}


@pytest.mark.parametrize("precision", DatePrecision.values)
def test_every_date_precision_is_accepted(precision):
    assert refusal(date_precision=precision) == {}


@pytest.mark.parametrize("confidence", Confidence.values)
def test_every_confidence_is_accepted(confidence):
    assert refusal(confidence=confidence) == {}


def test_an_event_needs_someone_it_happened_to():
    assert set(refusal(persons=[])) == {"persons"}


# The date


def test_an_event_needs_a_date():
    assert set(refusal(occurred_on=None)) == {"occurred_on"}


def test_today_may_be_recorded_but_not_tomorrow():
    assert refusal(occurred_on=TODAY) == {}
    assert set(refusal(occurred_on=TODAY + datetime.timedelta(days=1))) == {"occurred_on"}


@pytest.mark.parametrize(
    ("precision", "later_in_its_window"),
    [
        (DatePrecision.MONTH, datetime.date(2026, 5, 28)),
        (DatePrecision.APPROXIMATE, datetime.date(2026, 5, 28)),
        (DatePrecision.YEAR, datetime.date(2026, 11, 2)),
    ],
)
def test_an_imprecise_date_is_judged_by_the_start_of_its_window(precision, later_in_its_window):
    """ "May 2026" has begun, whichever day of May the form happened to carry."""
    assert refusal(occurred_on=later_in_its_window, date_precision=precision) == {}


def test_an_imprecise_date_whose_window_has_not_begun_is_the_future():
    june = datetime.date(2026, 6, 1)
    assert set(refusal(occurred_on=june, date_precision=DatePrecision.MONTH)) == {"occurred_on"}


# An imprecise date must not hide newer news in its window


@pytest.fixture
def azalea():
    person = PersonFactory(pseudonym="Azalea")
    record(person, Status.DETAINED, on=datetime.date(2025, 1, 5))
    return person


def test_a_month_that_holds_a_later_dated_event_is_refused(azalea):
    record(azalea, Status.AT_RISK_OF_RETURN, on=datetime.date(2026, 3, 31))
    problems = refusal(
        persons=[azalea],
        status=Status.RELEASED,
        occurred_on=datetime.date(2026, 3, 1),
        date_precision=DatePrecision.MONTH,
    )
    assert set(problems) == {"occurred_on"}
    assert azalea.reference in problems["occurred_on"][0]


def test_a_month_whose_first_day_is_the_latest_news_may_be_recorded(azalea):
    """The month sorts on its first day, after an event of that same day: no clash."""
    record(azalea, Status.AT_RISK_OF_RETURN, on=datetime.date(2026, 3, 1))
    assert (
        refusal(
            persons=[azalea],
            status=Status.RELEASED,
            occurred_on=datetime.date(2026, 3, 1),
            date_precision=DatePrecision.MONTH,
        )
        == {}
    )


def test_a_month_after_the_latest_news_may_be_recorded(azalea):
    record(azalea, Status.AT_RISK_OF_RETURN, on=datetime.date(2026, 2, 28))
    assert (
        refusal(
            persons=[azalea],
            status=Status.RELEASED,
            occurred_on=datetime.date(2026, 3, 1),
            date_precision=DatePrecision.MONTH,
        )
        == {}
    )


def test_an_exact_day_is_never_refused_for_newer_news_in_its_month(azalea):
    record(azalea, Status.AT_RISK_OF_RETURN, on=datetime.date(2026, 3, 20))
    assert (
        refusal(persons=[azalea], status=Status.RELEASED, occurred_on=datetime.date(2026, 3, 2))
        == {}
    )


def test_a_year_that_holds_a_later_dated_event_is_refused(azalea):
    problems = refusal(
        persons=[azalea],
        status=Status.RELEASED,
        occurred_on=datetime.date(2025, 1, 1),
        date_precision=DatePrecision.YEAR,
    )
    assert set(problems) == {"occurred_on"}


# The planned date of a transfer or return


def test_a_planned_date_before_the_event_is_refused():
    problems = refusal(
        status=Status.AT_RISK_OF_RETURN,
        occurred_on=datetime.date(2026, 3, 10),
        planned_on=datetime.date(2026, 3, 9),
    )
    assert set(problems) == {"planned_on"}


def test_a_planned_date_on_or_after_the_event_is_accepted():
    for planned in (datetime.date(2026, 3, 10), datetime.date(2026, 6, 1)):
        assert (
            refusal(
                status=Status.AT_RISK_OF_RETURN,
                occurred_on=datetime.date(2026, 3, 10),
                planned_on=planned,
            )
            == {}
        )


def test_a_planned_date_without_an_event_date_is_only_told_the_missing_date():
    problems = refusal(occurred_on=None, planned_on=datetime.date(2026, 3, 9))
    assert set(problems) == {"occurred_on"}


# What each status needs


def test_a_return_needs_the_source_that_reported_it():
    assert set(refusal(status=Status.RETURNED)) == {"source"}
    assert refusal(status=Status.RETURNED, source=SourceFactory()) == {}


def test_other_statuses_need_no_source():
    assert refusal(status=Status.RELEASED) == {}


@pytest.fixture
def held():
    person = PersonFactory(pseudonym="Held")
    record(person, Status.DETAINED, on=datetime.date(2026, 1, 5))
    return person


@pytest.mark.parametrize("place", ["", "   "])
def test_a_transfer_needs_a_destination(held, place):
    problems = refusal(persons=[held], status=Status.TRANSFERRED, place=place)
    assert set(problems) == {"facility"}


def test_a_transfer_to_a_named_place_or_facility_is_accepted(held):
    assert refusal(persons=[held], status=Status.TRANSFERRED, place="Tumen") == {}
    assert refusal(persons=[held], status=Status.TRANSFERRED, facility=FacilityFactory()) == {}


def test_other_statuses_need_no_destination():
    assert refusal(status=Status.DETAINED, place="") == {}


@pytest.mark.parametrize("status", sorted(IN_CUSTODY))
def test_a_person_held_in_any_custody_status_may_be_transferred(status):
    person = PersonFactory()
    record(person, Status.DETAINED, on=datetime.date(2026, 1, 5))
    if status != Status.DETAINED:
        record(person, status, on=datetime.date(2026, 2, 5), place="Tumen")
    assert refusal(persons=[person], status=Status.TRANSFERRED, place="Tumen") == {}


@pytest.mark.parametrize("status", [Status.RELEASED, Status.AT_LARGE, Status.IN_SAFE_COUNTRY])
def test_a_person_not_in_custody_cannot_be_transferred(status):
    person = PersonFactory()
    record(person, status, on=datetime.date(2026, 1, 5))
    problems = refusal(persons=[person], status=Status.TRANSFERRED, place="Tumen")
    assert set(problems) == {"status"}
    assert person.reference in problems["status"][0]


def test_a_person_with_no_timeline_cannot_be_transferred():
    assert set(refusal(status=Status.TRANSFERRED, place="Tumen")) == {"status"}


def test_custody_is_judged_on_the_day_of_the_transfer(held):
    """Released after the transfer's date: on that day the person was still held."""
    record(held, Status.RELEASED, on=datetime.date(2026, 4, 1))
    assert (
        refusal(
            persons=[held],
            status=Status.TRANSFERRED,
            place="Tumen",
            occurred_on=datetime.date(2026, 3, 10),
        )
        == {}
    )


def test_custody_on_a_transfers_month_is_judged_from_its_first_day():
    """Detained on 1 March: a transfer in "March" is judged on 1 March, when held."""
    person = PersonFactory()
    record(person, Status.DETAINED, on=datetime.date(2026, 3, 1))
    problems = refusal(
        persons=[person],
        status=Status.TRANSFERRED,
        place="Tumen",
        occurred_on=datetime.date(2026, 3, 25),
        date_precision=DatePrecision.MONTH,
    )
    assert problems == {}


# Groups


def test_only_members_are_recorded_through_a_group():
    member, stranger = PersonFactory(), PersonFactory()
    group = GroupFactory(people=[member])
    assert refusal(persons=[member], group=group) == {}
    problems = refusal(persons=[member, stranger], group=group)
    assert set(problems) == {"persons"}
    assert stranger.reference in problems["persons"][0]
    assert member.reference not in problems["persons"][0]


def test_every_problem_is_reported_at_once():
    problems = refusal(status=Status.RETURNED, confidence="rumour", occurred_on=None)
    assert set(problems) == {"source", "confidence", "occurred_on"}


def test_a_transfer_given_no_place_at_all_needs_a_destination(held):
    kwargs = {"persons": [held], "status": Status.TRANSFERRED, "occurred_on": TODAY}
    with pytest.raises(ValidationError) as refused:
        custody_event_check(**kwargs)
    assert set(refused.value.message_dict) == {"facility"}


def test_the_order_of_a_timeline_is_judged_only_for_an_otherwise_valid_event(azalea):
    """One problem at a time for the date's range: the user first fixes what is wrong."""
    record(azalea, Status.AT_RISK_OF_RETURN, on=datetime.date(2026, 3, 31))
    problems = refusal(
        persons=[azalea],
        status=Status.RELEASED,
        confidence="rumour",
        occurred_on=datetime.date(2026, 3, 1),
        date_precision=DatePrecision.MONTH,
    )
    assert set(problems) == {"confidence"}


# What the user is told: a sentence that says what to do, naming the cases concerned.


@pytest.mark.parametrize(
    ("problem", "field", "message"),
    [
        ({"status": "kidnapped"}, "status", "'kidnapped' is not a custody status."),
        (
            {"date_precision": "fortnight"},
            "date_precision",
            "'fortnight' is not a date precision.",
        ),
        ({"confidence": "rumour"}, "confidence", "'rumour' is not a confidence level."),
        ({"persons": []}, "persons", "Choose at least one person."),
        ({"occurred_on": None}, "occurred_on", "Say when it happened, at least to the year."),
        (
            {"occurred_on": datetime.date(2026, 5, 16)},
            "occurred_on",
            "The date lies in the future; record what has happened.",
        ),
        (
            {"status": Status.AT_RISK_OF_RETURN, "planned_on": datetime.date(2026, 3, 9)},
            "planned_on",
            "A planned transfer or return cannot come before the event.",
        ),
        (
            {"status": Status.RETURNED},
            "source",
            "A return must name the source that reported it.",
        ),
    ],
)
def test_each_refusal_tells_the_user_what_to_do(problem, field, message):
    assert refusal(**problem) == {field: [message]}


def test_a_date_out_of_order_names_every_case_concerned():
    people = [PersonFactory(), PersonFactory()]
    for person in people:
        record(person, Status.DETAINED, on=datetime.date(2026, 3, 20))
    problems = refusal(
        persons=people,
        status=Status.RELEASED,
        occurred_on=datetime.date(2026, 3, 1),
        date_precision=DatePrecision.MONTH,
    )
    references = ", ".join(p.reference for p in people)
    assert problems == {
        "occurred_on": [
            f"A later dated event already lies within this date's range for {references}; "
            "give the exact day so the timeline stays in order."
        ]
    }


def test_a_transfer_without_a_destination_is_told_where_to_say_it(held):
    assert refusal(persons=[held], status=Status.TRANSFERRED) == {
        "facility": ["Say where the person was transferred to (a facility or a place)."]
    }


def test_a_transfer_of_people_not_in_custody_names_each_of_them():
    people = [PersonFactory(), PersonFactory()]
    for person in people:
        record(person, Status.RELEASED, on=datetime.date(2026, 1, 5))
    references = ", ".join(p.reference for p in people)
    assert refusal(persons=people, status=Status.TRANSFERRED, place="Tumen") == {
        "status": [
            "Only a person in custody can be transferred; record a new detention "
            f"first for: {references}."
        ]
    }


def test_strangers_to_a_group_are_named_each_and_members_are_found_by_person():
    """Other groups' memberships come first, so that the numbering of memberships and
    of people differ: membership is a matter of the person."""
    everywhere = PersonFactory()
    for _ in range(5):
        GroupFactory(people=[everywhere])
    member = PersonFactory()
    group = GroupFactory(people=[member])
    strangers = [PersonFactory(), PersonFactory()]
    assert refusal(persons=[member], group=group) == {}
    references = ", ".join(p.reference for p in strangers)
    assert refusal(persons=[member, *strangers], group=group) == {
        "persons": [f"Not members of {group.reference}: {references}."]
    }
