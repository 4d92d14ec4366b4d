"""Re-authentication before sensitive actions.

A session records when its user last proved who they are (password, plus the second
factor outside demo mode): at login and on the re-authentication page. Views that
reveal identities in bulk, export, purge or change roles put ``require_recent_auth``
on themselves; an older proof sends the user to /accounts/reauth/ and back.
"""

import time
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.shortcuts import resolve_url

AUTH_AT_KEY = "casework_auth_at"


def auth_stamp(request: HttpRequest) -> None:
    """Record that the user proved who they are just now."""
    request.session[AUTH_AT_KEY] = time.time()


def auth_is_recent(request: HttpRequest, max_age: int | None = None) -> bool:
    max_age = settings.REAUTH_MAX_AGE if max_age is None else max_age
    stamped = request.session.get(AUTH_AT_KEY)
    return stamped is not None and time.time() - float(stamped) <= max_age


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
                return redirect_to_login(request.get_full_path(), login_url=resolve_url("reauth"))
            return view_func(request, *args, **kwargs)

        wrapper.requires_recent_auth = True
        return wrapper

    return decorator(view) if view is not None else decorator
