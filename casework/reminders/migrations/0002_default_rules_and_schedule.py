"""Default reminder rules, the beat schedule (sweep every 15 minutes, digest daily) and
the administrators' permissions on both. Administrators change them in the admin."""

from django.conf import settings
from django.db import migrations

# Copied from cases.enums.STALE_AFTER_DAYS at the time of writing, as a migration must.
STALE_AFTER_DAYS = {
    "at_risk_of_return": 2,
    "detained": 7,
    "transferred": 7,
    "disappeared": 14,
    "unknown": 30,
    "at_large": 30,
    "returned": 60,
    "released": 90,
    "in_safe_country": 365,
}


def defaults_create(apps, schema_editor):
    ReminderRule = apps.get_model("reminders", "ReminderRule")
    for status, days in STALE_AFTER_DAYS.items():
        ReminderRule.objects.get_or_create(
            kind="stale", status=status, defaults={"days": days, "audience": "caseworkers"}
        )
    ReminderRule.objects.get_or_create(
        kind="follow_up", status="", defaults={"audience": "caseworkers"}
    )
    ReminderRule.objects.get_or_create(
        kind="planned_date", status="", defaults={"audience": "both"}
    )
    ReminderRule.objects.get_or_create(
        kind="escalation", status="", defaults={"audience": "coordinators"}
    )
    ReminderRule.objects.get_or_create(
        kind="letter_unanswered", status="", defaults={"days": 30, "audience": "caseworkers"}
    )

    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_15, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    daily, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="6",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.get_or_create(
        name="Reminder sweep",
        defaults={"task": "reminders.sweep", "interval": every_15, "enabled": True},
    )
    PeriodicTask.objects.get_or_create(
        name="Coordinators' daily digest",
        defaults={"task": "reminders.digest", "crontab": daily, "enabled": True},
    )


def defaults_remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task__in=["reminders.sweep", "reminders.digest"]
    ).delete()
    apps.get_model("reminders", "ReminderRule").objects.all().delete()


def roles_sync(apps, schema_editor):
    from casework.accounts.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_rules_and_reminders"),
        ("accounts", "0002_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(defaults_create, defaults_remove),
        migrations.RunPython(roles_sync, migrations.RunPython.noop),
    ]
