from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    """The project itself, for what belongs to no single app: the deployment's checks."""

    name = "casework"
    label = "casework"
    verbose_name = "Casework"

    def ready(self):
        from casework import checks  # noqa: F401 - registers the system checks
