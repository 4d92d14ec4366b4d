"""Two role duties as permissions (following cases, receiving escalations), granted to
the role groups by ``casework.accounts.roles``: users are picked by permission, not by
the name of their group."""

from django.db import migrations


def forwards(apps, schema_editor):
    from casework.accounts.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_source_created_by"),
        # Every app's permissions exist, so the groups are set to the whole matrix.
        ("accounts", "0006_access_log_account_resets"),
        ("erasure", "0002_roles"),
        ("letters", "0005_letter_list_indexes"),
        ("reminders", "0006_digest_emailed_at_least_once"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="person",
            options={
                "ordering": ["pseudonym", "id"],
                "permissions": [
                    ("view_identity", "Can reveal identifying data"),
                    ("view_all_cases", "Can see every unrestricted case"),
                    ("assign_caseworker", "Can assign caseworkers"),
                    ("archive_person", "Can archive cases"),
                    ("follow_case", "Can be assigned cases to follow"),
                    (
                        "receive_escalations",
                        "Receives escalations and the reminders nobody follows",
                    ),
                ],
                "verbose_name_plural": "people",
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
