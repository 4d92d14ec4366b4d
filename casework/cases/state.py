"""What each status means for a case, in one place.

Every rule that depends on a status (in custody, at risk, final, how long without news
is too long, the badge, the board's headline) reads the table below, so adding a status
means adding one row here (and its words in the letter languages,
``casework/letters/wording.py``). Tests fail when a status lacks either.

Staleness has one source at run time: the "no news" reminder rule an administrator
edits, per status (``stale_limits``); the days here are only what a status starts with
when no rule says otherwise.
"""

import contextvars
import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from casework.cases.enums import Status


@dataclass(frozen=True)
class StatusFacts:
    # Held by the authorities: can be moved or sent back.
    in_custody: bool
    # At imminent risk of return by this status alone (others need a border point or a
    # planned move while in custody).
    at_risk: bool
    # The custody story ended: nothing planned can still happen to the person.
    final: bool
    # Days without news after which the case is stale, until a rule says otherwise;
    # None: the status never goes stale.
    stale_after_days: int | None
    # The badge's tone (a CSS class of ``.badge``): "danger", "warn", "ok" or "".
    tone: str
    # The group of the board's headline the status is counted in
    # (``casework/board/selectors.py``, ``OUTCOMES``).
    outcome: str


STATUS_FACTS: dict[str, StatusFacts] = {
    Status.AT_LARGE: StatusFacts(False, False, False, 30, "", "at_large"),
    Status.DETAINED: StatusFacts(True, False, False, 7, "warn", "in_custody"),
    Status.TRANSFERRED: StatusFacts(True, False, False, 7, "warn", "in_custody"),
    Status.AT_RISK_OF_RETURN: StatusFacts(True, True, False, 2, "danger", "in_custody"),
    Status.RETURNED: StatusFacts(False, False, True, 60, "danger", "returned"),
    Status.RELEASED: StatusFacts(False, False, True, 90, "ok", "released"),
    Status.IN_SAFE_COUNTRY: StatusFacts(False, False, True, 365, "ok", "in_safe_country"),
    Status.DISAPPEARED: StatusFacts(False, False, False, 14, "", "fate_unknown"),
    Status.DECEASED: StatusFacts(False, False, True, None, "", "deceased"),
    Status.UNKNOWN: StatusFacts(False, False, False, 30, "", "fate_unknown"),
}

_missing = set(Status.values) - set(STATUS_FACTS)
if _missing:  # pragma: no cover - a developer's mistake, caught on import
    raise ImportError(f"Statuses without facts in casework/cases/state.py: {sorted(_missing)}")

IN_CUSTODY = frozenset(s for s, facts in STATUS_FACTS.items() if facts.in_custody)
AT_RISK_BY_STATUS = frozenset(s for s, facts in STATUS_FACTS.items() if facts.at_risk)
FINAL = frozenset(s for s, facts in STATUS_FACTS.items() if facts.final)
DEFAULT_STALE_AFTER_DAYS: dict[str, int] = {
    s: facts.stale_after_days for s, facts in STATUS_FACTS.items() if facts.stale_after_days
}


def status_tone(status: str) -> str:
    """The badge's CSS class for ``status`` ("" for a value outside the vocabulary)."""
    facts = STATUS_FACTS.get(status)
    return facts.tone if facts else ""


# --- at risk ------------------------------------------------------------------------


def at_risk_when(*, status: str, at_border_point: Q, planned: Q) -> Q:
    """The rule for imminent risk of return, on any columns: at risk by status, or in
    custody and held at a border point or with a transfer or return date known.

    ``status`` names the status column; the two conditions are on the caller's columns
    (the stored current status, or the board tallies). Spelled "in custody, and ..." so
    that the status leads and an index on it serves the whole condition.
    """
    return Q(**{f"{status}__in": sorted(IN_CUSTODY)}) & (
        Q(**{f"{status}__in": sorted(AT_RISK_BY_STATUS)}) | at_border_point | planned
    )


def risk_reasons(*, status: str, border_point: bool | None, facility_id, planned_on) -> list[str]:
    """``at_risk_when`` for one person, as the reasons that hold (none: not at risk)."""
    if status not in IN_CUSTODY:
        return []
    reasons = []
    if status in AT_RISK_BY_STATUS:
        reasons.append("risk")
    if border_point:
        reasons.append(f"border:{facility_id}")
    if planned_on:
        reasons.append(f"planned:{planned_on.isoformat()}")
    return reasons


# --- stale --------------------------------------------------------------------------

# Registered by the reminders app (its ``AppConfig.ready``): the days of the "no news"
# rules by status, as administrators set them. The cases app does not import it.
stale_rules_source: list[Callable[[], dict[str, int]]] = []

# Within a request, the limits read once (``StaleLimitsPerRequest``); None outside one.
_request_limits: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "stale_limits", default=None
)


def planned_move_overdue(
    planned_on: datetime.date | None, today: datetime.date | None = None
) -> bool:
    """Whether a case's planned transfer or return day has passed with nothing recorded
    since (the plan is still the case's latest word): no longer what will happen, but a
    question for the caseworker, "did it happen?". The case page and the inbox ask it."""
    return planned_on is not None and planned_on < (today or timezone.localdate())


def stale_limits() -> dict[str, int]:
    """Days without news after which a case is stale, by status: the rules an
    administrator edits, else the status's default. Read once per request."""
    scope = _request_limits.get()
    if scope is not None and "limits" in scope:
        return scope["limits"]
    limits = dict(DEFAULT_STALE_AFTER_DAYS)
    for source in stale_rules_source:
        limits.update({s: d for s, d in source().items() if s in limits and d})
    if scope is not None:
        scope["limits"] = limits
    return limits


class StaleLimitsPerRequest:
    """Middleware: the staleness limits are read at most once per request, and never
    carried from one request to the next (an administrator's edit shows at once)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_limits.set({})
        try:
            return self.get_response(request)
        finally:
            _request_limits.reset(token)
