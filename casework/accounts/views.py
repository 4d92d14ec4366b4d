"""Login in two steps (password, then second factor), enrolment, re-authentication.

Outside demo mode the password step does not log anyone in: it remembers, in a fresh
session, who passed it and when, and sends them to the second factor (or to set one up
on first login). Only a correct code calls django.contrib.auth.login, which gives the
session a new key. Wrong codes count as failed logins for django-axes.
"""

import base64
import time

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, user_login_failed
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import FormView
from django_otp import login as otp_login

from casework.accounts import roles, services
from casework.accounts.forms import PasswordResetForm, ReauthForm, TokenForm
from casework.accounts.middleware import language_cookie_set, language_offered
from casework.accounts.reauth import auth_stamp, require_recent_auth

PENDING_KEY = "casework_pending_login"
WRONG_CODE = _("That code was not accepted. Codes can be used only once; wait for the next one.")


@login_required
def home(request):
    """``/``, where every login leads (``LOGIN_REDIRECT_URL``): the page the user's daily
    work starts from (``roles.landing_url_name``), not an empty "My cases" for those who
    follow no cases."""
    return redirect(roles.landing_url_name(request.user))


def _safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _pending_user(request):
    """The user who passed the password step in this session, if recently enough."""
    pending = request.session.get(PENDING_KEY)
    if not pending:
        return None
    if time.time() - pending["at"] > settings.LOGIN_PENDING_MAX_AGE:
        del request.session[PENDING_KEY]
        return None
    user = get_user_model()._default_manager.filter(pk=pending["user_id"], is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user


def _credentials(user) -> dict:
    return {get_user_model().USERNAME_FIELD: user.get_username()}


def _login_complete(request, user, device) -> str:
    """Log the user in after both factors; return where to go next."""
    pending = request.session.pop(PENDING_KEY)
    auth_login(request, user, backend=pending["backend"])
    otp_login(request, device)
    return _safe_next(request, pending.get("next"))


def _code_refused(request, user):
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by email, in Casework's words, with links to SITE_URL.

    Django builds the link and the signature from the request's Host header, which
    whoever sends the request chooses; the address Casework is served at is settled
    in the settings instead.
    """

    form_class = PasswordResetForm
    email_template_name = "emails/password-reset-body.txt"
    subject_template_name = "emails/password-reset-subject.txt"

    @property
    def extra_email_context(self):
        return {
            "site_url": settings.SITE_URL.rstrip("/"),
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"

    def form_valid(self, form):
        if settings.DEMO_MODE:
            return super().form_valid(form)
        user = form.get_user()
        session = self.request.session
        # A new key before anything is stored against it: a planted cookie learns nothing.
        session.cycle_key()
        session[PENDING_KEY] = {
            "user_id": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_redirect_url(),
        }
        if services.two_factor_is_enrolled(user=user):
            return redirect("login_verify")
        return redirect("login_setup")


@method_decorator([sensitive_post_parameters(), csrf_protect, never_cache], name="dispatch")
class LoginVerifyView(FormView):
    template_name = "registration/login_verify.html"
    form_class = TokenForm

    def dispatch(self, request, *args, **kwargs):
        self.user = _pending_user(request)
        if self.user is None:
            return redirect("login")
        if not services.two_factor_is_enrolled(user=self.user):
            return redirect("login_setup")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        request = self.request
        credentials = _credentials(self.user)
        if not AxesProxyHandler.is_allowed(request, credentials):
            return get_lockout_response(request, credentials=credentials)
        device = services.two_factor_verify(user=self.user, token=form.cleaned_data["token"])
        if device is None:
            _code_refused(request, self.user)
            form.add_error("token", WRONG_CODE)
            return self.form_invalid(form)
        return redirect(_login_complete(request, self.user, device))


@method_decorator([sensitive_post_parameters(), csrf_protect, never_cache], name="dispatch")
class LoginSetupView(FormView):
    """First login outside demo mode: set up an authenticator, get recovery codes."""

    template_name = "registration/login_setup.html"
    form_class = TokenForm

    def dispatch(self, request, *args, **kwargs):
        self.user = _pending_user(request)
        if self.user is None:
            return redirect("login")
        if services.two_factor_is_enrolled(user=self.user):
            return redirect("login_verify")
        self.device = services.two_factor_enrolment_start(user=self.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        secret = base64.b32encode(self.device.bin_key).decode("ascii").rstrip("=")
        qr = segno.make(self.device.config_url, error="m")
        return super().get_context_data(
            qr_svg=qr.svg_inline(scale=4, dark="#1b1f24", light="#ffffff"),
            secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            **kwargs,
        )

    def form_valid(self, form):
        request = self.request
        credentials = _credentials(self.user)
        if not AxesProxyHandler.is_allowed(request, credentials):
            return get_lockout_response(request, credentials=credentials)
        codes = services.two_factor_enrolment_confirm(
            device=self.device, token=form.cleaned_data["token"]
        )
        if codes is None:
            _code_refused(request, self.user)
            form.add_error("token", WRONG_CODE)
            return self.form_invalid(form)
        self.device.refresh_from_db()
        next_url = _login_complete(request, self.user, self.device)
        return render(
            request, "registration/recovery_codes.html", {"codes": codes, "next_url": next_url}
        )


@method_decorator(
    [login_required, sensitive_post_parameters(), csrf_protect, never_cache], name="dispatch"
)
class ReauthView(FormView):
    """Prove it is still you: password, and the second factor outside demo mode."""

    template_name = "registration/reauth.html"
    form_class = ReauthForm

    def form_valid(self, form):
        request = self.request
        user = request.user
        checked = authenticate(
            request, username=user.get_username(), password=form.cleaned_data["password"]
        )
        if checked is None or checked.pk != user.pk:
            form.add_error("password", gettext("That password is not correct."))
            return self.form_invalid(form)
        if not settings.DEMO_MODE:
            device = services.two_factor_verify(user=user, token=form.cleaned_data["token"])
            if device is None:
                _code_refused(request, user)
                form.add_error("token", WRONG_CODE)
                return self.form_invalid(form)
        auth_stamp(request)
        return redirect(_safe_next(request, request.GET.get("next")))


@require_http_methods(["GET", "POST"])
@login_required
@require_recent_auth
def recovery_codes_renew(request):
    """New recovery codes, replacing the old ones; shown once (GET asks, POST issues)."""
    if request.method == "GET":
        return render(request, "registration/recovery_codes.html", {"codes": None})
    codes = services.recovery_codes_issue(user=request.user)
    return render(
        request,
        "registration/recovery_codes.html",
        {"codes": codes, "next_url": resolve_url(settings.LOGIN_REDIRECT_URL)},
    )


@require_POST
def language_set(request):
    """The language switch in every page's header (and the admin's): one click.

    A logged-in user's choice is saved on the account (and follows them to any
    browser); anyone's is kept in the language cookie, which the login page reads.
    Then back to the page the switch was pressed on, if it is one of ours: ``next``
    when given, else the Referer (the switch's form writes no ``next``, so that no page
    repeats its own address, which may hold a searched name, in its HTML).
    """
    language = request.POST.get("language", "")
    if not language_offered(language):
        offered = ", ".join(
            f"{code} ({translation.get_language_info(code)['name_local']})"
            for code, _name in settings.LANGUAGES
        )
        message = gettext(
            "“%(language)s” is not a language Casework offers. Choose one of: %(offered)s."
        ) % {"language": language[:20], "offered": offered}
        return render(request, "400.html", {"message": message}, status=400)
    if request.user.is_authenticated:
        services.user_language_set(user=request.user, language=language)
    next_url = request.POST.get("next") or request.headers.get("Referer")
    response = redirect(_safe_next(request, next_url))
    language_cookie_set(response, language)
    return response
