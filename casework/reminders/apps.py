from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "casework.reminders"
    label = "reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        from casework.cases.services import event_recorded_hooks
        from casework.reminders.services import escalation_on_events_recorded

        if escalation_on_events_recorded not in event_recorded_hooks:
            event_recorded_hooks.append(escalation_on_events_recorded)
