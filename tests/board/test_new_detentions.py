""" "Newly detained between": a detention counts in the period its custody episode
began (an arrest after being at large or released, or a first record), never again for
a transfer or an at-risk move within the same episode (issue 24)."""

import datetime

import pytest

from casework.board.selectors import board_headline, board_persons
from casework.cases.enums import Status
from casework.cases.models import CustodyEvent
from tests.factories import FacilityFactory, PersonFactory, record

BOARD = "/board/"
KOREAN = {"HTTP_ACCEPT_LANGUAGE": "ko"}
d = datetime.date


@pytest.fixture
def facility(db):
    return FacilityFactory(name_en="Tumen detention centre", province="Jilin", border_point=True)


@pytest.fixture
def timelines(today, facility):
    """Four people, each with a timeline in 2024 (today is 30 June 2025)."""
    moved = PersonFactory(pseudonym="Moved Mun")  # detained in May, transferred in July
    record(moved, Status.DETAINED, d(2024, 5, 10), facility=facility)
    record(moved, Status.TRANSFERRED, d(2024, 7, 20), facility=facility)

    twice = PersonFactory(pseudonym="Twice Tak")  # released in March, re-arrested in Sept
    record(twice, Status.DETAINED, d(2024, 1, 15), facility=facility)
    record(twice, Status.RELEASED, d(2024, 3, 5))
    record(twice, Status.DETAINED, d(2024, 9, 3), facility=facility)
    record(twice, Status.AT_RISK_OF_RETURN, d(2024, 10, 1), facility=facility)

    hiding = PersonFactory(pseudonym="Hiding Ha")  # at large, arrested in April
    record(hiding, Status.AT_LARGE, d(2024, 2, 1))
    record(hiding, Status.DETAINED, d(2024, 4, 2), facility=facility)
    record(hiding, Status.TRANSFERRED, d(2024, 6, 1), facility=facility)
    record(hiding, Status.AT_RISK_OF_RETURN, d(2024, 8, 1), facility=facility)

    # Two events on one day: the timeline orders them by id, so the transfer continues
    # the detention recorded before it.
    same_day = PersonFactory(pseudonym="Same Day Son")
    record(same_day, Status.DETAINED, d(2024, 11, 4), facility=facility)
    record(same_day, Status.TRANSFERRED, d(2024, 11, 4), facility=facility)
    return {"moved": moved, "twice": twice, "hiding": hiding, "same_day": same_day}


def listed(client, start: str = "", stop: str = "", **extra) -> set[str]:
    params = {"detained_after": start, "detained_before": stop}
    response = client.get(BOARD, params, **extra)
    assert response.status_code == 200
    return {p.pseudonym for p in response.context["object_list"]}


def test_a_person_detained_in_may_and_transferred_in_july_counts_in_may_only(
    timelines, cast, client_for
):
    client = client_for(cast.carol)
    assert "Moved Mun" in listed(client, "2024-05-01", "2024-06-30")
    assert "Moved Mun" not in listed(client, "2024-07-01", "2024-08-31")


def test_a_person_released_and_re_arrested_counts_in_both_periods(timelines, cast, client_for):
    client = client_for(cast.carol)
    assert "Twice Tak" in listed(client, "2024-01-01", "2024-03-31")
    assert "Twice Tak" not in listed(client, "2024-04-01", "2024-08-31")
    assert "Twice Tak" in listed(client, "2024-09-01", "2024-09-30")
    # The at-risk move of October continues the September episode.
    assert "Twice Tak" not in listed(client, "2024-10-01", "2024-12-31")

    starts = CustodyEvent.objects.custody_episode_starts().filter(person=timelines["twice"])
    assert sorted(starts.values_list("occurred_on", flat=True)) == [d(2024, 1, 15), d(2024, 9, 3)]


def test_a_person_at_large_first_counts_at_the_arrest(timelines, cast, client_for):
    client = client_for(cast.carol)
    assert "Hiding Ha" not in listed(client, "2024-01-01", "2024-03-31")
    assert "Hiding Ha" in listed(client, "2024-04-01", "2024-04-30")
    assert "Hiding Ha" not in listed(client, "2024-05-01", "2024-12-31")

    starts = CustodyEvent.objects.custody_episode_starts().filter(person=timelines["hiding"])
    assert [(e.status, e.occurred_on) for e in starts] == [(Status.DETAINED, d(2024, 4, 2))]


def test_a_transfer_on_the_day_of_the_detention_is_not_a_second_one(timelines):
    starts = CustodyEvent.objects.custody_episode_starts().filter(person=timelines["same_day"])
    assert [e.status for e in starts] == [Status.DETAINED]


@pytest.mark.parametrize(
    "periods",
    [
        [(d(2024, 1, 1), d(2024, 6, 30)), (d(2024, 7, 1), d(2024, 12, 31))],
        [(d(2024, 1, 1), d(2024, 4, 30)), (d(2024, 5, 1), d(2024, 8, 31))],
        [(d(2024, 1, 1), d(2024, 3, 31)), (d(2024, 4, 1), d(2024, 12, 31))],
    ],
)
def test_consecutive_periods_add_up_to_the_whole(timelines, cast, client_for, periods):
    """Each person here has one detention per episode, so the number of people newly
    detained in consecutive periods adds up to those detained in the whole, less those
    counted twice for two episodes (Twice Tak, in the first two splits)."""
    client = client_for(cast.carol)
    (start, middle), (after, stop) = periods
    first = listed(client, start.isoformat(), middle.isoformat())
    second = listed(client, after.isoformat(), stop.isoformat())
    whole = listed(client, start.isoformat(), stop.isoformat())
    episodes = CustodyEvent.objects.custody_episode_starts()
    in_whole = episodes.filter(occurred_on__range=(start, stop)).count()
    assert len(first) + len(second) == in_whole
    assert first | second == whole

    people = board_persons(cast.carol)
    totals = [board_headline(people, start=a, stop=b).total.n for a, b in periods]
    assert totals == [len(first), len(second)]
    assert board_headline(people, start=start, stop=stop).total.n == len(whole)


def test_consecutive_periods_add_up_to_the_whole_for_one_episode_each(
    today, facility, cast, client_for
):
    """Without anyone re-arrested, people newly detained in two consecutive periods are
    exactly those of the whole period, each counted once."""
    for month in range(1, 13):
        person = PersonFactory(pseudonym=f"Person {month:02}")
        record(person, Status.DETAINED, d(2024, month, 5), facility=facility)
        record(person, Status.TRANSFERRED, d(2024, min(month + 3, 12), 20), facility=facility)
        if month % 3 == 0:
            record(person, Status.AT_RISK_OF_RETURN, d(2024, 12, 28), facility=facility)
    client = client_for(cast.carol)
    first = listed(client, "2024-01-01", "2024-06-30")
    second = listed(client, "2024-07-01", "2024-12-31")
    whole = listed(client, "2024-01-01", "2024-12-31")
    assert (len(first), len(second), len(whole)) == (6, 6, 12)
    assert not first & second


def test_the_korean_board_names_the_filter_and_counts_new_detentions(
    timelines, cast, client_for, speaking
):
    client = client_for(cast.carol)
    with speaking(cast.carol, "ko"):
        response = client.get(
            BOARD, {"detained_after": "2024-07-01", "detained_before": "2024-08-31"}, **KOREAN
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "신규 구금 기간" in page
    assert "Newly detained between" not in page and "Detained between" not in page
    assert {p.pseudonym for p in response.context["object_list"]} == set()
