"""Session and response controls that apply to every page, present and future."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "casework_session_started"
LAST_SEEN_KEY = "casework_last_seen"
# Only write the last-seen time this often, so a burst of requests saves the session once.
_LAST_SEEN_RESOLUTION = 30


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every dynamic response.

    Case data must not stay in a shared computer's browser cache or a proxy. Static
    files are answered earlier by WhiteNoise and keep their long-lived caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


def language_offered(code: str | None) -> bool:
    """Whether ``code`` is one of the interface's languages (settings.LANGUAGES)."""
    return bool(code) and code in dict(settings.LANGUAGES)


class UserLanguageMiddleware:
    """Pages, messages and emails of a logged-in user in the language saved on the account.

    Django's LocaleMiddleware, earlier, has chosen from the language cookie or the
    browser's Accept-Language: that choice stands before login and for an account
    without a saved language. The cookie is brought in line with the account, so the
    login page after a logout keeps speaking the same language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = user.language if user is not None and user.is_authenticated else ""
        if not language_offered(language):
            return self.get_response(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            language_cookie_set(response, language)
        return response


def language_cookie_set(response, language: str) -> None:
    """Remember ``language`` in the browser, with the settings' cookie flags."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class SessionLifetimeMiddleware:
    """Log out a session idle for SESSION_IDLE_TIMEOUT or older than SESSION_ABSOLUTE_LIFETIME.

    Django's own expiry slides with activity; a stolen session cookie must stop working
    even while it is being used, hence the absolute lifetime counted from login.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.get(SESSION_STARTED_KEY)
            last_seen = session.get(LAST_SEEN_KEY)
            if started is None:
                session[SESSION_STARTED_KEY] = started = now
            if last_seen is None:
                last_seen = now
            idle = now - float(last_seen) > settings.SESSION_IDLE_TIMEOUT
            too_old = now - float(started) > settings.SESSION_ABSOLUTE_LIFETIME
            if idle or too_old:
                logout(request)
                messages.info(
                    request,
                    _("You were logged out after a period of inactivity.")
                    if idle
                    else _("Your session has ended; please log in again."),
                )
                return redirect_to_login(request.get_full_path())
            if now - float(last_seen) >= _LAST_SEEN_RESOLUTION or LAST_SEEN_KEY not in session:
                session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Outside demo mode, a logged-in session without a verified second factor is refused.

    The login view only logs a user in after the second factor, so this catches every
    other way into a session: the admin's own login form, a password-reset login, a
    session created by code. Such a session is ended and sent to the login page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not settings.DEMO_MODE
            and request.user.is_authenticated
            and not request.user.is_verified()
        ):
            logout(request)
            return redirect_to_login(request.get_full_path(), login_url=reverse("login"))
        return self.get_response(request)
