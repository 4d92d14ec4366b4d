"""System checks `manage.py check --deploy` runs on top of Django's own."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def demo_mode_off_in_production(app_configs, **kwargs):
    if settings.DEMO_MODE and not settings.DEBUG:
        return [
            Warning(
                "CASEWORK_DEMO_MODE is on with DJANGO_DEBUG=0: accounts log in without "
                "a second factor.",
                hint="Unset CASEWORK_DEMO_MODE in production.",
                id="casework.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def sessions_expire(app_configs, **kwargs):
    if settings.SESSION_IDLE_TIMEOUT > settings.SESSION_ABSOLUTE_LIFETIME:
        return [
            Warning(
                "SESSION_IDLE_TIMEOUT is longer than the absolute session lifetime.",
                id="casework.W002",
            )
        ]
    return []
