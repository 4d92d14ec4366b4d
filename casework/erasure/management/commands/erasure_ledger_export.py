"""Before a backup: make sure the erasure ledger holds every erasure (docs/backup.md)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from casework.erasure.ledger import ledger_path
from casework.erasure.services import erasure_ledger_export


class Command(BaseCommand):
    help = (
        "Append to the erasure ledger (ERASURE_LEDGER_PATH) every erasure of the database "
        "it lacks, then print its path: copy that file with each backup."
    )

    def handle(self, *args, **options):
        added = erasure_ledger_export()
        path = ledger_path()
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            path.touch(mode=0o600)  # no erasure yet: an empty ledger is still a ledger
        self.stderr.write(_("Erasures added to the ledger: %(added)d.") % {"added": added})
        self.stdout.write(str(path))
