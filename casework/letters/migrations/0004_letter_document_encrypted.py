"""Keep the rendered letter encrypted: it may carry a legal name.

Existing documents are copied into the encrypted column before the plain one goes.
Files written before this migration stay as they were (plain); regenerating a draft's
files writes them encrypted.
"""

import json

from django.db import migrations

import casework.cases.encryption


def seal_documents(apps, schema_editor):
    Letter = apps.get_model("letters", "Letter")
    for letter in Letter.objects.exclude(document={}).only("pk", "document"):
        letter.document_sealed = json.dumps(letter.document, ensure_ascii=False)
        letter.save(update_fields=["document_sealed"])


class Migration(migrations.Migration):
    dependencies = [("letters", "0003_demo_recipients_and_templates")]

    operations = [
        migrations.AddField(
            model_name="letter",
            name="document_sealed",
            field=casework.cases.encryption.EncryptedTextField(blank=True, editable=False),
        ),
        migrations.RunPython(seal_documents, migrations.RunPython.noop),
        migrations.RemoveField(model_name="letter", name="document"),
    ]
