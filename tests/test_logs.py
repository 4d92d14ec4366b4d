"""No query string reaches a log: a search term may be a person's name (casework/logs.py)."""

import io
import logging

import pytest
from django.test import Client

from casework.logs import RedactQueryStrings, redact_query_strings

CANARY = "Canarynamekim"


@pytest.fixture
def console():
    """What the app's console handler (the root logger's) writes, as a string."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.django_db
def test_a_refused_form_does_not_log_the_search_in_its_referer(console):
    """A post without Origin has its Referer checked, and the refusal names it."""
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/accounts/login/",
        {"username": "someone"},
        secure=True,
        HTTP_REFERER=f"https://elsewhere.example/cases/?q={CANARY}",
    )

    assert response.status_code == 403
    written = console.getvalue()
    assert "Referer checking failed - https://elsewhere.example/cases/?[query removed]" in written
    assert CANARY not in written


def test_the_development_servers_request_lines_lose_their_query_strings():
    handler = next(h for h in logging.getLogger("django.server").handlers if h.name)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        logging.getLogger("django.server").info(
            '"%s" %s %s', f"GET /cases/?q={CANARY}&status=detained HTTP/1.1", "200", "512"
        )
    finally:
        handler.setStream(previous)

    assert '"GET /cases/?[query removed] HTTP/1.1" 200 512' in stream.getvalue()


def test_a_traceback_loses_the_query_strings_in_it():
    record = logging.LogRecord("gunicorn.error", logging.ERROR, __file__, 1, "Error", None, None)
    try:
        raise ValueError(f"bad request /cases/?q={CANARY}")
    except ValueError as exc:
        record.exc_info = (type(exc), exc, exc.__traceback__)

    RedactQueryStrings().filter(record)

    assert CANARY not in logging.Formatter().format(record)
    assert "/cases/?[query removed]" in record.exc_text


@pytest.mark.parametrize(
    ("line", "logged"),
    [
        (f"GET /cases/?q={CANARY} HTTP/1.1", "GET /cases/?[query removed] HTTP/1.1"),
        (
            f"redirect to /accounts/login/?next=/cases/%3Fq%3D{CANARY}",
            "redirect to /accounts/login/?[query removed]",
        ),
        (
            f"'https://casework.example.org/board/?q={CANARY}'",
            "'https://casework.example.org/board/?[query removed]'",
        ),
        ("Not Found: /cases/P-7K3QXA/", "Not Found: /cases/P-7K3QXA/"),
        ("Is Redis up? It answered.", "Is Redis up? It answered."),
    ],
)
def test_query_strings_are_cut_and_nothing_else(line, logged):
    assert redact_query_strings(line) == logged
