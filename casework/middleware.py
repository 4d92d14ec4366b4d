"""Requests no page can answer sensibly, refused before any page is tried."""

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.utils import translation

NUL = "\x00"


class NulCharacterMiddleware:
    """400 Bad Request for a request carrying a NUL character in its path, query,
    cookies or form fields.

    No reference, search, name or password holds one, and PostgreSQL refuses it in text
    with an error that would surface as a 500 wherever the value reaches a query: a
    case reference in the URL, an admin filter, a session cookie, a login name. File
    contents are not looked at: they may hold any byte.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if _carries_nul(request):
            # The 400 page in the request's language (the language cookie, else
            # Accept-Language): this answers before LocaleMiddleware has chosen one.
            translation.activate(translation.get_language_from_request(request))
            # Django answers it with its 400 page and a line in the security log; the
            # value itself is not repeated anywhere.
            raise SuspiciousOperation("A NUL character in the request.")
        return self.get_response(request)


def _carries_nul(request: HttpRequest) -> bool:
    if NUL in request.path_info or NUL in request.META.get("QUERY_STRING", ""):
        return True
    texts = [*request.COOKIES.keys(), *request.COOKIES.values()]
    forms = [request.GET, request.POST] if request.method == "POST" else [request.GET]
    for data in forms:
        for key, values in data.lists():
            texts.append(key)
            texts.extend(values)
    return any(NUL in text for text in texts)
