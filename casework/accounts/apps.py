from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _roles_resync(sender, app_config=None, using="default", **kwargs) -> None:
    """After every migrate (and every test flush), hold the roles to the matrix.

    Each app's data migration grants its own rows; this catches apps migrated in an
    order where an earlier sync could not yet see their permissions.
    """
    if app_config is None or app_config.label != "accounts":
        return
    from django.apps import apps

    from casework.accounts.roles import roles_sync

    roles_sync(apps)


class AccountsConfig(AppConfig):
    name = "casework.accounts"
    label = "accounts"
    verbose_name = _("Accounts and access")

    def ready(self):
        from casework.accounts import checks, signals  # noqa: F401

        post_migrate.connect(_roles_resync, dispatch_uid="casework.accounts.roles")
