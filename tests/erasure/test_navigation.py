"""Erasure is in the navigation of those who may request it, and nobody else's; anyone
else who opens the page gets the site's own 403 page saying who may request it."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

pytestmark = pytest.mark.django_db

WHO_MAY = "Erasure is requested by an administrator and confirmed by a second administrator."


def nav_of(client) -> str:
    html = client.get(reverse("cases:list")).content.decode()
    return html.split("<nav", 1)[1].split("</nav>", 1)[0]


def test_an_administrator_finds_erasure_in_the_navigation(cast, client_for):
    assert f'<a href="{reverse("erasure:list")}">Erasure</a>' in nav_of(client_for(cast.erin))


@pytest.mark.parametrize("who", ["alice", "carol", "dana"])
def test_others_do_not(cast, client_for, who):
    assert reverse("erasure:list") not in nav_of(client_for(getattr(cast, who)))


def test_the_permission_decides_not_the_role(cast, client_for):
    cast.carol.user_permissions.add(
        Permission.objects.get(content_type__app_label="erasure", codename="erase_person")
    )
    assert reverse("erasure:list") in nav_of(client_for(cast.carol))


def test_a_caseworker_gets_the_site_s_403_page_saying_who_may_request(cast, client_for):
    response = client_for(cast.alice).get(reverse("erasure:list"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Forbidden" not in html
    assert '<a class="brand" href="/">Casework</a>' in html  # the site's own page
    assert "Your role may not open this page" in html
    assert WHO_MAY in html


def test_a_caseworker_s_post_is_refused_alike_and_nothing_is_asked(cast, client_for):
    response = client_for(cast.alice).post(reverse("erasure:list"), {"reference": "P-222222"})
    assert response.status_code == 403
    assert WHO_MAY in response.content.decode()


def test_the_403_page_in_korean(cast, client_for):
    cast.alice.language = "ko"
    cast.alice.save(update_fields=["language"])
    html = client_for(cast.alice).get(reverse("erasure:list")).content.decode()
    assert "삭제는 관리자가 요청하고" in html
    assert "이 페이지를 열 수 없습니다" in html
