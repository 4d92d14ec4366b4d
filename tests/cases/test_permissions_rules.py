"""Who sees which case, rule by rule (``casework/cases/permissions.py``): each test states
one rule of the access design, so that breaking the rule breaks the test."""

import pytest
from django.http import Http404
from django.urls import reverse

from casework.accounts.enums import Role
from casework.cases import permissions
from casework.cases.models import Group, Person
from tests.factories import GroupFactory, PersonFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def visible(user, queryset=None) -> set[str]:
    return set(permissions.persons_visible_to(user, queryset).values_list("pseudonym", flat=True))


@pytest.fixture
def cases(cast):
    """Alice's own case, a teammate's case, Bob's case, an unassigned one, and two
    restricted cases: one assigned to Alice and the coordinator Carol, one to Bob."""
    teammate = UserFactory(username="tess", role=Role.CASEWORKER, team=cast.alice.team)
    return {
        "alice's": PersonFactory(pseudonym="Azalea", caseworkers=[cast.alice]),
        "team's": PersonFactory(pseudonym="Tulip", caseworkers=[teammate]),
        "bob's": PersonFactory(pseudonym="Begonia", caseworkers=[cast.bob]),
        "nobody's": PersonFactory(pseudonym="Nettle"),
        "restricted, alice and carol": PersonFactory(
            pseudonym="Rue", restricted=True, caseworkers=[cast.alice, cast.carol]
        ),
        "restricted, bob": PersonFactory(
            pseudonym="Rowan", restricted=True, caseworkers=[cast.bob]
        ),
    }


UNRESTRICTED = {"Azalea", "Tulip", "Begonia", "Nettle"}


# Restricted cases


def test_a_coordinator_counts_only_the_restricted_cases_assigned_to_them(cast, cases):
    seen = permissions.restricted_visible_to(cast.carol, Person.objects.all())
    assert set(seen.values_list("pseudonym", flat=True)) == {"Rue"}


def test_restricted_cases_are_found_by_the_cases_assigned_not_by_the_assignments(cast):
    """Many assignments before the coordinator's own, so that the numbering of
    assignments and of cases differ: only the assigned case counts."""
    for n in range(4):
        PersonFactory(pseudonym=f"Busy {n}", caseworkers=[cast.alice, cast.bob])
    for n in range(6):
        PersonFactory(pseudonym=f"Hidden {n}", restricted=True)
    PersonFactory(pseudonym="Rue", restricted=True, caseworkers=[cast.carol])
    seen = permissions.restricted_visible_to(cast.carol, Person.objects.all())
    assert set(seen.values_list("pseudonym", flat=True)) == {"Rue"}


def test_a_coordinator_assigned_no_restricted_case_counts_none(cast, cases):
    assert not permissions.restricted_visible_to(cast.dana, Person.objects.all()).exists()


def test_restricted_cases_are_counted_only_within_the_list_asked_about(cast, cases):
    unrestricted = Person.objects.filter(restricted=False)
    assert not permissions.restricted_visible_to(cast.alice, unrestricted).exists()


def test_a_superuser_counts_every_restricted_case(cast, cases):
    root = UserFactory(username="root", is_superuser=True)
    seen = permissions.restricted_visible_to(root, Person.objects.all())
    assert set(seen.values_list("pseudonym", flat=True)) == {"Rue", "Rowan"}


def test_a_restricted_case_is_hidden_from_a_coordinator_it_is_not_assigned_to(cast, cases):
    assert visible(cast.dana) == UNRESTRICTED
    assert visible(cast.erin) == UNRESTRICTED


def test_a_coordinator_keeps_the_restricted_case_assigned_to_them(cast, cases):
    assert visible(cast.carol) == UNRESTRICTED | {"Rue"}


# Caseworkers


def test_a_caseworker_sees_their_own_and_their_teams_unrestricted_cases(cast, cases):
    assert visible(cast.alice) == {"Azalea", "Tulip", "Rue"}
    assert visible(cast.bob) == {"Begonia", "Rowan"}


