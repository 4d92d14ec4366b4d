from django.db import models


class RuleKind(models.TextChoices):
    STALE = "stale", "No news for N days"
    FOLLOW_UP = "follow_up", "Follow-up date reached"
    PLANNED_DATE = "planned_date", "Planned transfer or return date reached"
    ESCALATION = "escalation", "At risk of return (escalation)"
    LETTER_UNANSWERED = "letter_unanswered", "Letter without response for N days"


class Audience(models.TextChoices):
    CASEWORKERS = "caseworkers", "Assigned caseworkers (coordinators when nobody is assigned)"
    COORDINATORS = "coordinators", "Every coordinator"
    BOTH = "both", "Assigned caseworkers and every coordinator"


class ReminderState(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    SNOOZED = "snoozed", "Snoozed"
    # Its reason ended with the news that closed it (``ClosedBecause``).
    CLOSED = "closed", "Closed by news"


class ClosedBecause(models.TextChoices):
    NEWS_ARRIVED = "news_arrived", "News arrived"
    STATUS_CHANGED = "status_changed", "The status changed"
    PLANNED_MOVE_RECORDED = "planned_move", "The planned move was recorded"
    LEFT_BORDER_POINT = "left_border_point", "No longer held at a border point"
    RISK_CHANGED = "risk_changed", "The risk changed"


# How long a reminder may be put off from the inbox, in days.
SNOOZE_CHOICES = (1, 3, 7, 14)
