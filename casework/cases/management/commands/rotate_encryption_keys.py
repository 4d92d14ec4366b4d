"""Re-encrypt every encrypted column (history tables included) and every stored
encrypted file under the newest key.

Run after putting a new key first in FIELD_ENCRYPTION_KEYS; once it has finished, the
old keys can be removed (``--check`` says whether anything still needs them). It can be
stopped and run again at any time: what is already under the newest key is skipped, each
batch of rows is one transaction, and each file is written beside the old one and moved
over it, so nothing is ever left half-written. Rows are rewritten with
``QuerySet.update``, so no history row is added; a value that no key opens stops the
command with FieldDecryptionError before anything of that row or file is written.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from casework.cases.encryption import (
    encrypted_fields,
    encrypted_file_kinds,
    encrypted_file_rotate,
    is_current,
)

BATCH = 500
PROGRESS_EVERY = 20  # batches between two progress lines on a large table


class Command(BaseCommand):
    help = (
        "Re-encrypt all encrypted fields and stored files with the first key of "
        "FIELD_ENCRYPTION_KEYS; safe to interrupt and run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; fail if a value or a file is not under the newest key yet.",
        )

    def handle(self, *args, check: bool = False, **options):
        rows = sum(self._rotate_columns(model, check=check) for model in apps.get_models())
        files = sum(self._rotate_files(kind, check=check) for kind in encrypted_file_kinds())
        if check:
            if rows or files:
                raise CommandError(
                    _(
                        "Not under the newest key yet — rows: %(rows)d, files: %(files)d. "
                        "Run rotate_encryption_keys before removing an old key."
                    )
                    % {"rows": rows, "files": files}
                )
            self.stdout.write(self.style.SUCCESS(_("Everything is under the newest key.")))
            return
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Done. Rows re-encrypted: %(rows)d, files re-encrypted: %(files)d. "
                    "Everything is under the newest key: the other keys can be removed."
                )
                % {"rows": rows, "files": files}
            )
        )

    def _rotate_columns(self, model, *, check: bool) -> int:
        """Rows of ``model`` rewritten (or, with ``check``, still to rewrite)."""
        names = [field.name for field in encrypted_fields(model)]
        if not names:
            return 0
        manager = model._base_manager
        raw = [Cast(name, output_field=models.TextField()) for name in names]
        label = model._meta.label
        seen = stale_total = batches = 0
        last = None
        while True:
            page = manager.order_by("pk")
            if last is not None:
                page = page.filter(pk__gt=last)
            tokens = list(page.values_list("pk", *raw)[:BATCH])
            if not tokens:
                break
            last = tokens[-1][0]
            stale = [pk for pk, *values in tokens if any(v and not is_current(v) for v in values)]
            if stale and not check:
                with transaction.atomic():
                    # Locked and read inside the transaction: a concurrent edit is not undone.
                    current = manager.select_for_update().filter(pk__in=stale)
                    for pk, *values in current.values_list("pk", *names):
                        manager.filter(pk=pk).update(**dict(zip(names, values, strict=True)))
            seen += len(tokens)
            stale_total += len(stale)
            batches += 1
            if batches % PROGRESS_EVERY == 0:
                self.stdout.write(
                    _("%(label)s — rows so far: %(seen)d") % {"label": label, "seen": seen}
                )
        summary = (
            _("%(label)s — rows: %(seen)d, not under the newest key: %(stale)d")
            if check
            else _("%(label)s — rows: %(seen)d, re-encrypted: %(stale)d")
        )
        self.stdout.write(summary % {"label": label, "seen": seen, "stale": stale_total})
        return stale_total

    def _rotate_files(self, kind, *, check: bool) -> int:
        """Files of ``kind`` rewritten (or, with ``check``, still to rewrite)."""
        seen = stale = missing = 0
        for path in kind.paths():
            seen += 1
            if not path.exists():
                missing += 1
            elif check:
                stale += not is_current(path.read_bytes())
            else:
                stale += encrypted_file_rotate(path)
            if seen % (BATCH * PROGRESS_EVERY // 10) == 0:
                self.stdout.write(
                    _("%(label)s — files so far: %(seen)d") % {"label": kind.label, "seen": seen}
                )
        summary = (
            _("%(label)s — files: %(seen)d, not under the newest key: %(stale)d")
            if check
            else _("%(label)s — files: %(seen)d, re-encrypted: %(stale)d")
        )
        self.stdout.write(summary % {"label": kind.label, "seen": seen, "stale": stale})
        if missing:
            self.stderr.write(
                _("%(label)s — files named in the database but missing on disk: %(missing)d")
                % {"label": kind.label, "missing": missing}
            )
        return stale
