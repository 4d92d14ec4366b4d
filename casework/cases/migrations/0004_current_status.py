"""The stored current status: one row per person heard of, filled from the events.

The fill is written out here rather than imported from services, so this migration
keeps doing what it did when the service changes. Going back drops the table (nothing
is lost: every row is derived from the events).
"""

import django.db.models.deletion
from django.db import migrations, models

# Each person's latest event: latest date, then the one recorded last.
FILL = """
INSERT INTO cases_currentstatus (person_id, event_id, status, occurred_on, date_precision, facility_id, place, planned_on, confidence)
SELECT person_id, id, status, occurred_on, date_precision, facility_id, place, planned_on, confidence
FROM (
    SELECT person_id, id, status, occurred_on, date_precision, facility_id, place, planned_on, confidence,
        ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY occurred_on DESC, id DESC) AS recency
    FROM cases_custodyevent
) ranked
WHERE recency = 1
"""


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_bench_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="CurrentStatus",
            fields=[
                (
                    "person",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="current",
                        serialize=False,
                        to="cases.person",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("at_large", "At large (in hiding)"),
                            ("detained", "Detained"),
                            ("transferred", "Transferred"),
                            ("at_risk_of_return", "At risk of return"),
                            ("returned", "Returned (forcibly repatriated)"),
                            ("released", "Released"),
                            ("in_safe_country", "In a safe country"),
                            ("disappeared", "Disappeared"),
                            ("deceased", "Deceased"),
                            ("unknown", "Unknown"),
                        ],
                        max_length=20,
                    ),
                ),
                ("occurred_on", models.DateField(verbose_name="last heard")),
                (
                    "date_precision",
                    models.CharField(
                        choices=[
                            ("day", "Exact day"),
                            ("month", "Month"),
                            ("year", "Year"),
                            ("approximate", "Approximate"),
                        ],
                        max_length=12,
                    ),
                ),
                ("place", models.CharField(blank=True, max_length=200)),
                ("planned_on", models.DateField(blank=True, null=True)),
                (
                    "confidence",
                    models.CharField(
                        choices=[
                            ("confirmed", "Confirmed"),
                            ("reported", "Reported"),
                            ("unverified", "Unverified"),
                        ],
                        max_length=12,
                    ),
                ),
                (
                    "event",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="cases.custodyevent",
                    ),
                ),
                (
                    "facility",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.facility",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "current statuses",
                "indexes": [
                    models.Index(fields=["status", "occurred_on"], name="current_status_idx"),
                    models.Index(fields=["facility", "status"], name="current_facility_idx"),
                    models.Index(
                        condition=models.Q(("planned_on__isnull", False)),
                        fields=["planned_on"],
                        name="current_planned_idx",
                    ),
                ],
            },
        ),
        migrations.RunSQL(FILL, reverse_sql=migrations.RunSQL.noop),
    ]
