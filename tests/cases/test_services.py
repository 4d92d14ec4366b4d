import datetime

import pytest
from django.core.exceptions import ValidationError

from casework.cases.enums import DatePrecision, Status
from casework.cases.models import CustodyEvent, Group, Person
from casework.cases.services import person_assign_caseworker
from tests.factories import FacilityFactory, GroupFactory, PersonFactory, UserFactory, record

pytestmark = pytest.mark.django_db


def current(person: Person) -> Person:
    return Person.objects.with_current().get(pk=person.pk)


def test_latest_event_wins_and_gives_status_place_and_last_heard():
    tumen = FacilityFactory(name_en="Tumen detention centre", border_point=True)
    person = PersonFactory()
    record(person, Status.DETAINED, datetime.date(2017, 3, 10), place="Suizhong county")
    record(person, Status.TRANSFERRED, datetime.date(2017, 4, 2), facility=tumen)

    now = current(person)

    assert now.current_status == Status.TRANSFERRED
    assert now.current_facility_id == tumen.pk
    assert now.current_province == "Jilin"
    assert now.last_heard_on == datetime.date(2017, 4, 2)


def test_a_backdated_event_does_not_replace_newer_news():
    person = PersonFactory()
    record(person, Status.RELEASED, datetime.date(2019, 5, 1))
    record(person, Status.DETAINED, datetime.date(2017, 3, 10))

    assert current(person).current_status == Status.RELEASED


def test_month_precision_is_stored_as_the_first_day_and_orders_before_that_months_days():
    person = PersonFactory()
    record(person, Status.DETAINED, datetime.date(2017, 3, 20), date_precision=DatePrecision.MONTH)
    record(person, Status.TRANSFERRED, datetime.date(2017, 3, 15), place="Tumen")

    event = CustodyEvent.objects.get(person=person, status=Status.DETAINED)
    assert event.occurred_on == datetime.date(2017, 3, 1)
    assert event.date_display == "March 2017"
    assert current(person).current_status == Status.TRANSFERRED


def test_same_day_events_are_ordered_by_recording():
    person = PersonFactory()
    record(person, Status.DETAINED, datetime.date(2017, 3, 10))
    record(person, Status.AT_RISK_OF_RETURN, datetime.date(2017, 3, 10))

    assert current(person).current_status == Status.AT_RISK_OF_RETURN


def test_a_person_with_no_events_is_unknown():
    assert current(PersonFactory()).current_status == Status.UNKNOWN


def test_group_event_lands_on_every_member_and_rolls_up():
    people = PersonFactory.create_batch(8)
    group = GroupFactory(people=people)
    record(status=Status.DETAINED, on=datetime.date(2017, 3, 1), group=group)
    record(people[0], Status.RETURNED, datetime.date(2017, 6, 1))
    record(people[1], Status.RETURNED, datetime.date(2017, 6, 1))

    rolled = Group.objects.with_rollup().get(pk=group.pk)

    assert CustodyEvent.objects.filter(group=group).count() == 8
    assert rolled.n_members == 8
    assert rolled.rollup == "6 detained, 2 returned"


def test_group_event_for_chosen_members_only():
    a, b, c = PersonFactory.create_batch(3)
    group = GroupFactory(people=[a, b, c])
    record(status=Status.DETAINED, group=group)
    record(a, Status.TRANSFERRED, datetime.date(2017, 4, 1), group=group, place="Tumen")

    assert current(a).current_status == Status.TRANSFERRED
    assert current(b).current_status == Status.DETAINED


def test_a_stranger_cannot_be_recorded_through_a_group():
    member, stranger = PersonFactory.create_batch(2)
    group = GroupFactory(people=[member])

    with pytest.raises(ValidationError) as exc:
        record(stranger, Status.DETAINED, group=group)

    assert "Not members of" in str(exc.value.message_dict["persons"])
    assert not CustodyEvent.objects.exists()


def test_a_return_needs_a_source():
    person = PersonFactory()
    with pytest.raises(ValidationError) as exc:
        record(person, Status.RETURNED, source=None)
    assert "source" in exc.value.message_dict
    assert not CustodyEvent.objects.exists()


def test_a_return_needs_a_date():
    with pytest.raises(ValidationError) as exc:
        record(PersonFactory(), Status.DETAINED, on=None)
    assert "occurred_on" in exc.value.message_dict


