from django.core.management.base import BaseCommand

from casework_dev.bench.letters import letters_bench


class Command(BaseCommand):
    help = "Measure letter rendering speed (letters per second, PDF and DOCX)."

    def add_arguments(self, parser):
        parser.add_argument("--letters", type=int, default=10)

    def handle(self, *args, **options):
        for label, value in letters_bench(letters=options["letters"]):
            self.stdout.write(f"{label:<28} {value:8.1f}")
