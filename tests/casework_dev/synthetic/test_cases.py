"""seed_synthetic writes in bulk, around the service; these tests prove its data is data
the service would have accepted, event by event, and that it is deterministic."""

import datetime
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F

from casework.cases import services
from casework.cases.models import (
    CustodyEvent,
    Facility,
    Group,
    GroupMembership,
    Person,
    PersonVulnerability,
    Source,
    StatusTally,
    TallyDay,
    TransitionTally,
)
from casework.cases.tallies import tallies_rebuild
from casework.letters.models import Letter
from casework_dev.synthetic import cases as synthetic
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

UNTIL = datetime.date(2025, 6, 30)


def seed(persons: int, seed: int = 7) -> synthetic.SeedReport:
    return synthetic.seed(persons=persons, seed=seed, until=UNTIL)


def fingerprint() -> list[tuple]:
    """Everything a reader sees, without database ids."""
    events = {}
    for event in CustodyEvent.objects.select_related("facility", "source").order_by(
        "occurred_on", "id"
    ):
        events.setdefault(event.person_id, []).append(
            (
                event.status,
                event.occurred_on,
                event.date_precision,
                event.facility.name_en if event.facility else event.place,
                event.source.label if event.source else None,
                event.planned_on,
                event.group.name if event.group_id else None,
            )
        )
    return [
        (
            p.reference,
            p.pseudonym,
            p.legal_name,
            p.legal_name_ko,
            p.date_of_birth,
            p.home_town,
            p.age_band,
            tuple(events.get(p.pk, ())),
        )
        for p in Person.objects.order_by("id")
    ]


def erase_synthetic_data() -> None:
    Letter.objects.all().delete()
    CustodyEvent.objects.all().delete()
    GroupMembership.objects.all().delete()
    PersonVulnerability.objects.all().delete()
    Person.assigned_caseworkers.through.objects.all().delete()
    Person.objects.all().delete()
    Group.objects.all().delete()
    Source.objects.all().delete()
    # Deleted behind the services' back, so the kept counts go too.
    StatusTally.objects.all().delete()
    TransitionTally.objects.all().delete()


def test_the_same_seed_gives_the_same_people_and_timelines():
    seed(80)
    first = fingerprint()
    erase_synthetic_data()

    seed(80)

    assert fingerprint() == first
    erase_synthetic_data()
    seed(80, seed=8)
    assert fingerprint() != first


def test_every_synthetic_timeline_is_accepted_by_the_service_in_order():
    """Replay each timeline through custody_event_record on a fresh person: any event the
    service would refuse raises, and the derived current status must come out the same."""
    seed(120)
    originals = list(Person.objects.with_current().order_by("id"))
    copies = {}
    for person in originals:
        copy = PersonFactory()
        copies[person.pk] = copy
        for event in CustodyEvent.objects.filter(person=person).order_by("occurred_on", "id"):
            services.custody_event_record(
                persons=[copy],
                status=event.status,
                occurred_on=event.occurred_on,
                date_precision=event.date_precision,
                facility=event.facility,
                place=event.place,
                source=event.source,
                confidence=event.confidence,
                planned_on=event.planned_on,
                recorded_by=None,
            )

    replayed = Person.objects.with_current().in_bulk([c.pk for c in copies.values()])
    derived = (
        "current_status",
        "last_heard_on",
        "current_facility_id",
        "current_place",
        "current_planned_on",
    )
    for person in originals:
        copy = replayed[copies[person.pk].pk]
        assert [getattr(copy, a) for a in derived] == [getattr(person, a) for a in derived]


def test_synthetic_data_has_the_shape_of_real_casework():
    report = seed(400)

    assert report.persons == Person.objects.count() == 400
    events_per_person = Counter(CustodyEvent.objects.values_list("person_id", flat=True))
    assert len(events_per_person) == 400
    # A death can end a story early; every other timeline has 3 to 30 events.
    assert max(events_per_person.values()) <= 30
    short = [pk for pk, n in events_per_person.items() if n < 3]
    assert (
        not Person.objects.with_current()
        .filter(pk__in=short)
        .exclude(current_status="deceased")
        .exists()
    )
    sizes = Counter(GroupMembership.objects.values_list("group_id", flat=True))
    assert report.groups == len(sizes) > 0
    assert min(sizes.values()) >= 2 and max(sizes.values()) <= 20
    assert set(Facility.objects.values_list("province", flat=True)) == {
        "Jilin",
        "Liaoning",
        "Heilongjiang",
        "Yunnan",
    }
    assert set(CustodyEvent.objects.values_list("date_precision", flat=True)) == {
        "day",
        "month",
        "year",
        "approximate",
    }
    assert CustodyEvent.objects.filter(occurred_on__gt=UNTIL).count() == 0
    assert PersonVulnerability.objects.filter(kind="child").exists()
    assert Person.assigned_caseworkers.through.objects.count() >= 400
    # Group events land only on members of the group.
    assert (
        not CustodyEvent.objects.filter(group__isnull=False)
        .exclude(person__memberships__group=F("group"))
        .exists()
    )


def test_identities_are_encrypted_at_rest_and_found_through_the_blind_index():
    seed(30)
    person = Person.objects.exclude(legal_name_index="").order_by("id").first()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT legal_name, legal_name_ko FROM cases_person WHERE id = %s", [person.pk]
        )
        stored = cursor.fetchone()

    assert person.legal_name not in stored[0] and stored[0].startswith("gAAAAA")
    assert person.legal_name_ko not in stored[1]
    assert person in Person.objects.with_legal_name(person.legal_name.upper())


def test_the_command_reports_what_it_wrote(capsys):
    call_command("seed_synthetic", persons=25, seed=2, until=UNTIL, no_progress=True)

    assert Person.objects.count() == 25
    assert "Seeded 25 people" in capsys.readouterr().out


def test_the_command_reports_each_step_after_the_rows_are_written(capsys):
    call_command("seed_synthetic", persons=25, seed=2, until=UNTIL)

    progress = capsys.readouterr().err
    assert "people [" in progress
    for step in ("current status derived", "board tallies written", "statistics gathered"):
        assert f"{step} in " in progress


def test_people_added_beside_existing_cases_are_counted_as_the_rebuild_counts_them():
    """The seed counts the tallies from the rows it writes, not by reading them back:
    the result must be what a recount from every record gives, existing cases included."""
    PersonFactory.create_batch(3)

    seed(120)

    assert StatusTally.objects.exists()
    assert tallies_rebuild(check_only=True) == 0


def test_a_load_across_midnight_recounts_everyone(monkeypatch):
    """If the tallies' day turns while the rows are written, the people counted on the
    old day are not added as they are: the tallies are recounted on the new day."""
    real_generate = synthetic._generate

    def generate_then_turn_the_day(*args, **kwargs):
        real_generate(*args, **kwargs)
        TallyDay.objects.filter(pk=1).update(day=F("day") - datetime.timedelta(days=1))

    monkeypatch.setattr(synthetic, "_generate", generate_then_turn_the_day)

    seed(60)

    assert TallyDay.objects.get(pk=1).day == datetime.date.today()
    assert tallies_rebuild(check_only=True) == 0


def test_the_command_refuses_a_future_closing_date():
    with pytest.raises(CommandError, match="future"):
        call_command(
            "seed_synthetic", persons=5, until=datetime.date.today() + datetime.timedelta(days=1)
        )
    assert Person.objects.count() == 0
