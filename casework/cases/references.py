"""Case and letter references in URLs, whatever the case of their letters.

References are read out on the phone and typed on small keyboards; the search already
accepts ``p-p8j7sw``. A URL does too: a reference typed in lower case is answered with a
permanent redirect to the page's one address, in capitals, before anything else is
asked, so the answer tells nothing about whether the case exists or may be seen.
"""

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse

from casework.cases.permissions import reference_is_well_formed


def reference_canonical(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a view whose URL takes ``reference``: a well-formed reference in lower (or
    mixed) case is redirected to its capitals (GET, HEAD) or read in capitals (a form's
    POST, which a redirect would turn into a GET)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, reference: str, **kwargs) -> HttpResponse:
        canonical = reference.upper()
        if canonical != reference and reference_is_well_formed(canonical, prefix=canonical[:1]):
            if request.method in ("GET", "HEAD"):
                match = request.resolver_match
                url = reverse(match.view_name, kwargs={**match.kwargs, "reference": canonical})
                if request.META.get("QUERY_STRING"):
                    url = f"{url}?{request.META['QUERY_STRING']}"
                return HttpResponsePermanentRedirect(url)
            reference = canonical
        return view(request, *args, reference=reference, **kwargs)

    return wrapped
