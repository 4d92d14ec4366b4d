"""Reminder rules (what falls due) and reminders (who must act on which case, when).

A reminder is derived from the data by the sweep; the unique constraint on (rule,
person, due period, recipient) makes a second beat, a retried task or a repeated
sweep harmless.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from casework.cases.enums import Status
from casework.cases.models import Person
from casework.reminders.enums import Audience, ClosedBecause, ReminderState, RuleKind


class ReminderRule(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        blank=True,
        help_text=_("For “no news” rules: the current status the rule applies to."),
    )
    days = models.PositiveSmallIntegerField(
        _("days"),
        null=True,
        blank=True,
        help_text=_("For “no news” and letter rules: days without news or response."),
    )
    audience = models.CharField(
        pgettext_lazy("reminder rule", "audience"),
        max_length=12,
        choices=Audience.choices,
        default=Audience.CASEWORKERS,
    )
    active = models.BooleanField(_("active"), default=True)
    send_email = models.BooleanField(
        _("send email"),
        default=True,
        help_text=_("Also email the reminder (reference and link only)."),
    )

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        ordering = ["kind", "status"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "status"], name="reminder_rule_kind_status"),
            models.CheckConstraint(
                condition=~Q(kind__in=[RuleKind.STALE, RuleKind.LETTER_UNANSWERED])
                | Q(days__isnull=False, days__gte=1),
                name="reminder_rule_days_required",
                violation_error_message=_("A “no news” or letter rule needs a number of days."),
            ),
        ]

    def __str__(self) -> str:
        """The rule in the active language: rendered whenever it is read (the inbox, an
        email in its recipient's language), never stored as text."""
        if self.days is None and self.kind in (RuleKind.STALE, RuleKind.LETTER_UNANSWERED):
            # An unsaved rule missing its days (the admin form refuses it).
            return self.get_kind_display()
        if self.kind == RuleKind.STALE:
            return no_news_for(self.days, self.get_status_display())
        if self.kind == RuleKind.LETTER_UNANSWERED:
            return ngettext(
                "Letter without response for %(days)d day",
                "Letter without response for %(days)d days",
                self.days,
            ) % {"days": self.days}
        return self.get_kind_display()


def no_news_for(days: int, status: str) -> str:
    """Wording such as "No news for 17 days while at risk of return", in the active
    language (the status's label too)."""
    return ngettext(
        "No news for %(days)d day while %(status)s",
        "No news for %(days)d days while %(status)s",
        days,
    ) % {"days": days, "status": str(status).lower()}


class ReminderQuerySet(models.QuerySet):
    def pending(self, today=None):
        """Open, or snoozed until a day that has come."""
        today = today or timezone.localdate()
        return self.filter(
            Q(state=ReminderState.OPEN) | Q(state=ReminderState.SNOOZED, snoozed_until__lte=today)
        )


class EmailOutbox(models.Model):
    """An email owed to someone, delivered at least once (``casework.reminders.outbox``).

    ``emailed_at`` is set only once the mail server has accepted the message. A sender
    first leases the row (``email_lease``, ``email_lease_until``); a sender that dies
    leaves its lease to run out, and the next sweep takes the row over.
    """

    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    email_lease = models.UUIDField(null=True, blank=True, editable=False)
    email_lease_until = models.DateTimeField(_("email lease until"), null=True, blank=True)

    class Meta:
        abstract = True


class Reminder(EmailOutbox):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("recipient"),
    )
    rule = models.ForeignKey(
        ReminderRule, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("rule")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("case")
    )
    # Which occurrence of the rule this is (a date, a period, a risk signature): the
    # same occurrence is never reminded twice to the same person.
    due_key = models.CharField(_("due key"), max_length=64)
    state = models.CharField(
        _("state"), max_length=8, choices=ReminderState.choices, default=ReminderState.OPEN
    )
    snoozed_until = models.DateField(_("snoozed until"), null=True, blank=True)
    created_at = models.DateTimeField(_("raised"), default=timezone.now)
    done_at = models.DateTimeField(_("done or closed at"), null=True, blank=True)
    closed_because = models.CharField(
        _("closed because"),
        max_length=20,
        choices=ClosedBecause.choices,
        blank=True,
        default="",
        db_default="",
        editable=False,
    )

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "person", "due_key", "recipient"], name="reminder_once_per_due"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "state"], name="reminder_inbox_idx"),
            # Every sweep looks for the recent reminders still to email.
            models.Index(
                fields=["created_at"],
                condition=Q(emailed_at__isnull=True),
                name="reminder_to_email_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} · {self.person.reference}"

    def why(self, today=None) -> str:
        """What the inbox says. For "no news", the true silence, counted from the last
        news (or the case's opening), not the rule's number of days. Reads
        ``person.current``: select it with the reminders."""
        if self.rule.kind != RuleKind.STALE:
            return str(self.rule)
        current = getattr(self.person, "current", None)
        if current is not None:
            heard_on = current.occurred_on
        else:
            heard_on = timezone.localtime(self.person.created_at).date()
        days = ((today or timezone.localdate()) - heard_on).days
        return no_news_for(days, self.rule.get_status_display())


class Digest(EmailOutbox):
    """One daily digest per coordinator per day, whatever retries the beat makes.

    The row is written when the digest falls due and marked when it was emailed; it
    covers the day before ``created_at``, whenever it is sent.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="digest_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"Digest {self.day}"


class SweepMark(models.Model):
    """What a finished sweep covered, so that the next one reads only what may be new.

    Reading every case takes time that grows with the cases, and the beat sweeps every
    few minutes. After a mark, only two kinds of case can bring a new reminder: one
    whose record changed since that sweep began (every service that changes a case
    bumps its ``updated_at``), and one whose silence entered a new period since the
    mark's day. Anything else the reminders depend on (the rules, who is active or a
    coordinator, which facilities are border points) is summed up in ``inputs``: when
    it differs, the next sweep reads every case again.
    """

    day = models.DateField()
    started_at = models.DateTimeField()
    inputs = models.CharField(max_length=64)

    class Meta:
        ordering = ["-day", "-started_at"]

    def __str__(self) -> str:
        return f"Sweep of {self.day}"
