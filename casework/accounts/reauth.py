"""Re-authentication before sensitive actions.

A session records when its user last proved who they are (password, plus the second
factor outside demo mode): at login and on the re-authentication page. Views that
reveal identities in bulk, export, purge or change roles put ``require_recent_auth``
on themselves; an older proof sends the user to /accounts/reauth/ and back.
"""

import time
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url

AUTH_AT_KEY = "casework_auth_at"


def auth_stamp(request: HttpRequest) -> None:
    """Record that the user proved who they are just now."""
    request.session[AUTH_AT_KEY] = time.time()


def auth_is_recent(request: HttpRequest, max_age: int | None = None) -> bool:
    max_age = settings.REAUTH_MAX_AGE if max_age is None else max_age
    stamped = request.session.get(AUTH_AT_KEY)
    return stamped is not None and time.time() - float(stamped) <= max_age


def _back_to(request: HttpRequest) -> str:
    """Where to return after re-authenticating: the page, not an htmx fragment URL."""
    if request.headers.get("HX-Request") and request.headers.get("HX-Current-URL"):
        current = urlsplit(request.headers["HX-Current-URL"])
        return current.path + (f"?{current.query}" if current.query else "")
    return request.get_full_path()


def require_recent_auth(view=None, *, max_age: int | None = None):
    """Decorate a view that must not run on a session proven long ago.

    ``@require_recent_auth`` or ``@require_recent_auth(max_age=300)``. A request without
    a recent proof is redirected (GET or POST alike: the action is not carried out) to
    the re-authentication page, which comes back to the same URL.
    """

    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not auth_is_recent(request, max_age):
                response = redirect_to_login(_back_to(request), login_url=resolve_url("reauth"))
                if request.headers.get("HX-Request"):
                    # htmx would swap the re-authentication page into a fragment: make the
                    # whole page go there instead.
                    target = response["Location"]
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = target
                return response
            return view_func(request, *args, **kwargs)

        wrapper.requires_recent_auth = True
        return wrapper

    return decorator(view) if view is not None else decorator
