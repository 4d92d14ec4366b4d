"""Escalations and the reminders of cases nobody follows go to whoever holds the
permission to receive them, however it was given: not to the members of a group named
"Coordinator"."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission

from casework.accounts import roles
from casework.accounts.enums import Role
from casework.cases.enums import Status
from casework.reminders.models import Reminder
from casework.reminders.services import coordinators, reminders_sweep
from tests.factories import PersonFactory, UserFactory, record

pytestmark = pytest.mark.django_db

HEARD = datetime.date(2026, 3, 2)


def permission(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def escalation_permission() -> Permission:
    return permission(roles.RECEIVE_ESCALATIONS)


def sweep_after_a_month_of_silence() -> str:
    """An unfollowed case, silent past its limit; the sweep; the case's reference."""
    person = PersonFactory()
    record(person, Status.AT_LARGE, HEARD)
    day = HEARD + datetime.timedelta(days=31)
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(9)), tick=False):
        reminders_sweep()
    return person.reference


def reminded(user) -> list[str]:
    return [r.person.reference for r in Reminder.objects.filter(recipient=user)]


def test_an_account_given_the_permission_directly_hears_of_an_unfollowed_case(rules, emails):
    cast = emails
    hana = UserFactory(username="hana", email="hana@example.org")  # in no role's group
    hana.user_permissions.add(escalation_permission(), permission(roles.VIEW_ALL_CASES))

    reference = sweep_after_a_month_of_silence()

    assert reminded(hana) == [reference]
    assert reminded(cast.carol) == [reference]


def test_a_coordinator_whose_group_lost_the_permission_hears_nothing(rules, emails):
    cast = emails
    AuthGroup.objects.get(name=Role.COORDINATOR).permissions.remove(escalation_permission())

    sweep_after_a_month_of_silence()

    assert reminded(cast.carol) == []


def test_an_escalation_reaches_only_those_who_may_see_every_case(rules, emails):
    """A reminder names a case: the permission to receive escalations alone shows none."""
    cast = emails
    cast.oscar.user_permissions.add(escalation_permission())

    reference = sweep_after_a_month_of_silence()

    assert reminded(cast.oscar) == []
    assert reminded(cast.carol) == [reference]


def test_the_coordinators_are_read_in_one_query(emails, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = list(coordinators())

    assert found == [emails.carol]
