"""Staleness joins the board tallies' key, judged on the day kept in ``TallyDay``; a
nightly task rolls that day forward. The tallies are recounted with the new key."""

from collections import Counter
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

# Frozen here on purpose, like 0005's fill: the rule as of 2026-12.
VULNERABILITIES = [
    "child",
    "infant",
    "elderly",
    "pregnant",
    "serious_illness",
    "trafficking_victim",
    "other",
]
IN_CUSTODY = {"detained", "transferred", "at_risk_of_return"}
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
STATE_KEY = ("status", "facility_key", "planned", "vulnerabilities", "ever_detained", "stale")
STATUS_KEY = (*STATE_KEY, "unclear", "sex", "age_band")
TRANSITION_KEY = ("scope", *STATE_KEY, "month", "before", "after")
NIGHTLY = "Board tallies: staleness rolled to the new day"


def _stale(status, heard_on, day):
    if heard_on is None:
        return True
    days = STALE_AFTER_DAYS.get(status)
    return days is not None and heard_on < day - timedelta(days=days)


def fill(apps, schema_editor):
    """Recount every open, unrestricted person with staleness as of today."""
    Person = apps.get_model("cases", "Person")
    Vulnerability = apps.get_model("cases", "PersonVulnerability")
    Event = apps.get_model("cases", "CustodyEvent")
    StatusTally = apps.get_model("cases", "StatusTally")
    TransitionTally = apps.get_model("cases", "TransitionTally")
    TallyDay = apps.get_model("cases", "TallyDay")
    StatusTally.objects.all().delete()
    TransitionTally.objects.all().delete()
    today = timezone.localdate()
    TallyDay.objects.update_or_create(pk=1, defaults={"day": today})
    status, transitions = Counter(), Counter()
    people = Person.objects.filter(archived_at__isnull=True, restricted=False).order_by("pk")
    ids = list(people.values_list("pk", flat=True))
    for start in range(0, len(ids), 10_000):
        batch = ids[start : start + 10_000]
        rows = Person.objects.filter(pk__in=batch).values_list("pk", "sex", "age_band")
        masks = Counter()
        for pk, kind in Vulnerability.objects.filter(person_id__in=batch).values_list(
            "person_id", "kind"
        ):
            masks[pk] |= 1 << VULNERABILITIES.index(kind)
        timelines = {pk: [] for pk in batch}
        events = Event.objects.filter(person_id__in=batch).order_by(
            "person_id", "occurred_on", "id"
        )
        for pk, *event in events.values_list(
            "person_id",
            "occurred_on",
            "status",
            "facility_id",
            "planned_on",
            "confidence",
            "date_precision",
        ):
            timelines[pk].append(event)
        for pk, sex, age_band in rows:
            timeline, mask = timelines[pk], masks[pk]
            if timeline:
                last = timeline[-1]
                current = (last[1], last[2] or 0, last[3] is not None, mask)
                stale = _stale(last[1], last[0], today)
            else:
                current = ("", 0, False, mask)
                stale = True
            held = [e for e in timeline if e[1] in IN_CUSTODY]
            unclear = any(e[4] == "unverified" or e[5] in ("approximate", "year") for e in held)
            status[(*current, bool(held), stale, unclear, sex, age_band)] += 1
            neutral = ("", 0, False, 0, False, False)
            scopes = [
                ("full", *current, bool(held), stale),
                ("state", *current[:3], 0, bool(held), stale),
                ("all", *neutral),
                *((k, *neutral) for k in VULNERABILITIES if mask & 1 << VULNERABILITIES.index(k)),
            ]
            before = ""
            for occurred_on, after, *_ in timeline:
                if after != before:
                    month = occurred_on.replace(day=1)
                    for scope in scopes:
                        transitions[(*scope, month, before, after)] += 1
                    before = after
    for model, key, counter in (
        (StatusTally, STATUS_KEY, status),
        (TransitionTally, TRANSITION_KEY, transitions),
    ):
        items = sorted(counter.items())  # in key order: rows summed together lie together
        for start in range(0, len(items), 5_000):
            model.objects.bulk_create(
                model(**dict(zip(key, k, strict=True)), n=n)
                for k, n in items[start : start + 5_000]
            )


def clear(apps, schema_editor):
    """Going back: empty the tallies, so the older key's constraint can return."""
    apps.get_model("cases", "StatusTally").objects.all().delete()
    apps.get_model("cases", "TransitionTally").objects.all().delete()


def refill_without_staleness(apps, schema_editor):
    import_module("casework.cases.migrations.0005_board_tallies").fill(apps, schema_editor)


def nightly_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    after_midnight, _ = CrontabSchedule.objects.get_or_create(
        minute="1",
        hour="0",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.get_or_create(
        name=NIGHTLY,
        defaults={"task": "cases.roll_board_tallies", "crontab": after_midnight, "enabled": True},
    )


def nightly_schedule_remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NIGHTLY).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_board_tallies"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        # Undone last: the tallies are counted again under 0005's key.
        migrations.RunPython(migrations.RunPython.noop, refill_without_staleness),
        migrations.RemoveConstraint(model_name="statustally", name="status_tally_key"),
        migrations.RemoveConstraint(model_name="transitiontally", name="transition_tally_key"),
        migrations.AddField(
            model_name="statustally",
            name="stale",
            field=models.BooleanField(
                default=False, help_text="No news for too long, as of the day in TallyDay."
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="transitiontally",
            name="stale",
            field=models.BooleanField(default=False),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="statustally",
            constraint=models.UniqueConstraint(fields=STATUS_KEY, name="status_tally_key"),
        ),
        migrations.AddConstraint(
            model_name="transitiontally",
            constraint=models.UniqueConstraint(fields=TRANSITION_KEY, name="transition_tally_key"),
        ),
        migrations.CreateModel(
            name="TallyDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
            ],
        ),
        migrations.RunPython(fill, clear),
        migrations.RunPython(nightly_schedule, nightly_schedule_remove),
    ]
