"""Celery tasks of the letters app. They take ids, re-fetch, and are safe to run twice."""

from celery import shared_task

from casework.letters.services import letter_batch_run


@shared_task(acks_late=True)
def letter_batch_generate(*, batch_id: int) -> None:
    """Generate the letters of one batch; recipients already done are skipped."""
    letter_batch_run(batch_id=batch_id)
