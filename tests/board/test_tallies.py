"""The board's figures from its kept tallies equal the same figures counted from the
records, for every filter the tallies answer; and the tallies follow every change."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import PeriodicTask

from casework.board.filters import BoardFilter
from casework.board.selectors import (
    BoardPeople,
    board_at_risk,
    board_by_arrest_province,
    board_by_province,
    board_charts,
    board_count,
    board_headline,
    board_people,
    board_persons,
    board_stale,
)
from casework.cases import services
from casework.cases.enums import Sex, Status, Vulnerability
from casework.cases.models import StatusTally, TransitionTally
from casework.cases.tallies import tallies_kept, tallies_rebuild, tallies_roll, tally_day
from casework.cases.tasks import roll_board_tallies
from casework_dev.synthetic import cases as synthetic
from tests.factories import PersonFactory, UserFactory, change, record

# Every filter the tallies answer, alone and combined as coordinators use them.
TALLIED_VIEWS = [
    {},
    {"status": "at_risk"},
    {"status": "in_custody"},
    {"status": "fate_unknown"},
    {"status": Status.UNKNOWN},
    {"status": Status.DETAINED},
    {"status": Status.RETURNED},
    {"province": "Jilin"},
    {"province": "Yunnan"},
    {"border_point": "true"},
    {"border_point": "false"},
    {"vulnerability": Vulnerability.CHILD},
    {"vulnerability": Vulnerability.ELDERLY},
    {"ever_detained": "true"},
    {"ever_detained": "false"},
    {"status": "at_risk", "province": "Jilin"},
    {"status": "in_custody", "vulnerability": Vulnerability.CHILD},
    {"stale": "true"},
    {"stale": "false"},
    {"status": Status.DETAINED, "stale": "true"},
    {"status": "at_risk", "province": "Jilin", "stale": "true"},
    {"vulnerability": Vulnerability.CHILD, "stale": "false"},
    {"status": Status.DECEASED, "stale": "true"},
    {"arrest_province": "Jilin"},
    {"arrest_province": "Liaoning"},
    {"arrest_province": "Jilin", "province": "Jilin"},
    {"arrest_province": "Jilin", "status": Status.RETURNED},
    {"arrest_province": "Jilin", "vulnerability": Vulnerability.CHILD, "stale": "false"},
]


def figures(people, today):
    headline = board_headline(people)
    charts = board_charts(people, today=today)
    return {
        "headline": headline.text(suppress=False),
        "figures": [
            (f.key, f.n, f.at_least)
            for f in [headline.total, *headline.outcomes, *headline.including]
        ],
        "months": charts.months,
        "by_status": charts.by_status,
        "transitions": sorted(charts.transitions),
        "provinces": board_by_province(people),
        "arrest_provinces": board_by_arrest_province(people),
        "at_risk": board_at_risk(people)[0],
        "stale": board_stale(people)[0],
        "count": board_count(people),
    }


def both_ways(user, params, today):
    """(figures from the tallies, figures from the records) for one board view."""
    request = RequestFactory().get("/board/", params)
    request.user = user
    filterset = BoardFilter(params or None, queryset=board_persons(user), request=request)
    assert not params or filterset.is_valid(), filterset.errors
    tallied = board_people(user, filterset)
    assert tallied.tally is not None, f"{params} should be answered by the tallies"
    return figures(tallied, today), figures(BoardPeople(filterset.qs), today)


@pytest.mark.parametrize("params", TALLIED_VIEWS, ids=lambda p: "&".join(p) or "default")
def test_the_tallied_board_equals_the_counted_one_in_the_hand_counted_world(
    world, cast, today, params
):
    tallied, counted = both_ways(cast.carol, params, today)

    assert tallied == counted


def test_the_default_board_reads_the_tallies_not_the_timelines(world, cast, today):
    tallied, _ = both_ways(cast.carol, {}, today)
    assert tallied["headline"].startswith("In all records: at least 7 people detained")

    people = board_people(cast.carol, BoardFilter(None, queryset=board_persons(cast.carol)))
    assert people.tally is not None
    with CaptureQueriesContext(connection) as captured:
        board_headline(people)
        board_charts(people, today=today)
        board_by_province(people)
        board_by_arrest_province(people)
    # Carol is assigned no restricted case, so no timeline is read at all.
    assert captured.captured_queries
    assert not [q for q in captured if "cases_custodyevent" in q["sql"]]


def test_a_province_of_arrest_alone_reads_the_tallies_not_the_timelines(world, cast, today):
    filterset = BoardFilter({"arrest_province": "Jilin"}, queryset=board_persons(cast.carol))
    people = board_people(cast.carol, filterset)
    assert people.tally is not None and people.tally.changes_tallied

    with CaptureQueriesContext(connection) as captured:
        charts = board_charts(people, today=today)
        board_headline(people)
        board_by_province(people)
        board_by_arrest_province(people)
    assert not [q for q in captured if "cases_custodyevent" in q["sql"]]
    # Ri, Bae, Um and Seo were arrested at Yanji since July 2024 (Oh in 2015).
    assert charts.by_status["Returned"][-1] == 1


def test_a_province_of_arrest_with_another_filter_counts_its_changes_from_records(
    world, cast, today
):
    params = {"arrest_province": "Jilin", "status": Status.RETURNED}
    filterset = BoardFilter(params, queryset=board_persons(cast.carol))
    people = board_people(cast.carol, filterset)

    assert people.tally is not None and not people.tally.changes_tallied
    assert board_charts(people, today=today) == board_charts(BoardPeople(filterset.qs), today=today)


def test_staleness_in_the_tallies_follows_the_clock(world, cast, today):
    # Nobody writes when a case falls silent. The day turns, and the first board of the
    # new day moves the people whose silence crossed their status's limit.
    before, _ = both_ways(cast.carol, {"stale": "true"}, today)
    three_days_on = datetime.datetime(2025, 7, 3, 12, tzinfo=datetime.UTC)

    with time_machine.travel(three_days_on, tick=False):
        later, counted = both_ways(cast.carol, {"stale": "true"}, datetime.date(2025, 7, 3))

        assert later == counted
        # Bae (transferred on 25 June, 7 days) and Han (at large since 1 June, 30 days).
        assert later["count"] == before["count"] + 2
        assert tally_day() == datetime.date(2025, 7, 3)


def test_a_roll_moves_only_the_people_whose_silence_crossed_a_limit(world, today):
    tallies_roll(today)

    assert tallies_roll(datetime.date(2025, 7, 3)) == 2
    assert tallies_rebuild(check_only=True) == 0
    assert tallies_roll(datetime.date(2025, 7, 3)) == 0
    assert tallies_roll(today) == 2
    assert tallies_rebuild(check_only=True) == 0


def test_the_nightly_task_rolls_the_tallies_to_the_new_day(world, today):
    tallies_roll(today)
    after_midnight = datetime.datetime(2025, 7, 3, 0, 1, tzinfo=datetime.UTC)

    with time_machine.travel(after_midnight, tick=False):
        assert roll_board_tallies() == 2
        assert tally_day() == datetime.date(2025, 7, 3)
    assert PeriodicTask.objects.filter(task="cases.roll_board_tallies", enabled=True).exists()


def test_filters_the_tallies_cannot_answer_are_counted_from_the_records(world, cast):
    for params in (
        {"detained_after": "2024-07-01"},
        {"sex": Sex.FEMALE},
        {"confidence": "unverified"},
        {"caseworker": cast.alice.username},
    ):
        request = RequestFactory().get("/board/", params)
        request.user = cast.carol
        filterset = BoardFilter(params, queryset=board_persons(cast.carol), request=request)
        assert board_people(cast.carol, filterset).tally is None, params


def test_a_caseworker_board_is_always_counted_from_the_records(world, cast):
    filterset = BoardFilter(None, queryset=board_persons(cast.alice))
    assert board_people(cast.alice, filterset).tally is None


def test_a_restricted_case_is_counted_once_for_the_users_who_see_it(world, cast, today):
    # Shin is restricted to oscar; an administrator with every right sees her too.
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    tallied, counted = both_ways(root, {"status": "in_custody"}, today)

    assert tallied == counted
    carol, _ = both_ways(cast.carol, {"status": "in_custody"}, today)
    assert tallied["count"] == carol["count"] + 1


def test_synthetic_data_gives_the_same_board_both_ways(cast, today):
    # Seeded up to the day the clock stands at, so some people were heard of lately.
    synthetic.seed(persons=400, seed=5, until=today)
    root = UserFactory(username="root", is_superuser=True, is_staff=True)

    for params in TALLIED_VIEWS:
        for user in (cast.carol, root):
            tallied, counted = both_ways(user, params, today)
            assert tallied == counted, (user, params)


def test_the_tallies_follow_events_edits_archiving_and_erasure(world, cast):
    # Each change goes through the code path users take; the recount must agree after
    # each (the suite checks this after every test; here each step is checked on its own).
    record(world.han, Status.DETAINED, datetime.date(2025, 6, 28))
    assert tallies_rebuild(check_only=True) == 0
    record(world.ri, Status.DETAINED, datetime.date(2024, 9, 1))  # backdated, between two
    assert tallies_rebuild(check_only=True) == 0
    change(world.bae, sex=Sex.FEMALE, restricted=True)
    assert tallies_rebuild(check_only=True) == 0
    with tallies_kept([world.eom.pk]):
        world.eom.vulnerabilities.all().delete()
    assert tallies_rebuild(check_only=True) == 0
    services.person_archive(person=world.um, archived_by=cast.erin)
    assert tallies_rebuild(check_only=True) == 0
    from casework.erasure.services import person_purge

    person_purge(person=world.seo)
    assert tallies_rebuild(check_only=True) == 0


def test_a_change_behind_the_services_back_is_found_and_repaired(world, cast, today):
    before = both_ways(cast.carol, {}, today)[0]
    StatusTally.objects.filter(status=Status.RETURNED).update(n=5)
    TransitionTally.objects.filter(after=Status.RELEASED).delete()
    wrong = tallies_rebuild(check_only=True)

    assert wrong > 0
    assert tallies_rebuild() == wrong
    assert tallies_rebuild(check_only=True) == 0
    assert both_ways(cast.carol, {}, today)[0] == before


def test_the_command_checks_and_recounts(world, capsys):
    StatusTally.objects.all().delete()

    with pytest.raises(SystemExit):
        call_command("rebuild_board_tallies", "--check")
    call_command("rebuild_board_tallies")
    call_command("rebuild_board_tallies", "--check")

    output = capsys.readouterr().out
    assert "board tally rows differ" in output
    assert "0 board tally rows differ" in output


def test_the_migration_counts_what_the_rebuild_counts(world):
    from importlib import import_module

    from django.apps import apps

    # The latest migration of the tallies' key, the place of arrest, recounts them.
    migration = import_module("casework.cases.migrations.0014_status_tally_arrest_key")
    StatusTally.objects.all().delete()
    TransitionTally.objects.all().delete()

    migration.recount(apps, None)

    assert tallies_rebuild(check_only=True) == 0


def test_a_person_created_without_events_is_tallied_as_never_heard_of(cast):
    PersonFactory(vulnerable=[Vulnerability.CHILD])

    assert StatusTally.objects.get().status == ""
    assert not TransitionTally.objects.exists()
