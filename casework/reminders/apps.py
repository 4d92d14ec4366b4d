from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "casework.reminders"
    label = "reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        from casework.cases.services import cases_rewritten_hooks, event_recorded_hooks
        from casework.reminders.services import escalation_on_events_recorded, sweep_marks_forget

        if escalation_on_events_recorded not in event_recorded_hooks:
            event_recorded_hooks.append(escalation_on_events_recorded)
        if sweep_marks_forget not in cases_rewritten_hooks:
            cases_rewritten_hooks.append(sweep_marks_forget)
