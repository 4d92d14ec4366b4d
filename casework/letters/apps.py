from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "casework.letters"
    label = "letters"
    verbose_name = "Appeal letters"

    def ready(self) -> None:
        from casework.cases.synthetic import seeded_hooks
        from casework.letters import checks  # noqa: F401 - registers the system checks
        from casework.letters.synthetic import letters_seed

        if letters_seed not in seeded_hooks:
            seeded_hooks.append(letters_seed)
