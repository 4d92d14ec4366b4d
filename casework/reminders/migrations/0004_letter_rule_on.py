"""Letters exist now: switch on the "letter without response" rule."""

from django.db import migrations


def forwards(apps, schema_editor):
    ReminderRule = apps.get_model("reminders", "ReminderRule")
    ReminderRule.objects.filter(kind="letter_unanswered").update(active=True)


def backwards(apps, schema_editor):
    ReminderRule = apps.get_model("reminders", "ReminderRule")
    ReminderRule.objects.filter(kind="letter_unanswered").update(active=False)


class Migration(migrations.Migration):
    dependencies = [("reminders", "0003_no_news_rules_need_days")]

    operations = [migrations.RunPython(forwards, backwards)]
