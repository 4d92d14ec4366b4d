"""The board's list and panels at any size: pages in order without sorting everyone,
and counts that stop at a cap where no tally holds them."""

import pytest

from casework.board import selectors, views
from casework.board.selectors import BoardRows, board_list, board_persons, board_stale
from casework.cases.enums import Status
from tests.factories import PersonFactory


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

    rows = BoardRows(people, statuses=(status,))
    walked = [p.pk for start in range(0, len(expected) + 2, 2) for p in rows[start : start + 2]]

    assert walked == expected
    assert expected  # the world has someone in each of these statuses
    assert (never.pk in walked) == (status == Status.UNKNOWN)


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
