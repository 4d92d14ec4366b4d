"""Celery tasks of the case records."""

from celery import shared_task

from casework.cases.tallies import tallies_restale, tallies_roll


@shared_task(name="cases.roll_board_tallies", acks_late=True)
def roll_board_tallies() -> int:
    """Just after midnight: judge staleness in the board tallies on the new day, so
    that no one's first board of the day waits for it."""
    return tallies_roll()


@shared_task(name="cases.recount_stale", acks_late=True)
def recount_stale(*, statuses: list[str]) -> int:
    """After a staleness limit changed: count again the people in these statuses
    (idempotent, so a retried or repeated task is harmless)."""
    return tallies_restale(statuses)
