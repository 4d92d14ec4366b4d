import math
from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def whole_minutes(value: timedelta | None) -> int | None:
    """A waiting time in minutes, rounded up: people read "15 minutes", not "PT15M"."""
    if value is None:
        return None
    return max(1, math.ceil(value.total_seconds() / 60))
