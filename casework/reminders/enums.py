from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RuleKind(models.TextChoices):
    STALE = "stale", _("No news for N days")
    FOLLOW_UP = "follow_up", _("Follow-up date reached")
    PLANNED_DATE = "planned_date", _("Planned transfer or return date reached")
    ESCALATION = "escalation", _("At risk of return (escalation)")
    LETTER_UNANSWERED = "letter_unanswered", _("Letter without response for N days")


class Audience(models.TextChoices):
    CASEWORKERS = "caseworkers", _("Assigned caseworkers (coordinators when nobody is assigned)")
    COORDINATORS = "coordinators", _("Every coordinator")
    BOTH = "both", _("Assigned caseworkers and every coordinator")


class ReminderState(models.TextChoices):
    OPEN = "open", pgettext_lazy("reminder state", "Open")
    DONE = "done", pgettext_lazy("reminder state", "Done")
    SNOOZED = "snoozed", pgettext_lazy("reminder state", "Snoozed")
    # Its reason ended with the news that closed it (``ClosedBecause``).
    CLOSED = "closed", _("Closed by news")


class ClosedBecause(models.TextChoices):
    NEWS_ARRIVED = "news_arrived", _("News arrived")
    STATUS_CHANGED = "status_changed", _("The status changed")
    PLANNED_MOVE_RECORDED = "planned_move", _("The planned move was recorded")
    LEFT_BORDER_POINT = "left_border_point", _("No longer held at a border point")
    RISK_CHANGED = "risk_changed", _("The risk changed")


# How long a reminder may be put off from the inbox, in days.
SNOOZE_CHOICES = (1, 3, 7, 14)
