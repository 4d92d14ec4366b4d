from django.core.management.base import BaseCommand

from casework.reminders.services import reminders_sweep


class Command(BaseCommand):
    help = "Run the reminder sweep once (the same code the periodic beat task runs)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every-case",
            action="store_true",
            help="Read every case, not only those that may be due anew since the last sweep.",
        )

    def handle(self, *args, every_case, **options):
        counts = reminders_sweep(every_case=every_case)
        self.stdout.write(", ".join(f"{kind}: {n}" for kind, n in counts.items()))
