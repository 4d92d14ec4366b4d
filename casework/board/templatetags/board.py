from django import template

from casework.board import labels
from casework.cases.enums import Status

register = template.Library()


@register.filter
def status_label(value: str | None) -> str:
    """The label of a status annotation (annotations have no get_..._display)."""
    try:
        return str(Status(value).label)
    except ValueError:
        return value or ""


@register.filter
def status_short(value: str | None) -> str:
    """'Returned' for 'returned' (the full label has a gloss): for badges in narrow columns."""
    return labels.status_short(value)


@register.filter
def facility_name(value: str | None) -> str:
    """A row's ``current_facility_name`` as the reader reads it (``labels.facility_name``)."""
    return labels.facility_name(value)


@register.filter
def province_name(value: str | None) -> str:
    """A province as the reader reads it (``labels.province_name``)."""
    return labels.province_name(value)
