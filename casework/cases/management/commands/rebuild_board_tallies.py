from django.core.management.base import BaseCommand

from casework.cases.tallies import tallies_rebuild


class Command(BaseCommand):
    help = (
        "Recount the status board's kept tallies from the case records and say how many "
        "tally rows were wrong (0 after normal use). Run it after a restore or a bulk load."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only count the wrong tally rows; change nothing. Exits with status 1 when "
            "any is wrong.",
        )

    def handle(self, *args, check: bool = False, **options):
        wrong = tallies_rebuild(check_only=check)
        if check:
            self.stdout.write(f"{wrong} board tally rows differ from a recount of the records.")
            if wrong:
                raise SystemExit(1)
            return
        self.stdout.write(f"Recounted the board tallies; {wrong} rows were wrong.")
