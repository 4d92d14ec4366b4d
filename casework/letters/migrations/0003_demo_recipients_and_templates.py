"""Load the public recipient directory and the appeal templates (en, ko, zh)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from casework.letters.demo import recipients_load, templates_load

    recipients_load(apps.get_model("letters", "Recipient"))
    templates_load(apps.get_model("letters", "LetterTemplate"))


class Migration(migrations.Migration):
    dependencies = [("letters", "0002_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
