from django.apps import AppConfig


class CaseworkDevConfig(AppConfig):
    name = "casework_dev"
    label = "casework_dev"
    verbose_name = "Development tools"

    def ready(self) -> None:
        from casework_dev.synthetic.cases import seeded_hooks
        from casework_dev.synthetic.letters import letters_seed

        # Letters about the cases just seeded; the cases' generator imports no other app.
        if letters_seed not in seeded_hooks:
            seeded_hooks.append(letters_seed)