def test_a_teams_restricted_case_stays_with_its_assignee(cast, cases):
    tess = UserFactory(username="tess", role=Role.CASEWORKER, team=cast.alice.team)
    assert visible(tess) == {"Azalea", "Tulip"}  # not Rue, though Alice has it


def test_a_caseworker_without_a_team_sees_only_their_own_cases(cast, cases):
    loner = UserFactory(username="lone", role=Role.CASEWORKER, team=None)
    PersonFactory(pseudonym="Lotus", caseworkers=[loner])
    assert visible(loner) == {"Lotus"}


def test_a_caseworker_assigned_nothing_sees_nothing(cast, cases):
    assert visible(cast.oscar) == set()


def test_an_account_without_the_right_to_view_cases_sees_none_even_on_a_team(cast, cases):
    no_role = UserFactory(username="nina", team=cast.alice.team)
    PersonFactory(pseudonym="Nina's", caseworkers=[no_role])
    assert visible(no_role) == set()


def test_an_inactive_or_anonymous_user_sees_nothing(cast, cases):
    from django.contrib.auth.models import AnonymousUser

    cast.carol.is_active = False
    cast.carol.save()
    assert visible(cast.carol) == set()
    assert visible(AnonymousUser()) == set()
    assert not permissions.sees_every_unrestricted_case(cast.carol)
    assert not permissions.sees_every_unrestricted_case(AnonymousUser())


def test_an_inactive_superuser_sees_nothing(cast, cases):
    root = UserFactory(username="root", is_superuser=True, is_active=False)
    assert visible(root) == set()
    assert not permissions.sees_every_unrestricted_case(root)


def test_a_superuser_sees_every_case(cast, cases):
    root = UserFactory(username="root", is_superuser=True)
    assert visible(root) == UNRESTRICTED | {"Rue", "Rowan"}
    assert permissions.sees_every_unrestricted_case(root)


def test_only_roles_that_see_all_cases_see_every_unrestricted_case(cast):
    assert permissions.sees_every_unrestricted_case(cast.carol)
    assert permissions.sees_every_unrestricted_case(cast.dana)
    assert permissions.sees_every_unrestricted_case(cast.erin)
    assert not permissions.sees_every_unrestricted_case(cast.alice)


def test_visibility_narrows_the_list_it_is_given(cast, cases):
    assert visible(cast.carol, Person.objects.filter(pseudonym__in=["Rue", "Rowan"])) == {"Rue"}


# The same rules through the case page: a case one may not see is 404.


@pytest.mark.parametrize(
    ("who", "case", "status"),
    [
        ("alice", "team's", 200),
        ("alice", "bob's", 404),
        ("alice", "restricted, bob", 404),
        ("carol", "restricted, alice and carol", 200),
        ("carol", "restricted, bob", 404),
        ("dana", "nobody's", 200),
        ("oscar", "alice's", 404),
    ],
)
def test_the_case_page_follows_the_rules(cast, cases, client_for, who, case, status):
    url = reverse("cases:detail", args=[cases[case].reference])
    assert client_for(getattr(cast, who)).get(url).status_code == status


def test_a_caseworker_without_a_team_gets_404_for_an_unassigned_case(cast, cases, client_for):
    loner = UserFactory(username="lone", role=Role.CASEWORKER, team=None)
    url = reverse("cases:detail", args=[cases["nobody's"].reference])
    assert client_for(loner).get(url).status_code == 404


def test_an_account_without_the_right_to_view_cases_gets_no_case_page(cast, cases, client_for):
    no_role = UserFactory(username="nina", team=cast.alice.team)
    url = reverse("cases:detail", args=[cases["team's"].reference])
    assert client_for(no_role).get(url).status_code in (403, 404)


# Lookups by reference


