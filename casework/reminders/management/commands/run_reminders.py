from django.core.management.base import BaseCommand

from casework.reminders.services import reminders_sweep


class Command(BaseCommand):
    help = "Run the reminder sweep once (the same code the periodic beat task runs)."

    def handle(self, *args, **options):
        counts = reminders_sweep()
        self.stdout.write(", ".join(f"{kind}: {n}" for kind, n in counts.items()))
