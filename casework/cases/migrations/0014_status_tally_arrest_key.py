"""The place of arrest joins the status tallies' key (``arrest_key``: the facility where
the latest custody episode began, 0 for none), and the transition tallies get a scope
of it (``arrest``), so that the board's "by province of arrest" table, its filter and
that view's charts are sums over the tallies like the province now.

The tallies are recounted by the rebuild service itself (``rebuild_board_tallies``), so
that they agree with the rule the board keeps them by, staleness rules included. It runs
the code of this release against the tables as they stand after this migration: a later
migration that changes the tallies' or the current status's columns must not be applied
in the same run as this one on a database with people in it without checking that.
Going back empties the tallies and counts them again under the previous key.
"""

from importlib import import_module

from django.db import migrations, models

STATUS_KEY = (
    "status",
    "facility_key",
    "planned",
    "vulnerabilities",
    "ever_detained",
    "stale",
    "unclear",
    "sex",
    "age_band",
    "arrest_key",
)


def recount(apps, schema_editor):
    """Recount the tallies with the new key; a database with nobody in it has none."""
    if not apps.get_model("cases", "Person").objects.exists():
        return
    from casework.cases.tallies import tallies_rebuild

    tallies_rebuild()


def clear(apps, schema_editor):
    """Going back: empty the tallies, so the older key's constraint can return."""
    apps.get_model("cases", "StatusTally").objects.all().delete()
    apps.get_model("cases", "TransitionTally").objects.all().delete()


def refill_without_arrest(apps, schema_editor):
    import_module("casework.cases.migrations.0006_board_tallies_stale").fill(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_current_status_arrest_facility"),
        # The recount reads the "no news" rules (staleness), which live there.
        ("reminders", "0008_labels_translatable"),
    ]

    operations = [
        # Undone last: the tallies are counted again under 0006's key.
        migrations.RunPython(migrations.RunPython.noop, refill_without_arrest),
        migrations.RemoveConstraint(model_name="statustally", name="status_tally_key"),
        migrations.AddField(
            model_name="statustally",
            name="arrest_key",
            field=models.PositiveIntegerField(
                default=0, help_text="The facility of the latest arrest; 0 for none."
            ),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="statustally",
            constraint=models.UniqueConstraint(fields=STATUS_KEY, name="status_tally_key"),
        ),
        migrations.RunPython(recount, clear),
    ]
