from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "casework.letters"
    label = "letters"
    verbose_name = "Appeal letters"

    def ready(self) -> None:
        from casework.letters import checks  # noqa: F401 - registers the system checks
