"""The interface's language: chosen before login (cookie, Accept-Language), saved on the
account after, switched in one click from every page; account emails in the owner's."""

import datetime as dt
import time

import pytest
from django.conf import settings
from django.core import mail
from django.utils import formats, translation

from casework.accounts import services
from casework.accounts.enums import AccessAction
from casework.accounts.middleware import LAST_SEEN_KEY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KOREAN_LOGIN = ["로그인", "사용자 이름", "비밀번호", 'lang="ko"', "한국어", "English"]
ENGLISH_LOGIN = ["Log in", "Username", "Password"]


def text(response) -> str:
    return response.content.decode()


# --- settings -----------------------------------------------------------------------------


def test_the_locale_middleware_runs_between_the_session_and_common_middleware():
    middleware = settings.MIDDLEWARE
    locale = middleware.index("django.middleware.locale.LocaleMiddleware")
    assert middleware.index("django.contrib.sessions.middleware.SessionMiddleware") < locale
    assert locale < middleware.index("django.middleware.common.CommonMiddleware")
    user_language = middleware.index("casework.accounts.middleware.UserLanguageMiddleware")
    auth = middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert (
        auth
        < user_language
        < middleware.index("casework.accounts.middleware.SessionLifetimeMiddleware")
    )
    assert settings.LOCALE_PATHS == [settings.BASE_DIR / "locale"]
    assert settings.FORMAT_MODULE_PATH == "casework.formats"


@pytest.mark.parametrize(
    ("language", "name", "expected"),
    [
        ("en", "DATE_FORMAT", "5 Dec 2026"),
        ("en", "DATETIME_FORMAT", "5 Dec 2026 14:07"),
        ("en", "YEAR_MONTH_FORMAT", "December 2026"),
        ("en", "SHORT_DATE_FORMAT", "2026-12-05"),
        ("ko", "DATE_FORMAT", "2026년 12월 5일"),
        ("ko", "DATETIME_FORMAT", "2026년 12월 5일 14:07"),
        ("ko", "YEAR_MONTH_FORMAT", "2026년 12월"),
        ("ko", "SHORT_DATE_FORMAT", "2026-12-05"),
    ],
)
def test_dates_are_written_in_each_languages_own_way(language, name, expected):
    moment = dt.datetime(2026, 12, 5, 14, 7)
    with translation.override(language):
        assert formats.date_format(moment, name) == expected


def test_numbers_group_thousands_in_both_languages():
    for language in ("en", "ko"):
        with translation.override(language):
            assert formats.number_format(1234567.5, 1, force_grouping=True) == "1,234,567.5"


# --- before login ---------------------------------------------------------------------


