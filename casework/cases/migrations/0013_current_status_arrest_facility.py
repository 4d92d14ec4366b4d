"""The stored current status keeps where the latest custody episode began (the place of
arrest), filled from the events in one statement.

The rule is written out here rather than imported from services, so this migration keeps
doing what it did when the service changes: the facility of the latest event in custody
whose previous event on the timeline (by day, then id) was not in custody or does not
exist. Going back drops the column (nothing is lost: it is derived from the events).
"""

import django.db.models.deletion
from django.db import migrations, models

# In custody as of 2026-12 (``casework/cases/state.py``).
IN_CUSTODY = "('at_risk_of_return', 'detained', 'transferred')"

FILL = f"""
UPDATE cases_currentstatus
SET arrest_facility_id = (
    SELECT started.facility_id
    FROM cases_custodyevent started
    WHERE started.person_id = cases_currentstatus.person_id
      AND started.status IN {IN_CUSTODY}
      AND COALESCE((
          SELECT previous.status
          FROM cases_custodyevent previous
          WHERE previous.person_id = started.person_id
            AND previous.occurred_on <= started.occurred_on
            AND (previous.occurred_on < started.occurred_on OR previous.id < started.id)
          ORDER BY previous.occurred_on DESC, previous.id DESC
          LIMIT 1
      ), '') NOT IN {IN_CUSTODY}
    ORDER BY started.occurred_on DESC, started.id DESC
    LIMIT 1
)
WHERE EXISTS (
    SELECT 1 FROM cases_custodyevent held
    WHERE held.person_id = cases_currentstatus.person_id AND held.status IN {IN_CUSTODY}
)
"""  # noqa: S608  # nosec B608  constants only


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_group_unidentified_others"),
    ]

    operations = [
        migrations.AddField(
            model_name="currentstatus",
            name="arrest_facility",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cases.facility",
            ),
        ),
        migrations.RunSQL(FILL, reverse_sql=migrations.RunSQL.noop),
    ]
