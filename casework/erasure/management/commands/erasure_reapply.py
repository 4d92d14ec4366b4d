"""After a restore: erase again everyone the erasure ledger names (docs/backup.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from casework.erasure.ledger import LedgerError, ledger_path, ledger_read
from casework.erasure.services import erasure_ledger_reapply


class Command(BaseCommand):
    help = (
        "Erase again every person whose reference digest is in the erasure ledger, and "
        "write the tombstones a restored database lacks. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--ledger",
            type=Path,
            help="The newest copy of the ledger (default: ERASURE_LEDGER_PATH).",
        )

    def handle(self, *args, ledger: Path | None = None, **options):
        path = ledger or ledger_path()
        if not path.is_file():
            raise CommandError(_("No erasure ledger at %(path)s.") % {"path": path})
        try:
            entries = ledger_read(path)
        except LedgerError as exc:
            raise CommandError(str(exc)) from exc
        done = erasure_ledger_reapply(entries=entries)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Erasures in the ledger: %(entries)d; people erased again: %(persons)d; "
                    "tombstones written: %(tombstones)d."
                )
                % {
                    "entries": len(entries),
                    "persons": done.persons,
                    "tombstones": done.tombstones,
                }
            )
        )
