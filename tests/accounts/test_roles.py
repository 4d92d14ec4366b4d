"""Roles are permissions: who plays a role is whoever holds its permission, through
the role's group or given to the account directly, and never merely a member of a
group of that name."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.urls import reverse

from casework.accounts import roles
from casework.accounts.enums import Role
from casework.accounts.selectors import users_with_perm
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:cases_person_changelist")


def permission(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def assign(client, person, caseworker):
    return client.post(
        CHANGELIST,
        {
            "action": "assign_caseworker",
            "_selected_action": [person.pk],
            "apply": "1",
            "caseworker": caseworker.pk,
        },
    )


def test_an_account_given_the_permission_directly_is_assigned_a_case(cast, client_for):
    hana = UserFactory(username="hana")  # in no role's group
    hana.user_permissions.add(permission(roles.FOLLOW_CASE))
    person = PersonFactory()

    response = assign(client_for(cast.carol), person, hana)

    assert response.status_code == 302
    assert list(person.assigned_caseworkers.all()) == [hana]


def test_a_caseworker_whose_group_lost_the_permission_is_not_offered_cases(cast, client_for):
    AuthGroup.objects.get(name=Role.CASEWORKER).permissions.remove(permission(roles.FOLLOW_CASE))
    person = PersonFactory()

    response = assign(client_for(cast.carol), person, cast.alice)

    assert response.status_code == 200
    assert "caseworker" in response.context["form"].errors
    assert list(person.assigned_caseworkers.all()) == []


def test_the_boards_caseworker_filter_takes_whoever_holds_the_permission(cast, client_for):
    hana = UserFactory(username="hana")
    hana.user_permissions.add(permission(roles.FOLLOW_CASE))
    AuthGroup.objects.get(name=Role.CASEWORKER).permissions.remove(permission(roles.FOLLOW_CASE))
    board = client_for(cast.carol)

    taken = board.get(reverse("board:index"), {"caseworker": "hana"})
    refused = board.get(reverse("board:index"), {"caseworker": "alice"})

    assert "caseworker" not in taken.context["filter"].form.errors
    assert "caseworker" in refused.context["filter"].form.errors


def test_inactive_holders_of_a_permission_play_no_role(cast):
    cast.carol.is_active = False
    cast.carol.save(update_fields=["is_active"])

    assert cast.carol not in users_with_perm(roles.RECEIVE_ESCALATIONS)


def test_the_holders_of_a_permission_are_read_in_one_query(cast, django_assert_num_queries):
    for n in range(5):
        UserFactory(username=f"direct{n}").user_permissions.add(permission(roles.FOLLOW_CASE))

    with django_assert_num_queries(1):
        holders = list(users_with_perm(roles.FOLLOW_CASE))

    assert {cast.alice, cast.bob, cast.oscar} <= set(holders)
    assert len(holders) == 8


def test_a_superuser_and_a_holder_by_two_routes_are_each_listed_once(cast):
    root = UserFactory(username="root", is_superuser=True)
    cast.alice.user_permissions.add(permission(roles.FOLLOW_CASE))  # her group grants it too

    holders = list(users_with_perm(roles.FOLLOW_CASE))

    assert root in holders
    assert holders.count(cast.alice) == 1


def test_every_permission_named_beside_the_role_table_exists(db):
    """A constant with a typo would make ``has_perm`` answer no to everyone, silently."""
    named = {
        value for key, value in vars(roles).items() if key.isupper() and isinstance(value, str)
    }
    missing = {
        name
        for name in named
        if not Permission.objects.filter(
            content_type__app_label=name.split(".")[0], codename=name.split(".")[1]
        ).exists()
    }
    assert named and missing == set()


LITERAL_PERMISSION = re.compile(r"""has_perms?\(\s*f?["']""")


def test_no_code_asks_for_a_permission_by_a_literal_name_outside_the_role_table():
    """Permissions are named once, beside the role table; code asks by constant."""
    package = Path(settings.BASE_DIR) / "casework"
    offenders = [
        f"{path.relative_to(package)}:{number}"
        for path in sorted(package.rglob("*.py"))
        if path.name != "roles.py" and "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if LITERAL_PERMISSION.search(line)
    ]
    assert offenders == []
