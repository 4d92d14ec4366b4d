"""Each role lands where its daily work starts, after login and at ``/``: caseworkers on
their cases, coordinators on the board, advocates on their letters, administrators on
the admin. Decided by permissions, never by a group's name; each page says what to do
when it is empty."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import PersonFactory, UserFactory
from tests.security.helpers import log_in, totp_device

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "lands_on"),
    [
        ("alice", "cases:list"),
        ("carol", "board:index"),
        ("dana", "letters:list"),
        ("erin", "admin:index"),
    ],
)
def test_each_role_lands_on_its_own_page(cast, client_for, who, lands_on):
    response = client_for(getattr(cast, who)).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse(lands_on)


def test_a_login_leads_to_the_role_s_page(cast, client, settings):
    settings.DEMO_MODE = False  # the production login: password, then the code
    device = totp_device(cast.carol)
    response = log_in(client, cast.carol, device=device)
    assert response.status_code == 302, response.content.decode()[:500]
    landed = client.get(response["Location"], follow=True)
    assert landed.redirect_chain[-1][0] == reverse("board:index")


def test_the_landing_follows_permissions_not_the_group_s_name(cast, client_for):
    """A caseworker given the right to see every case (directly, not by a group) is sent
    to the board; an account in no group at all, to its cases."""
    cast.alice.user_permissions.add(
        Permission.objects.get(content_type__app_label="cases", codename="view_all_cases")
    )
    assert client_for(cast.alice).get("/")["Location"] == reverse("board:index")
    nobody = UserFactory(username="nobody")
    assert client_for(nobody).get("/")["Location"] == reverse("cases:list")


def test_an_administrator_who_is_not_staff_lands_on_the_board(cast, client_for):
    """The admin would refuse them: they see every case, so the board."""
    cast.erin.is_staff = False
    cast.erin.save(update_fields=["is_staff"])
    assert client_for(cast.erin).get("/")["Location"] == reverse("board:index")


def test_anonymous_visitors_are_asked_to_log_in(client):
    response = client.get("/")
    assert response["Location"].startswith(reverse("login"))


def test_every_landing_page_answers(cast, client_for):
    for user in (cast.alice, cast.carol, cast.dana, cast.erin):
        assert client_for(user).get("/", follow=True).status_code == 200


# --- empty states ---------------------------------------------------------------------


def test_a_caseworker_with_no_case_is_told_what_to_do(cast, client_for):
    html = client_for(cast.oscar).get(reverse("cases:list")).content.decode()
    assert "No case is assigned to you or your team yet. A coordinator assigns cases" in html


def test_a_coordinator_following_no_case_is_pointed_to_the_board(cast, client_for):
    PersonFactory(pseudonym="Azalea", caseworkers=[cast.alice])
    html = client_for(cast.carol).get(reverse("cases:list")).content.decode()
    assert "You follow no case yourself. You may see every case" in html
    assert f'<a href="{reverse("board:index")}">board</a>' in html


def test_an_advocate_without_letters_is_told_how_to_write_one(cast, client_for):
    html = client_for(cast.dana).get("/", follow=True).content.decode()
    assert "No letters yet." in html


def test_the_empty_states_in_korean(cast, client_for):
    for user in (cast.oscar, cast.carol):
        user.language = "ko"
        user.save(update_fields=["language"])
    oscar = client_for(cast.oscar).get(reverse("cases:list")).content.decode()
    assert "코디네이터가 사례를 배정하면" in oscar
    carol = client_for(cast.carol).get(reverse("cases:list")).content.decode()
    assert "모든 사례를 볼 수 있습니다" in carol
