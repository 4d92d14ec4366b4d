"""Celery tasks: ids in, counts out, every one idempotent (so ``acks_late`` is safe)."""

from celery import shared_task

from casework.reminders import services


@shared_task(name="reminders.sweep", acks_late=True)
def sweep() -> dict[str, int]:
    return services.reminders_sweep()


@shared_task(name="reminders.escalate", acks_late=True)
def escalate(*, event_ids: list[int]) -> dict[str, int]:
    # Events that are gone (erased) are skipped quietly inside.
    return services.reminders_escalate(event_ids=event_ids)


@shared_task(name="reminders.digest", acks_late=True)
def digest() -> int:
    return services.digest_send()
