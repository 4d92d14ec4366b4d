"""``/healthz``: what a load balancer or an operator needs to know, and nothing more."""

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from casework.cases.encryption import encryption_probe


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "down"; the reason stays in logs
        return "down"
    return "ok"


def _broker_state() -> str:
    from django.conf import settings

    if not settings.REDIS_URL:
        # kombu's filesystem transport: healthy when its queue folder is writable.
        import os

        queue = settings.CELERY_BROKER_DIR / "queue"
        try:
            queue.mkdir(parents=True, exist_ok=True)
        except OSError:
            return "down"
        return "embedded" if os.access(queue, os.W_OK) else "down"
    try:
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception:  # noqa: BLE001
        return "down"
    return "ok"


def _encryption_state(database: str) -> str:
    """Says "wrong_key" when no configured key opens a sample of what is stored: a site that
    cannot open its own data is not healthy, even if every page that does not reveal an
    identity still works. Which data failed goes to no one: ``check --database default``
    names it to an operator."""
    if database != "ok":
        return "unknown"
    try:
        failing = encryption_probe()
    except ImproperlyConfigured:
        return "wrong_key"
    except Exception:  # noqa: BLE001 - e.g. tables not migrated yet: not serving either
        return "unknown"
    return "wrong_key" if failing else "ok"


@never_cache
@require_GET
def healthz(request):
    database = _database_state()
    checks = {
        "database": database,
        "broker": _broker_state(),
        "encryption": _encryption_state(database),
    }
    healthy = all(state in ("ok", "embedded") for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", **checks}, status=200 if healthy else 503
    )
