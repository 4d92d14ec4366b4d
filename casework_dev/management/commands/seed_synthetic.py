"""``python manage.py seed_synthetic --persons N --seed S``: synthetic data for scale.

See ``casework_dev/synthetic/cases.py`` for what is generated and why it is written in
bulk instead of through ``services.custody_event_record``.
"""

import datetime
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from casework_dev.synthetic import cases as synthetic


class ProgressBar:
    """A one-line progress bar on stderr (redrawn in place on a terminal)."""

    def __init__(self, stream, label: str, width: int = 30) -> None:
        self.stream = stream
        self.label = label
        self.width = width
        self.started = time.perf_counter()
        self.tty = stream.isatty()
        self.last_line = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if not self.tty and done < total and now - self.last_line < 10:
            return  # in a log, one line every ten seconds is enough
        self.last_line = now
        elapsed = now - self.started
        rate = done / elapsed if elapsed else 0.0
        eta = (total - done) / rate if rate else 0.0
        filled = int(self.width * done / total) if total else self.width
        bar = "#" * filled + "-" * (self.width - filled)
        line = (
            f"{self.label} [{bar}] {done:,}/{total:,} "
            f"{rate:,.0f}/s, {elapsed:,.0f}s elapsed, ~{eta:,.0f}s left"
        )
        end = "\n" if not self.tty or done >= total else ""
        self.stream.write(("\r" if self.tty else "") + line + end)
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Add N synthetic people, with groups, custody timelines, vulnerabilities and "
        "encrypted identities, in bulk. Deterministic for a seed and an --until date."
    )

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, required=True, help="how many people")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--until",
            type=datetime.date.fromisoformat,
            default=None,
            help="the last day of the timelines, YYYY-MM-DD (default today)",
        )
        parser.add_argument(
            "--batch", type=int, default=5000, help="people per insert batch (default 5000)"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def phase_done(self, name: str, seconds: float) -> None:
        sys.stderr.write(f"{name} in {seconds:,.1f}s\n")
        sys.stderr.flush()

    def handle(self, *args, persons, seed, until, batch, no_progress, verbosity, **options):
        if persons < 1:
            raise CommandError("--persons must be at least 1.")
        if until is not None and until > datetime.date.today():
            raise CommandError("--until lies in the future; timelines record what happened.")
        quiet = no_progress or verbosity == 0
        report = synthetic.seed(
            persons=persons,
            seed=seed,
            until=until,
            batch_persons=batch,
            progress=None if quiet else ProgressBar(sys.stderr, "people"),
            phase=None if quiet else self.phase_done,
        )
        if verbosity:
            self.stdout.write(
                f"Seeded {report.persons:,} people, {report.groups:,} groups, "
                f"{report.memberships:,} memberships, {report.vulnerabilities:,} "
                f"vulnerabilities and {report.events:,} custody events"
                + "".join(f", {n:,} {what}" for what, n in report.others.items())
                + " in "
                f"{report.seconds:,.1f}s ({report.persons / report.seconds:,.0f} people/s, "
                f"{report.events / report.seconds:,.0f} events/s)."
            )
