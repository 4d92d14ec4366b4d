"""The facts of each status live in one table; everything else derives from it."""

import pytest

from casework.board.selectors import OUTCOMES
from casework.cases.enums import Status
from casework.cases.state import (
    AT_RISK_BY_STATUS,
    IN_CUSTODY,
    STATUS_FACTS,
    risk_reasons,
    status_tone,
)


@pytest.mark.parametrize("status", Status.values)
def test_every_status_has_its_facts_and_a_place_in_the_board_headline(status):
    assert status in STATUS_FACTS
    counted_in = [key for key, statuses, *_ in OUTCOMES if status in statuses]
    assert counted_in == [STATUS_FACTS[status].outcome]


def test_every_headline_group_counts_some_status():
    assert all(statuses for _, statuses, *_ in OUTCOMES)


def test_at_risk_by_status_is_a_custody_status():
    assert AT_RISK_BY_STATUS <= IN_CUSTODY


def test_the_risk_of_a_person_no_longer_in_custody_is_none():
    assert (
        risk_reasons(status=Status.RETURNED, border_point=True, facility_id=3, planned_on=None)
        == []
    )
    assert risk_reasons(
        status=Status.DETAINED, border_point=True, facility_id=3, planned_on=None
    ) == ["border:3"]


def test_the_badge_tone_comes_from_the_status():
    assert status_tone(Status.AT_RISK_OF_RETURN) == "danger"
    assert status_tone("no such status") == ""
