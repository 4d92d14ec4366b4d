"""``/healthz``: what a load balancer or an operator needs to know, and nothing more."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


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


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database_state(), "broker": _broker_state()}
    healthy = all(state in ("ok", "embedded") for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", **checks}, status=200 if healthy else 503
    )