def test_a_case_looked_up_by_reference_is_404_unless_visible(cast, cases):
    rowan = cases["restricted, bob"]
    assert permissions.person_for_user(cast.bob, rowan.reference) == rowan
    with pytest.raises(Http404):
        permissions.person_for_user(cast.carol, rowan.reference)


def test_a_group_is_visible_when_one_of_its_members_is(cast, cases):
    mixed = GroupFactory(people=[cases["alice's"], cases["bob's"]])
    bobs = GroupFactory(people=[cases["bob's"]])
    alices = {g.reference for g in permissions.groups_visible_to(cast.alice)}
    assert alices == {mixed.reference}
    assert permissions.group_for_user(cast.bob, bobs.reference) == bobs
    with pytest.raises(Http404):
        permissions.group_for_user(cast.alice, bobs.reference)
    assert set(permissions.groups_of_person_shown(cases["bob's"])) == {mixed, bobs}


# My cases


def test_my_cases_are_those_assigned_to_me_or_my_team(cast, cases):
    mine = set(permissions.my_cases(cast.alice).values_list("pseudonym", flat=True))
    assert mine == {"Azalea", "Tulip", "Rue"}


def test_a_coordinator_following_one_case_has_that_one_as_theirs(cast, cases):
    mine = set(permissions.my_cases(cast.carol).values_list("pseudonym", flat=True))
    assert mine == {"Rue"}
    assert not permissions.my_cases(cast.dana).exists()


def test_my_cases_narrow_the_list_they_are_given(cast, cases):
    narrowed = Person.objects.exclude(pseudonym="Tulip")
    mine = set(permissions.my_cases(cast.alice, narrowed).values_list("pseudonym", flat=True))
    assert mine == {"Azalea", "Rue"}


def test_group_visibility_narrows_the_list_it_is_given(cast, cases):
    first = GroupFactory(people=[cases["alice's"]])
    second = GroupFactory(people=[cases["alice's"]])
    narrowed = permissions.groups_visible_to(cast.alice, Group.objects.exclude(pk=second.pk))
    assert list(narrowed) == [first]
    with pytest.raises(Http404):
        permissions.group_for_user(
            cast.alice, second.reference, Group.objects.exclude(pk=second.pk)
        )


def test_a_large_caseload_is_still_only_mine(cast, cases, monkeypatch):
    monkeypatch.setattr(permissions, "MY_CASES_BY_ID", 0)
    alices = set(permissions.my_cases(cast.alice).values_list("pseudonym", flat=True))
    assert alices == {"Azalea", "Tulip", "Rue"}
    carols = set(permissions.my_cases(cast.carol).values_list("pseudonym", flat=True))
    assert carols == {"Rue"}


# Revealing, recording, changing


def test_revealing_an_identity_needs_the_permission_and_the_case(cast, cases):
    azalea, begonia = cases["alice's"], cases["bob's"]
    assert permissions.can_reveal_identity(cast.alice, azalea)
    assert not permissions.can_reveal_identity(cast.alice, begonia)
    assert permissions.can_reveal_identity(cast.alice, begonia, seen=True)  # caller checked
    assert not permissions.can_reveal_identity(cast.dana, azalea, seen=True)  # no permission


def test_recording_events_is_for_roles_that_may_add_them(cast):
    assert permissions.can_record_events(cast.alice)
    assert permissions.can_record_events(cast.carol)
    assert not permissions.can_record_events(cast.dana)


def test_changing_a_case_needs_the_permission_and_the_case(cast, cases):
    azalea = cases["alice's"]
    assert permissions.can_change_case(cast.alice, azalea)
    assert not permissions.can_change_case(cast.bob, azalea)
    assert not permissions.can_change_case(cast.dana, azalea)  # sees it, may not change it
    assert permissions.can_change_case(cast.carol, azalea)


def test_a_team_is_not_shared_across_teams(cast, cases):
    south = TeamFactory(name="South")
    newcomer = UserFactory(username="sam", role=Role.CASEWORKER, team=south)
    assert visible(newcomer) == {"Begonia"}  # bob's team, not bob's restricted case
