"""Re-encrypt every encrypted column, history tables included, under the newest key.

Run after putting a new key first in FIELD_ENCRYPTION_KEYS; once it has finished, the
old keys can be removed. Rows are rewritten with ``QuerySet.update``, so no history
row is added; a value that no key opens stops the command with FieldDecryptionError
before anything of that row is written.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from casework.cases.encryption import encrypted_fields

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt all encrypted fields with the first key of FIELD_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        total = 0
        for model in apps.get_models():
            names = [field.name for field in encrypted_fields(model)]
            if not names:
                continue
            manager = model._base_manager
            pks = list(manager.order_by("pk").values_list("pk", flat=True))
            rewritten = 0
            for start in range(0, len(pks), BATCH):
                batch = manager.filter(pk__in=pks[start : start + BATCH])
                with transaction.atomic():
                    for pk, *values in batch.values_list("pk", *names):
                        manager.filter(pk=pk).update(**dict(zip(names, values, strict=True)))
                        rewritten += 1
            total += rewritten
            self.stdout.write(f"{model._meta.label}: {rewritten} rows re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"Done: {total} rows re-encrypted."))
