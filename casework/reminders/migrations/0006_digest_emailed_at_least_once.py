import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def created_when_sent(apps, schema_editor):
    """A digest written before this change was sent when it fell due."""
    apps.get_model("reminders", "Digest").objects.update(created_at=F("emailed_at"))


class Migration(migrations.Migration):
    """A digest is written when it falls due and marked once the mail server took it."""

    dependencies = [
        ("reminders", "0005_reminder_email_lease"),
    ]

    operations = [
        migrations.RenameModel(old_name="DigestSent", new_name="Digest"),
        migrations.RenameField(model_name="digest", old_name="sent_at", new_name="emailed_at"),
        migrations.AlterField(
            model_name="digest",
            name="emailed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="digest",
            name="email_lease",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="digest",
            name="email_lease_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="digest",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.RunPython(created_when_sent, migrations.RunPython.noop),
    ]
