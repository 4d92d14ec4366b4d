"""A planned transfer or return whose day has passed is no longer shown as planned: the
case page asks "overdue — did it happen?" (one rule, ``state.planned_move_overdue``)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from casework.cases.enums import Status
from casework.cases.state import planned_move_overdue
from tests.factories import PersonFactory, record

pytestmark = pytest.mark.django_db

DETAINED = datetime.date(2026, 3, 2)
PLANNED = datetime.date(2026, 3, 20)


def on(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9)), tick=False)


def test_a_plan_is_overdue_from_the_day_after_it():
    assert not planned_move_overdue(None, today=PLANNED)
    assert not planned_move_overdue(PLANNED, today=PLANNED)
    assert planned_move_overdue(PLANNED, today=PLANNED + datetime.timedelta(days=1))


@pytest.fixture
def azalea(cast):
    person = PersonFactory(pseudonym="Azalea", caseworkers=[cast.alice])
    record(person, Status.DETAINED, DETAINED, planned_on=PLANNED)
    return person


def now_section(client, person) -> str:
    html = client.get(reverse("cases:detail", args=[person.reference])).content.decode()
    return html.split("<h2>", 2)[1]


def test_a_plan_still_ahead_shows_its_day(cast, azalea, client_for):
    with on(PLANNED - datetime.timedelta(days=5)):
        section = now_section(client_for(cast.alice), azalea)
    assert "<dt>Planned transfer or return</dt><dd>20 Mar 2026</dd>" in section
    assert "did it happen" not in section


def test_a_plan_whose_day_passed_asks_whether_it_happened(cast, azalea, client_for):
    with on(PLANNED + datetime.timedelta(days=2)):
        section = now_section(client_for(cast.alice), azalea)
    assert "overdue — did it happen?" in section
    assert "(planned 20 Mar 2026)" in section
    assert "<dd>20 Mar 2026</dd>" not in section


def test_the_question_is_gone_once_the_move_is_recorded(cast, azalea, client_for):
    record(azalea, Status.RELEASED, PLANNED + datetime.timedelta(days=1))
    with on(PLANNED + datetime.timedelta(days=2)):
        section = now_section(client_for(cast.alice), azalea)
    assert "did it happen" not in section


def test_a_korean_reader_is_asked_in_korean(cast, azalea, client_for):
    cast.alice.language = "ko"
    cast.alice.save(update_fields=["language"])
    with on(PLANNED + datetime.timedelta(days=2)):
        section = now_section(client_for(cast.alice), azalea)
    assert "기한 지남 — 실제로 이루어졌습니까?" in section
    assert "did it happen" not in section
