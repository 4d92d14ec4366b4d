"""In the inbox, a case's planned transfer or return shows beside the reminder: as
planned while its day is ahead, as "overdue — did it happen?" once it has passed (the
case page's rule, ``state.planned_move_overdue``)."""

import datetime

import pytest
import time_machine

from casework.cases.enums import Status
from casework.reminders.services import reminders_sweep
from tests.factories import PersonFactory, record

pytestmark = pytest.mark.django_db

HEARD = datetime.date(2026, 3, 2)
PLANNED = HEARD + datetime.timedelta(days=3)


def inbox_on(client, day: datetime.date) -> str:
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(9)), tick=False):
        response = client.get("/inbox/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def planned_return(rules, cast):
    person = PersonFactory(caseworkers=[cast.alice], pseudonym="Plum Blossom")
    record(person, Status.DETAINED, HEARD, by=cast.alice, planned_on=PLANNED)
    reminders_sweep(today=HEARD + datetime.timedelta(days=1))
    reminders_sweep(today=PLANNED)
    return person


def test_the_plan_shows_as_planned_on_its_day(cast, planned_return, client_for):
    html = inbox_on(client_for(cast.carol), PLANNED)
    assert "Planned transfer or return: 5 Mar 2026" in html
    assert "overdue — did it happen?" not in html


def test_a_passed_plan_asks_whether_it_happened(cast, planned_return, client_for):
    html = inbox_on(client_for(cast.alice), PLANNED + datetime.timedelta(days=4))
    assert "overdue — did it happen?" in html
    assert "(planned 5 Mar 2026)" in html


def test_the_inbox_reads_the_plan_in_a_bounded_number_of_queries(
    cast, planned_return, client_for, django_assert_max_num_queries
):
    for _ in range(5):
        other = PersonFactory(caseworkers=[cast.alice])
        record(other, Status.DETAINED, HEARD, by=cast.alice, planned_on=PLANNED)
    reminders_sweep(today=PLANNED + datetime.timedelta(days=1))
    client = client_for(cast.carol)
    inbox_on(client, PLANNED + datetime.timedelta(days=2))
    with django_assert_max_num_queries(7):
        html = inbox_on(client, PLANNED + datetime.timedelta(days=2))
    assert html.count("overdue — did it happen?") >= 6
