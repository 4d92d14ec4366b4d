from django import template

from casework.board import labels
from casework.board.reports import shown
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
def small_count(n: int, suppress: bool) -> str:
    """A count as the report's tables print it (``reports.shown``): "<3" when suppressed."""
    return shown(n, suppress=bool(suppress))