def test_the_date_cannot_lie_in_the_future():
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        record(PersonFactory(), Status.DETAINED, tomorrow)
    assert "future" in exc.value.message_dict["occurred_on"][0]


def test_this_month_with_month_precision_is_not_the_future():
    today = datetime.date.today()
    events = record(PersonFactory(), Status.DETAINED, today, date_precision=DatePrecision.MONTH)
    assert events[0].occurred_on == today.replace(day=1)


def test_a_released_person_cannot_be_transferred_without_a_new_detention():
    person = PersonFactory()
    record(person, Status.DETAINED, datetime.date(2017, 3, 1))
    record(person, Status.RELEASED, datetime.date(2017, 5, 1))

    with pytest.raises(ValidationError) as exc:
        record(person, Status.TRANSFERRED, datetime.date(2017, 6, 1), place="Tumen")
    assert "new detention" in exc.value.message_dict["status"][0]

    record(person, Status.DETAINED, datetime.date(2017, 7, 1))
    record(person, Status.TRANSFERRED, datetime.date(2017, 8, 1), place="Tumen")
    assert current(person).current_status == Status.TRANSFERRED


def test_a_transfer_needs_a_destination():
    person = PersonFactory()
    record(person, Status.DETAINED)
    with pytest.raises(ValidationError) as exc:
        record(person, Status.TRANSFERRED, datetime.date(2017, 4, 1))
    assert "facility" in exc.value.message_dict


def test_one_failing_member_saves_nothing_for_the_group():
    a, b = PersonFactory.create_batch(2)
    group = GroupFactory(people=[a, b])
    record(a, Status.DETAINED)

    with pytest.raises(ValidationError):
        record(status=Status.TRANSFERRED, on=datetime.date(2017, 4, 1), group=group, place="X")

    assert CustodyEvent.objects.count() == 1


def test_an_unknown_status_is_refused():
    with pytest.raises(ValidationError) as exc:
        record(PersonFactory(), "vanished_somehow")
    assert "status" in exc.value.message_dict


def test_events_are_append_only():
    (event,) = record(PersonFactory(), Status.DETAINED)
    event.note = "changed"
    with pytest.raises(ValueError, match="append-only"):
        event.save()


def test_references_are_random_and_prefixed():
    people = PersonFactory.create_batch(20)
    refs = [p.reference for p in people]
    assert all(r.startswith("P-") and len(r) == 8 for r in refs)
    assert len(set(refs)) == 20
    assert refs != sorted(refs)


def test_an_imprecise_date_that_would_sort_before_newer_news_in_its_range_is_refused():
    person = PersonFactory()
    record(person, Status.DETAINED, datetime.date(2017, 5, 2), place="Tumen")

    with pytest.raises(ValidationError) as exc:
        record(person, Status.AT_RISK_OF_RETURN, datetime.date(2017, 5, 20), date_precision="month")
    assert "give the exact day" in exc.value.message_dict["occurred_on"][0]

    record(person, Status.AT_RISK_OF_RETURN, datetime.date(2017, 6, 1), date_precision="month")
    assert current(person).current_status == Status.AT_RISK_OF_RETURN


def test_an_update_made_on_an_outdated_form_is_refused_and_saves_nothing():
    person = PersonFactory()
    opened_at = Person.objects.get(pk=person.pk).version
    record(person, Status.DETAINED, expected_version=opened_at)

    from casework.cases.services import StaleVersionError

    with pytest.raises(StaleVersionError, match="Someone else updated this case"):
        record(person, Status.RELEASED, datetime.date(2017, 5, 1), expected_version=opened_at)
    assert CustodyEvent.objects.filter(person=person).count() == 1


def test_a_group_event_records_one_moment_for_all_members():
    group = GroupFactory(people=PersonFactory.create_batch(3))
    events = record(status=Status.DETAINED, group=group)
    assert len({event.recorded_at for event in events}) == 1
    assert Group.objects.get(pk=group.pk).version == 1


def test_an_inactive_account_is_not_assigned_a_case(cast):
    person = PersonFactory()
    gone = UserFactory(username="gone", is_active=False)

    with pytest.raises(ValidationError) as refused:
        person_assign_caseworker(person=person, caseworker=gone, assigned_by=cast.carol)

    assert refused.value.message_dict == {"caseworker": ["gone is not an active account."]}
    assert not person.assigned_caseworkers.exists()
