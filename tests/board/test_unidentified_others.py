"""A group that records "at least K others, unidentified" counts them towards the "at
least" figures of the board and the report, and only where nothing asks what is unknown
of them (issue 24: "three women and an undetermined number of their guides")."""

import datetime

import pytest

from casework.board.reports import Period, report_build
from casework.board.selectors import board_persons
from casework.cases.enums import Status
from casework.cases.models import Group
from tests.factories import FacilityFactory, GroupFactory, PersonFactory, record

d = datetime.date


@pytest.fixture
def guided_group(cast, today):
    """Three women caught with their guides in Yanji on 10 June 2025 (alice's case); one
    of them had been detained once before, in 2015, and released."""
    yanji = FacilityFactory(name_en="Yanji detention centre", province="Jilin")
    women = [PersonFactory(pseudonym=f"Woman {i}", caseworkers=[cast.alice]) for i in range(3)]
    record(women[0], Status.DETAINED, d(2015, 3, 1), facility=yanji)
    record(women[0], Status.RELEASED, d(2015, 6, 1))
    group = GroupFactory(people=women, unidentified_others=2)
    record(group=group, status=Status.DETAINED, on=d(2025, 6, 10), facility=yanji)
    return group


def test_the_group_is_dated_by_its_own_detention_not_a_member_s_earlier_one(guided_group):
    group = Group.objects.with_first_detention().get(pk=guided_group.pk)
    assert group.first_detained_on == d(2025, 6, 10)


def test_the_report_counts_them_and_says_at_least(guided_group, cast, client_for):
    response = client_for(cast.carol).get(
        "/board/report/",
        {"as_of": "2025-06-30", "start_1": "2025-06-01", "stop_1": "2025-06-30", "exact": "1"},
    )
    headline = response.context["report"].periods[0].headline
    assert (headline.total.n, headline.total.at_least) == (5, True)
    # Their fate is unknown, so every outcome is a lower bound.
    assert all(f.at_least for f in headline.outcomes)
    in_custody = next(f for f in headline.outcomes if f.key == "in_custody")
    assert in_custody.n == 3
    assert "at least 5 people detained" in response.context["paragraph"]


def test_a_period_before_the_group_s_detention_does_not_count_them(guided_group, cast):
    report = report_build(
        board_persons(cast.carol), [Period(d(2015, 1, 1), d(2015, 12, 31))], d(2025, 6, 30)
    )
    assert report.periods[0].headline.total.n == 1


def test_the_board_counts_them_only_where_no_filter_asks_what_is_unknown(
    guided_group, cast, client_for
):
    client = client_for(cast.carol)
    # The board of all records counts identified people (its figures come from tallies).
    assert client.get("/board/").context["headline"].total.n == 3
    assert client.get("/board/", {"as_of": "2025-06-30"}).context["headline"].total.n == 5
    period = {"detained_after": "2025-06-01", "detained_before": "2025-06-30"}
    assert client.get("/board/", period).context["headline"].total.n == 5
    assert client.get("/board/", {**period, "province": "Jilin"}).context["headline"].total.n == 3
    assert client.get("/board/", {**period, "status": "detained"}).context["headline"].total.n == 3
    summary = client.get("/board/summary.txt", {**period, "exact": "1"}).content.decode()
    assert "at least 5 people detained" in summary


def test_someone_who_may_not_see_the_group_does_not_count_its_others(
    guided_group, cast, client_for
):
    # Bob's team follows none of the three women.
    headline = client_for(cast.bob).get("/board/", {"as_of": "2025-06-30"}).context["headline"]
    assert headline.total.n == 0
