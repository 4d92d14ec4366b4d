"""The facts of each status live in one table; everything else derives from it."""

import datetime

import pytest

from casework.board.selectors import OUTCOMES
from casework.cases import state
from casework.cases.enums import Status
from casework.cases.models import Person
from casework.cases.state import (
    AT_RISK_BY_STATUS,
    DEFAULT_STALE_AFTER_DAYS,
    IN_CUSTODY,
    STATUS_FACTS,
    StaleLimitsPerRequest,
    risk_reasons,
    stale_limits,
    status_tone,
)
from tests.factories import FacilityFactory, PersonFactory, record


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


# --- at risk ------------------------------------------------------------------------


@pytest.mark.django_db
def test_at_risk_is_in_custody_and_marked_so_or_at_a_border_point_or_with_a_move_planned():
    border = FacilityFactory(border_point=True)
    inland = FacilityFactory(border_point=False)
    planned = datetime.date(2017, 4, 1)
    people = {
        "held inland": (Status.DETAINED, inland, None),
        "held at the border": (Status.DETAINED, border, None),
        "held, a move planned": (Status.DETAINED, inland, planned),
        "marked at risk": (Status.AT_RISK_OF_RETURN, inland, None),
        "released at the border": (Status.RELEASED, border, planned),
        "at large": (Status.AT_LARGE, None, None),
    }
    for name, (status, facility, planned_on) in people.items():
        record(PersonFactory(pseudonym=name), status, facility=facility, planned_on=planned_on)

    at_risk = set(Person.objects.at_risk().values_list("pseudonym", flat=True))

    assert at_risk == {"held at the border", "held, a move planned", "marked at risk"}


# The reasons are kept as the key of an escalation (``risk_signature``): the same reasons
# must give the same key from one release to the next.
@pytest.mark.parametrize(
    ("status", "border_point", "planned_on", "reasons"),
    [
        (Status.DETAINED, False, None, []),
        (Status.AT_RISK_OF_RETURN, False, None, ["risk"]),
        (Status.TRANSFERRED, True, None, ["border:3"]),
        (Status.DETAINED, False, datetime.date(2017, 4, 1), ["planned:2017-04-01"]),
        (
            Status.AT_RISK_OF_RETURN,
            True,
            datetime.date(2017, 4, 1),
            ["risk", "border:3", "planned:2017-04-01"],
        ),
        (Status.RELEASED, True, datetime.date(2017, 4, 1), []),
        (Status.RETURNED, False, None, []),
    ],
)
def test_the_reasons_a_person_is_at_risk(status, border_point, planned_on, reasons):
    found = risk_reasons(
        status=status, border_point=border_point, facility_id=3, planned_on=planned_on
    )

    assert found == reasons


# --- stale --------------------------------------------------------------------------


@pytest.fixture
def rules(monkeypatch) -> dict[str, int]:
    """The days an administrator set, by status: edit the dict to edit the rules. Each
    read of them is counted in ``rules["reads"]`` (not a status)."""
    days: dict = {"reads": 0}

    def read() -> dict[str, int]:
        days["reads"] += 1
        return {status: d for status, d in days.items() if status != "reads"}

    monkeypatch.setattr(state, "stale_rules_source", [read])
    return days


def test_the_rules_set_the_days_of_the_statuses_that_go_stale(rules):
    rules.update({Status.DETAINED: 3, Status.RELEASED: 0, Status.DECEASED: 10, "gone": 5})

    limits = stale_limits()

    assert limits[Status.DETAINED] == 3  # the rule
    assert limits[Status.RELEASED] == DEFAULT_STALE_AFTER_DAYS[Status.RELEASED]  # no days
    assert Status.DECEASED not in limits  # never stale, whatever a rule says
    assert set(limits) == set(DEFAULT_STALE_AFTER_DAYS)


def test_the_limits_are_read_once_a_request_and_afresh_in_the_next(rules):
    rules[Status.DETAINED] = 3
    seen = []

    def view(request):
        seen.append([stale_limits()[Status.DETAINED] for _ in range(3)])
        return "the page"

    middleware = StaleLimitsPerRequest(view)
    assert middleware(object()) == "the page"
    assert rules["reads"] == 1
    rules[Status.DETAINED] = 5  # an administrator's edit between two requests
    middleware(object())

    assert seen == [[3, 3, 3], [5, 5, 5]]
    assert rules["reads"] == 2


def test_outside_a_request_the_limits_are_read_at_each_call(rules):
    rules[Status.DETAINED] = 3
    assert stale_limits()[Status.DETAINED] == 3
    rules[Status.DETAINED] = 5  # a worker that runs for days sees the edit

    assert stale_limits()[Status.DETAINED] == 5
    assert rules["reads"] == 2
