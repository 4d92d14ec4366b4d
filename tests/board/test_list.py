"""The board's list and panels at any size: pages in order without sorting everyone,
and counts that stop at a cap where no tally holds them."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.board import selectors, views
from casework.board.filters import BoardFilter
from casework.board.selectors import (
    BoardPeople,
    BoardRows,
    board_list,
    board_people,
    board_persons,
    board_stale,
)
from casework.cases.enums import Status
from casework.cases.models import stale_heard_before
from casework.cases.state import DEFAULT_STALE_AFTER_DAYS as STALE_AFTER_DAYS
from tests.factories import PersonFactory, record


def test_pages_walk_everyone_newest_news_first_then_those_never_heard_of(world, cast):
    never = [PersonFactory(pseudonym=f"Silent {i}") for i in range(3)]
    people = board_persons(cast.carol)
    expected = [p.pk for p in board_list(people)]

    rows = BoardRows(people)
    walked = [p.pk for start in range(0, len(expected) + 4, 4) for p in rows[start : start + 4]]

    assert walked == expected
    assert walked[-3:] == [p.pk for p in reversed(never)]  # newest case first among them
    assert rows[len(expected) : len(expected) + 4] == []


@pytest.mark.parametrize("status", [Status.DETAINED, Status.UNKNOWN, Status.AT_LARGE])
def test_a_view_of_one_status_pages_through_that_status_alone(world, cast, status):
    never = PersonFactory(pseudonym="Silent")  # never heard of: shown as unknown
    people = board_persons(cast.carol).in_status(status)
    expected = [p.pk for p in board_list(people)]

    rows = BoardRows(people, BoardPeople(people, statuses=(status,)))
    walked = [p.pk for start in range(0, len(expected) + 2, 2) for p in rows[start : start + 2]]

    assert walked == expected
    assert expected  # the world has someone in each of these statuses
    assert (never.pk in walked) == (status == Status.UNKNOWN)


@pytest.mark.parametrize("status", [None, Status.DETAINED, Status.AT_RISK_OF_RETURN])
def test_a_stale_view_pages_from_the_day_before_which_everyone_stale_was_heard(cast, today, status):
    """The newest-first walk of a stale view starts at that day, past the people heard
    since (SQLite would otherwise test each of them); the list is the same."""
    day = datetime.timedelta(days=1)
    for i, (heard, risk) in enumerate(
        [(day, Status.DETAINED), (day, Status.AT_RISK_OF_RETURN)]
        + [(3 * day, Status.AT_RISK_OF_RETURN), (5 * day, Status.DETAINED)]
        + [
            (n * 9 * day, s)
            for n in range(1, 5)
            for s in (Status.DETAINED, Status.AT_RISK_OF_RETURN)
        ]
    ):
        record(PersonFactory(pseudonym=f"P{i}"), risk, today - heard)
    statuses = (status,) if status else None
    people = board_persons(cast.carol)
    stale = people.in_status(status).stale() if status else people.stale()
    expected = [p.pk for p in board_list(stale)]
    bound = stale_heard_before(statuses)

    rows = BoardRows(stale, BoardPeople(stale, statuses=statuses, heard_before=bound))
    walked = [p.pk for start in range(0, len(expected) + 2, 2) for p in rows[start : start + 2]]

    with CaptureQueriesContext(connection) as first_page:
        rows[0:2]

    assert len(expected) >= 4 and walked == expected
    if connection.vendor == "sqlite":  # PostgreSQL walks its index by itself
        walk = f'"cases_currentstatus"."occurred_on" < \'{bound.isoformat()}\''
        assert any(walk in q["sql"] for q in first_page.captured_queries)
    assert not stale.filter(last_heard_on__gte=bound).exists()
    assert people.in_status(*(statuses or STALE_AFTER_DAYS)).filter(last_heard_on__gte=bound)


def test_the_board_says_more_than_the_cap_instead_of_counting_everyone(
    world, cast, client_for, monkeypatch
):
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    monkeypatch.setattr(views, "COUNT_CAP", 2)

    count, rows = board_stale(board_persons(cast.carol))
    html = client_for(cast.carol).get("/board/", {"stale": "true"}).content.decode()

    assert count == 3  # the cap and one more: enough to say "more than"
    assert len(rows) > 2
    assert "People (more than 2)" in html
    assert '<span class="badge warn">more than 2</span>' in html


@pytest.mark.parametrize("params", [{}, {"status": "at_risk", "province": "Jilin"}])
def test_a_tallied_view_counts_its_list_exactly(world, cast, client_for, params):
    html = client_for(cast.carol).get("/board/", params).content.decode()
    expected = board_persons(cast.carol)
    if params:
        expected = expected.at_risk().filter(current_province="Jilin")

    assert f"People ({expected.count()})" in html


def test_a_stale_view_drawn_across_midnight_lists_everyone_it_holds(cast, today, monkeypatch):
    """The people are chosen first and the walk's bound after, so a day that turns in
    between can only widen the walk, never hide someone the view holds."""
    on_the_line = PersonFactory(pseudonym="Seven days")
    record(on_the_line, Status.DETAINED, today - datetime.timedelta(days=7))
    record(PersonFactory(pseudonym="Long ago"), Status.DETAINED, today - datetime.timedelta(30))
    days = iter([today])
    monkeypatch.setattr(
        timezone, "localdate", lambda *a: next(days, today + datetime.timedelta(days=1))
    )
    request = RequestFactory().get("/board/")
    request.user = cast.carol
    params = {"status": "detained", "stale": "true"}

    people = board_people(
        cast.carol, BoardFilter(params, queryset=board_persons(cast.carol), request=request)
    )

    listed = [p.pk for p in board_list(people.queryset)]
    assert listed and [p.pk for p in BoardRows(people.queryset, people)[0:50]] == listed
