from django.core.management.base import BaseCommand

from casework.cases.services import current_status_rebuild


class Command(BaseCommand):
    help = (
        "Recompute every person's stored current status from the custody events and say "
        "how many differed (0 after normal use). Run it after a restore or a bulk load."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only count the persons whose stored status differs; change nothing. "
            "Exits with status 1 when any differs.",
        )

    def handle(self, *args, check: bool = False, **options):
        differing = current_status_rebuild(check_only=check)
        if check:
            self.stdout.write(f"{differing} persons' stored status differs from their events.")
            if differing:
                raise SystemExit(1)
            return
        self.stdout.write(f"Rebuilt the current status; {differing} persons differed.")
