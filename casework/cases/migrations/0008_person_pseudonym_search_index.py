"""A trigram index for the case search on PostgreSQL ("pseudonym contains …").

Without it every search reads all people (270 ms at a million, whatever the term). It
lives outside the model's state on purpose: SQLite has no such index, and SQLite
rebuilds a table from the model state whenever a later migration alters it. Built
CONCURRENTLY, so cases can still be written while it builds.
"""

from django.db import migrations

INDEX = "person_pseudonym_trgm"


def index_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # The expression Django's icontains compares: UPPER(pseudonym::text) LIKE UPPER(%s).
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON cases_person "
        "USING gin (UPPER(pseudonym::text) gin_trgm_ops)"
    )


def index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0007_transition_tally_chart_index"),
    ]

    operations = [migrations.RunPython(index_create, index_drop, elidable=False)]
