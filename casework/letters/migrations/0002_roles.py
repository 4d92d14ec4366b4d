"""Grant the letters permissions of ``casework.accounts.roles`` to the role groups."""

from django.db import migrations


def forwards(apps, schema_editor):
    from casework.accounts.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
