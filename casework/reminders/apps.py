from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "casework.reminders"
    label = "reminders"
    verbose_name = _("Reminders")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_save

        from casework.cases.services import (
            cases_rewritten_hooks,
            event_recorded_hooks,
            event_recorded_in_transaction_hooks,
        )
        from casework.cases.state import stale_rules_source
        from casework.reminders.models import ReminderRule
        from casework.reminders.services import (
            escalation_on_events_recorded,
            reminders_close_ended,
            stale_rule_before_save,
            stale_rule_days,
            stale_rule_deleted,
            stale_rule_saved,
            sweep_marks_forget,
        )

        if stale_rule_days not in stale_rules_source:
            stale_rules_source.append(stale_rule_days)
        pre_save.connect(stale_rule_before_save, sender=ReminderRule, dispatch_uid="stale-limit")
        post_save.connect(stale_rule_saved, sender=ReminderRule, dispatch_uid="stale-limit")
        post_delete.connect(stale_rule_deleted, sender=ReminderRule, dispatch_uid="stale-limit")
        if reminders_close_ended not in event_recorded_in_transaction_hooks:
            event_recorded_in_transaction_hooks.append(reminders_close_ended)
        if escalation_on_events_recorded not in event_recorded_hooks:
            event_recorded_hooks.append(escalation_on_events_recorded)
        if sweep_marks_forget not in cases_rewritten_hooks:
            cases_rewritten_hooks.append(sweep_marks_forget)
