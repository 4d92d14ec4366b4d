"""The erasure pages and messages in Korean, for an administrator who reads Korean."""

import re

import pytest

from casework.erasure.models import Erasure
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def korean_admins(cast):
    cast.erin.language = "ko"
    cast.erin.save()
    frank = UserFactory(username="frank", role="Administrator", language="ko")
    return cast.erin, frank


def test_the_erasure_page_speaks_korean(korean_admins, client):
    erin, frank = korean_admins
    person = PersonFactory(pseudonym="Winter crane")
    client.force_login(erin)

    asked = client.post("/erasure/", {"reference": person.reference}, follow=True)
    page = asked.content.decode()

    assert f"{person.reference}의 삭제를 요청했습니다. 다른 관리자가 확인해야 합니다." in page
    for korean in ("삭제권", "참조번호", "삭제 요청", "다른 관리자의 확인 대기 중", "요청자"):
        assert korean in page
    assert "다른 관리자의 확인 필요" in page  # the badge on one's own request
    assert re.search(r"\d{4}년 \d{1,2}월 \d{1,2}일 \d\d:\d\d", page)  # DATETIME_FORMAT
    for english in ("Right to erasure", "Ask for erasure", "Asked by", "needs another"):
        assert english not in page

    refused = client.post(f"/erasure/{Erasure.objects.get().pk}/confirm/", follow=True)
    assert "본인이 요청했으므로 다른 관리자가 확인해야 합니다" in refused.content.decode()

    client.force_login(frank)
    done = client.post(f"/erasure/{Erasure.objects.get().pk}/confirm/", follow=True)
    page = done.content.decode()
    assert "대상자의 기록을 모든 곳에서 영구 삭제했습니다." in page
    assert "영구 삭제됨" in page  # the outcome column
    assert "Erased" not in page


def test_an_unknown_reference_is_refused_in_korean(korean_admins, client):
    client.force_login(korean_admins[0])

    page = client.post("/erasure/", {"reference": "P-ZZZZZZ"}).content.decode()

    assert "이 참조번호로 볼 수 있는 사례가 없습니다." in page
    assert "No case you can see" not in page