def test_the_login_page_speaks_korean_to_a_korean_browser(client):
    page = text(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ko"))

    for word in KOREAN_LOGIN:
        assert word in page
    for word in ENGLISH_LOGIN:
        assert f">{word}<" not in page


def test_the_login_page_stays_english_by_default(client):
    page = text(client.get("/accounts/login/"))

    assert 'lang="en"' in page
    for word in ENGLISH_LOGIN:
        assert word in page


def test_the_switch_on_the_login_page_keeps_the_choice_in_a_cookie(client):
    login = "/accounts/login/?next=/board/"
    switched = client.post("/accounts/language/", {"language": "ko"}, HTTP_REFERER=login)

    assert switched.status_code == 302
    assert switched["Location"] == login
    cookie = switched.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "ko"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    # The cookie outweighs an English browser.
    assert "로그인" in text(client.get(login, HTTP_ACCEPT_LANGUAGE="en"))


def test_the_two_factor_page_offers_the_switch_and_speaks_korean(client, cast, settings):
    settings.DEMO_MODE = False
    client.post(
        "/accounts/login/", {"username": "erin", "password": "correct horse battery staple"}
    )

    page = text(client.get("/accounts/login/setup/", HTTP_ACCEPT_LANGUAGE="ko"))

    assert "2단계 인증 설정" in page
    assert "Set up two-factor login" not in page
    assert 'action="/accounts/language/"' in page


# --- after login ----------------------------------------------------------------------


def test_the_language_saved_on_the_account_wins_over_the_browser(client, cast):
    cast.alice.language = "ko"
    cast.alice.save()
    client.force_login(cast.alice)

    page = text(client.get("/cases/P-NOPE00/", HTTP_ACCEPT_LANGUAGE="en"))

    assert 'lang="ko"' in page
    assert "찾을 수 없음" in page
    assert "로그아웃" in page
    for word in ("Not found", "Log out", ">Cases<", ">Board<", ">Inbox<"):
        assert word not in page


def test_an_account_without_a_language_follows_the_browser(client, cast):
    client.force_login(cast.alice)

    assert "찾을 수 없음" in text(client.get("/cases/P-NOPE00/", HTTP_ACCEPT_LANGUAGE="ko"))
    assert "Not found" in text(client.get("/cases/P-NOPE00/", HTTP_ACCEPT_LANGUAGE="en"))


def test_the_switch_saves_the_choice_on_the_account(client, cast):
    client.force_login(cast.alice)

    switched = client.post(
        "/accounts/language/", {"language": "ko"}, HTTP_REFERER="http://testserver/cases/?q=x"
    )

    assert switched["Location"] == "http://testserver/cases/?q=x"
    cast.alice.refresh_from_db()
    assert cast.alice.language == "ko"
    # Another browser, English by its own settings, gets Korean too.
    client.cookies.clear()
    client.force_login(cast.alice)
    assert "찾을 수 없음" in text(client.get("/cases/P-NOPE00/", HTTP_ACCEPT_LANGUAGE="en"))


def test_the_switch_back_to_english_is_saved_too(client, cast):
    cast.alice.language = "ko"
    cast.alice.save()
    client.force_login(cast.alice)

    client.post("/accounts/language/", {"language": "en", "next": "/inbox/"})

    cast.alice.refresh_from_db()
    assert cast.alice.language == "en"
    assert "Not found" in text(client.get("/cases/P-NOPE00/", HTTP_ACCEPT_LANGUAGE="ko"))


@pytest.mark.parametrize("language", ["", "zh-hans", "fr", "ko<script>", "x" * 300])
def test_a_language_not_offered_is_refused_with_a_clear_message(client, cast, language):
    client.force_login(cast.alice)

    refused = client.post("/accounts/language/", {"language": language})

    assert refused.status_code == 400
    page = text(refused)
    assert "is not a language Casework offers" in page
    assert "en (English), ko (한국어)" in page
    assert "<script>" not in page
    cast.alice.refresh_from_db()
    assert cast.alice.language == ""


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_the_switch_never_sends_anyone_to_another_site(client, next_url):
    switched = client.post("/accounts/language/", {"language": "ko", "next": next_url})

    assert switched.status_code == 302
    assert switched["Location"] == "/"


def test_the_switch_needs_a_post(client):
    assert client.get("/accounts/language/?language=ko").status_code == 405


def test_the_service_refuses_a_language_not_offered(cast):
    with pytest.raises(ValueError, match="Not an interface language"):
        services.user_language_set(user=cast.alice, language="zh-hans")
    services.user_language_set(user=cast.alice, language="ko")
    cast.alice.refresh_from_db()
    assert cast.alice.language == "ko"


def test_an_idle_logout_is_announced_in_the_users_language(client, cast):
    cast.alice.language = "ko"
    cast.alice.save()
    client.force_login(cast.alice)
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - settings.SESSION_IDLE_TIMEOUT - 60
    session.save()

    page = text(client.get("/cases/", follow=True))

    assert "일정 시간 활동이 없어 로그아웃되었습니다." in page
    assert "로그인" in page
    assert "inactivity" not in page


# --- the admin ---------------------------------------------------------------------------


def test_the_admin_follows_the_users_language_and_offers_the_switch(client, cast):
    cast.erin.language = "ko"
    cast.erin.save()
    client.force_login(cast.erin)

    page = text(client.get("/admin/"))

    assert 'lang="ko"' in page
    assert "사례 기록 및 관리" in page  # the index title
    assert "계정 및 접근 권한" in page  # the accounts app
    assert "Case records and administration" not in page
    assert 'action="/accounts/language/"' in page
    assert 'value="en"' in page and "한국어" in page


def test_the_admins_user_form_offers_the_language(client, cast):
    client.force_login(cast.erin)

    page = text(client.get(f"/admin/accounts/user/{cast.alice.pk}/change/"))

    assert 'name="language"' in page


# --- errors and emails ----------------------------------------------------------------


def test_a_bad_request_answers_in_the_browsers_language(client):
    refused = client.get("/cases/", {"q": "a\x00b"}, HTTP_ACCEPT_LANGUAGE="ko")

    assert refused.status_code == 400
    assert "잘못된 요청" in text(refused)
    assert "Bad request" not in text(refused)


def test_an_account_email_speaks_its_owners_language(
    cast, client_for, django_capture_on_commit_callbacks
):
    cast.oscar.email = "oscar@example.org"
    cast.oscar.language = "ko"
    cast.oscar.save()

    with django_capture_on_commit_callbacks(execute=True):
        # The administrator reads the admin in English.
        client_for(cast.erin).post(
            "/admin/accounts/user/",
            {"action": "reset_two_factor", "_selected_action": [str(cast.oscar.pk)]},
        )

    [email] = mail.outbox
    assert email.subject == "[Casework] 관리자가 2단계 인증을 초기화했습니다"
    assert "2단계 인증을 초기화했습니다" in email.body
    assert "년" in email.body and "월" in email.body  # the date, written the Korean way
    assert "administrator" not in email.body


def test_an_account_email_stays_english_for_an_english_owner_of_a_korean_admin(
    cast, django_capture_on_commit_callbacks
):
    cast.oscar.email = "oscar@example.org"
    cast.oscar.save()

    with translation.override("ko"), django_capture_on_commit_callbacks(execute=True):
        services.account_reset_record(
            actor=cast.erin, target=cast.oscar, action=AccessAction.RESET_PASSWORD
        )

    [email] = mail.outbox
    assert email.subject == "[Casework] Your password was changed by an administrator"


def test_a_password_reset_email_speaks_its_owners_language(client, db):
    UserFactory(username="minji", email="minji@example.org", language="ko")

    client.post("/accounts/password_reset/", {"email": "minji@example.org"})

    [email] = mail.outbox
    assert email.subject == "[Casework] 새 비밀번호 설정"
    assert "새 비밀번호를 정하려면" in email.body
    assert "To choose a new password" not in email.body
