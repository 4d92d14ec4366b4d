"""The stored current status: kept by the one status service, equal to what the timeline
says, and rebuilt from the events without changing anything after normal use."""

import datetime
import importlib

import pytest
from django.core.management import call_command
from django.db import connection

from casework.cases import services
from casework.cases.enums import DatePrecision, Status
from casework.cases.models import CurrentStatus, CustodyEvent, Person
from casework_dev.synthetic import cases as synthetic
from tests.factories import FacilityFactory, GroupFactory, PersonFactory, record

pytestmark = pytest.mark.django_db

UNTIL = datetime.date(2025, 6, 30)
FIELDS = ("person_id", "event_id", *CurrentStatus.EVENT_FIELDS)


def stored() -> list[tuple]:
    return list(CurrentStatus.objects.order_by("person_id").values_list(*FIELDS))


def from_timelines() -> list[tuple]:
    """The latest event of every person, found the slow way, in Python."""
    latest: dict[int, CustodyEvent] = {}
    for event in CustodyEvent.objects.order_by("occurred_on", "id"):
        latest[event.person_id] = event
    return [
        (pk, event.pk, *(getattr(event, name) for name in CurrentStatus.EVENT_FIELDS))
        for pk, event in sorted(latest.items())
    ]


@pytest.fixture
def casebook():
    """A small history with the awkward cases: backdated news, group events, a person
    nobody has heard of, two events on one day, a month-precision date."""
    tumen = FacilityFactory(name_en="Tumen detention centre", border_point=True)
    kim, lee, park, never = PersonFactory.create_batch(4)
    group = GroupFactory(people=[kim, lee, park])
    record(group=group, status=Status.DETAINED, on=datetime.date(2019, 2, 1))
    record(kim, Status.TRANSFERRED, datetime.date(2019, 3, 5), facility=tumen)
    record(kim, Status.AT_RISK_OF_RETURN, datetime.date(2019, 3, 5), facility=tumen)
    record(lee, Status.RELEASED, datetime.date(2020, 1, 10))
    record(lee, Status.DETAINED, datetime.date(2019, 6, 1))  # backdated: old news
    record(park, Status.DISAPPEARED, datetime.date(2021, 5, 1), date_precision=DatePrecision.MONTH)
    return {"kim": kim, "lee": lee, "park": park, "never": never, "tumen": tumen}


def test_the_service_keeps_each_persons_row_on_their_latest_event(casebook):
    rows = {row.person_id: row for row in CurrentStatus.objects.all()}

    kim = rows[casebook["kim"].pk]
    assert (kim.status, kim.facility, kim.occurred_on) == (
        Status.AT_RISK_OF_RETURN,
        casebook["tumen"],
        datetime.date(2019, 3, 5),
    )
    # The backdated detention did not replace the newer release.
    assert rows[casebook["lee"].pk].status == Status.RELEASED
    park = rows[casebook["park"].pk]
    assert (park.status, park.occurred_on, park.date_precision) == (
        Status.DISAPPEARED,
        datetime.date(2021, 5, 1),
        DatePrecision.MONTH,
    )
    assert casebook["never"].pk not in rows
    assert stored() == from_timelines()


def test_rebuilding_after_normal_use_changes_nothing(casebook):
    before = stored()

    assert services.current_status_rebuild() == 0
    assert stored() == before


def test_a_group_event_moves_every_member(casebook):
    group = casebook["kim"].groups.get()

    record(group=group, status=Status.RETURNED, on=datetime.date(2022, 1, 3))

    statuses = set(
        CurrentStatus.objects.filter(person__groups=group).values_list("status", flat=True)
    )
    assert statuses == {Status.RETURNED}
    assert stored() == from_timelines()


def test_rebuild_repairs_rows_written_behind_the_services_back_and_says_how_many(casebook):
    kim, lee = casebook["kim"], casebook["lee"]
    CurrentStatus.objects.filter(person=kim).update(status=Status.IN_SAFE_COUNTRY)
    CurrentStatus.objects.filter(person=lee).delete()

    assert services.current_status_rebuild(check_only=True) == 2
    assert CurrentStatus.objects.get(person=kim).status == Status.IN_SAFE_COUNTRY  # unchanged

    assert services.current_status_rebuild() == 2
    assert stored() == from_timelines()
    assert services.current_status_rebuild() == 0


def test_the_command_checks_then_rebuilds(casebook, capsys):
    CurrentStatus.objects.filter(person=casebook["park"]).update(place="somewhere else")

    with pytest.raises(SystemExit) as exit_:
        call_command("rebuild_current_status", "--check")
    assert exit_.value.code == 1
    assert "1 persons' stored status differs" in capsys.readouterr().out

    call_command("rebuild_current_status")
    assert "1 persons differed" in capsys.readouterr().out
    call_command("rebuild_current_status", "--check")
    assert "0 persons' stored status differs" in capsys.readouterr().out


def test_the_migration_fills_the_same_rows_the_rebuild_does(casebook):
    migration = importlib.import_module("casework.cases.migrations.0004_current_status")
    expected = stored()
    CurrentStatus.objects.all().delete()

    with connection.cursor() as cursor:
        cursor.execute(migration.FILL)

    assert stored() == expected


def test_synthetic_data_gets_its_rows_from_the_rebuild_and_they_match_the_timelines():
    synthetic.seed(persons=300, seed=3, until=UNTIL)

    assert stored() == from_timelines()
    assert (
        CurrentStatus.objects.count()
        == Person.objects.filter(custody_events__isnull=False).distinct().count()
    )


def test_status_questions_read_the_stored_row_not_the_timeline():
    """One join per question, instead of a search for every person's latest event."""
    questions = [
        Person.objects.with_current(),
        Person.objects.at_risk(),
        Person.objects.stale(),
        Person.objects.with_flags(),
        Person.objects.in_status(Status.DETAINED, Status.UNKNOWN),
    ]
    for queryset in questions:
        sql = str(queryset.query)
        assert CurrentStatus._meta.db_table in sql
        assert CustodyEvent._meta.db_table not in sql


def test_in_status_unknown_counts_people_never_heard_of(casebook):
    """Park has disappeared, which is not unknown; the one never heard of has no row."""
    unknown = Person.objects.in_status(Status.UNKNOWN)

    assert list(unknown) == [casebook["never"]]
