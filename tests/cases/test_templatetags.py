"""The labels the case pages draw for each row's status and confidence."""

from casework.cases.enums import Confidence, Status
from casework.cases.templatetags.casework_cases import (
    confidence_label,
    status_badge,
    status_label,
)


def test_a_status_is_shown_by_its_label_and_anything_else_as_it_is():
    assert status_label(Status.RETURNED) == "Returned (forcibly repatriated)"
    assert status_label("no-such-status") == "no-such-status"
    assert status_label("") == ""


def test_a_confidence_is_shown_by_its_label_and_anything_else_as_it_is():
    for value, label in Confidence.choices:
        assert confidence_label(value) == label
    assert confidence_label("guess") == "guess"


def test_a_status_badge_is_coloured_by_its_status_and_escapes_what_it_does_not_know():
    assert status_badge(Status.RETURNED) == (
        '<span class="badge status-returned danger">Returned (forcibly repatriated)</span>'
    )
    assert status_badge("<b>") == '<span class="badge status-&lt;b&gt;">&lt;b&gt;</span>'
