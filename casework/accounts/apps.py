from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "casework.accounts"
    label = "accounts"
    verbose_name = "Accounts and access"

    def ready(self):
        from casework.accounts import checks, signals  # noqa: F401
