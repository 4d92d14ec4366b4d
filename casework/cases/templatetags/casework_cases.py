from html import escape

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from casework.cases.enums import Confidence, Status
from casework.cases.models import date_with_precision
from casework.cases.places import (
    facility_display_name,
    facility_display_with_province,
    province_display,
)
from casework.cases.state import planned_move_overdue, status_tone

register = template.Library()

# Looked up once per row in lists and timelines: ``Status.values`` builds a new list on
# every call.
_STATUS_LABELS = dict(Status.choices)
_CONFIDENCE_LABELS = dict(Confidence.choices)


@register.filter
def status_label(value: str) -> str:
    """'returned' → 'Returned (forcibly repatriated)'; unknown values pass through."""
    return _STATUS_LABELS.get(value, value)


@register.filter(name="status_tone")
def status_tone_filter(value: str) -> str:
    """The badge's CSS class of a status (``casework/cases/state.py``)."""
    return status_tone(value)


@register.filter
def confidence_label(value: str) -> str:
    return _CONFIDENCE_LABELS.get(value, value)


@register.filter(name="province")
def province_filter(value: str) -> str:
    """A stored province in the reader's language: 'Jilin' → 지린성 (``places``)."""
    return province_display(value)


@register.simple_tag
def facility_place(name_en: str, name_ko: str = "", province: str = "") -> str:
    """A facility read as values (no object) as the reader sees it: 'name, province' in
    their script and language (``Facility.display_name``, ``province_display``)."""
    return facility_display_with_province(facility_display_name(name_en, name_ko), province)


@register.simple_tag
def precise_date(value, precision) -> str:
    return date_with_precision(value, precision)


@register.simple_tag
def status_badge(status: str) -> str:
    """A status as a badge coloured by its class: a tag, not an include, since lists and
    timelines draw one per row."""
    return format_html(
        '<span class="{}">{}</span>',
        " ".join(filter(None, ["badge", f"status-{status}", status_tone(status)])),
        status_label(status),
    )


@register.simple_tag
def planned_move(planned_on) -> str:
    """A case's planned transfer or return day, or, once it has passed, the question
    whether it happened (``state.planned_move_overdue``), with the day it was planned."""
    if planned_on is None:
        return ""
    day = date_format(planned_on, "DATE_FORMAT")
    if not planned_move_overdue(planned_on):
        return day
    return format_html(
        '<span class="badge warn overdue">{}</span> <span class="small">({})</span>',
        _("overdue — did it happen?"),
        _("planned %(day)s") % {"day": day},
    )


@register.filter
def datalist_options(values) -> str:
    """A datalist's options (caseworkers, facilities), escaped in one pass: a template
    loop or ``format_html`` per option cost more than the page's own queries with
    hundreds of names."""
    # Safe to mark: every value is escaped (quotes included) before it is joined.
    return mark_safe("".join(f'<option value="{escape(str(value))}">' for value in values))  # noqa: S308  # nosec B308 B703
