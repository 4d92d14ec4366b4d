import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from casework.cases.enums import DatePrecision, Sex, Status, Vulnerability
from casework.cases.models import CustodyEvent, Group, Person, PersonVulnerability, StatusTally
from casework.cases.services import (
    StaleVersionError,
    group_create,
    group_member_add,
    group_member_remove,
    group_update,
    person_assign_caseworker,
    person_create,
    person_update,
    person_vulnerabilities_change,
)
from casework.cases.tallies import tallies_rebuild, vulnerability_bit
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


# --- the writes of a case: person_create, person_update, groups and their members -----


def counted_on_board(**key) -> int:
    return StatusTally.objects.filter(**key).aggregate(n=Sum("n"))["n"] or 0


def test_a_new_case_is_found_by_its_legal_name_and_counted_on_the_board():
    person = person_create(
        person=Person(pseudonym="Azalea", legal_name="Ri Chol-su", sex=Sex.FEMALE),
        created_by=None,
        vulnerabilities=[(Vulnerability.CHILD, "14 years old")],
    )

    assert list(Person.objects.with_legal_name(" RI chol-su ")) == [person]
    assert counted_on_board(sex=Sex.FEMALE) == 1
    assert counted_on_board(vulnerabilities=vulnerability_bit(Vulnerability.CHILD)) == 1
    assert person.history.count() == 1


def test_a_corrected_legal_name_is_found_under_the_new_name_only():
    person = person_create(person=Person(pseudonym="Azalea", legal_name="Ri Chol"), created_by=None)

    person.legal_name = "Ri Chol-su"
    person_update(person=person, updated_by=None)

    assert list(Person.objects.with_legal_name("Ri Chol-su")) == [person]
    assert not Person.objects.with_legal_name("Ri Chol").exists()


def test_a_caseworker_who_opens_a_case_follows_it_a_coordinator_does_not(cast):
    opened_by_alice = person_create(person=Person(pseudonym="Azalea"), created_by=cast.alice)
    opened_by_carol = person_create(
        person=Person(pseudonym="Begonia"), created_by=cast.carol, caseworkers=[cast.bob]
    )

    assert list(opened_by_alice.assigned_caseworkers.all()) == [cast.alice]
    assert list(opened_by_carol.assigned_caseworkers.all()) == [cast.bob]


def test_a_case_is_not_opened_for_a_closed_account(cast):
    gone = UserFactory(username="gone", is_active=False)

    with pytest.raises(ValidationError) as refused:
        person_create(person=Person(pseudonym="Azalea"), created_by=cast.carol, caseworkers=[gone])

    assert refused.value.messages == ["gone is not an active account."]
    assert not Person.objects.exists()


def test_the_board_follows_a_change_of_sex_and_restriction():
    person = PersonFactory(sex=Sex.UNKNOWN)
    person.sex = Sex.MALE
    person_update(person=person, updated_by=None)
    assert counted_on_board(sex=Sex.MALE) == 1

    person.restricted = True
    person_update(person=person, updated_by=None)
    assert counted_on_board() == 0


def test_vulnerabilities_recorded_and_removed_are_followed_by_the_board():
    person = PersonFactory()
    child = PersonVulnerability(person=person, kind=Vulnerability.CHILD)

    person_vulnerabilities_change(person=person, saved=[child], changed_by=None)
    assert counted_on_board(vulnerabilities=vulnerability_bit(Vulnerability.CHILD)) == 1

    person_vulnerabilities_change(person=person, deleted=[child], changed_by=None)
    assert counted_on_board(vulnerabilities=0) == 1


def test_every_write_of_a_case_moves_its_version_on():
    person = PersonFactory()
    versions = [Person.objects.get(pk=person.pk).version]
    person.pseudonym = "Azalea"
    person_update(person=person, updated_by=None)
    versions.append(Person.objects.get(pk=person.pk).version)
    person_vulnerabilities_change(
        person=person,
        saved=[PersonVulnerability(person=person, kind=Vulnerability.ELDERLY)],
        changed_by=None,
    )
    versions.append(Person.objects.get(pk=person.pk).version)
    record(person, Status.DETAINED)
    versions.append(Person.objects.get(pk=person.pk).version)

    assert versions == [0, 1, 2, 3]


def test_a_change_made_on_an_outdated_form_is_refused_and_changes_nothing():
    person = PersonFactory(pseudonym="Azalea")
    opened_at = Person.objects.get(pk=person.pk).version
    record(person, Status.DETAINED)  # someone else's update, after the form was opened

    person.pseudonym = "Begonia"
    person.sex = Sex.FEMALE
    with pytest.raises(StaleVersionError, match="Someone else updated this case"):
        person_update(person=person, updated_by=None, expected_version=opened_at)

    stored = Person.objects.get(pk=person.pk)
    assert (stored.pseudonym, stored.sex, stored.version) == ("Azalea", Sex.UNKNOWN, opened_at + 1)
    assert stored.history.count() == 1
    assert counted_on_board(sex=Sex.FEMALE) == 0


def test_a_group_opens_with_its_members_and_follows_their_comings_and_goings(cast):
    azalea, begonia, camellia = PersonFactory.create_batch(3)
    group = group_create(group=Group(name="Suizhong"), created_by=cast.carol, members=[azalea])
    counted_before = counted_on_board()

    group_member_add(group=group, person=begonia, added_by=cast.carol)
    group_member_add(group=group, person=camellia, added_by=cast.carol)
    group_member_remove(group=group, person=azalea, removed_by=cast.carol)

    assert set(group.members.all()) == {begonia, camellia}
    assert Group.objects.get(pk=group.pk).version == 3
    assert group.history.first().history_change_reason == f"{azalea.reference} removed by carol"
    # Members are counted as people, whatever groups they are in.
    assert counted_on_board() == counted_before
    assert tallies_rebuild(check_only=True) == 0


def test_a_member_added_twice_or_removed_when_absent_is_refused_and_nothing_changes(cast):
    member, stranger = PersonFactory.create_batch(2)
    group = group_create(group=Group(name="Suizhong"), created_by=cast.carol, members=[member])

    with pytest.raises(ValidationError) as twice:
        group_member_add(group=group, person=member, added_by=cast.carol)
    with pytest.raises(ValidationError) as absent:
        group_member_remove(group=group, person=stranger, removed_by=cast.carol)

    assert twice.value.message_dict == {
        "person": [f"{member.reference} is already a member of {group.reference}."]
    }
    assert absent.value.message_dict == {
        "person": [f"{stranger.reference} is not a member of {group.reference}."]
    }
    assert list(group.members.all()) == [member]
    assert Group.objects.get(pk=group.pk).version == 0


def test_a_group_changed_on_an_outdated_form_is_refused_and_keeps_its_name(cast):
    group = group_create(group=Group(name="Suizhong"), created_by=cast.carol)
    group_member_add(group=group, person=PersonFactory(), added_by=cast.alice)

    group.name = "Tumen"
    with pytest.raises(StaleVersionError):
        group_update(group=group, updated_by=cast.carol, expected_version=0)

    assert Group.objects.get(pk=group.pk).name == "Suizhong"
