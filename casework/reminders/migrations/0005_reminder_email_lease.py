from django.db import migrations, models


class Migration(migrations.Migration):
    """A reminder's email is leased to its sender and marked once the mail server took it."""

    dependencies = [
        ("reminders", "0004_sweep_marks"),
    ]

    operations = [
        migrations.AddField(
            model_name="reminder",
            name="email_lease",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="reminder",
            name="email_lease_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="reminder",
            index=models.Index(
                condition=models.Q(("emailed_at__isnull", True)),
                fields=["created_at"],
                name="reminder_to_email_idx",
            ),
        ),
    ]
