"""A trigram index for the case search on PostgreSQL ("pseudonym contains …").

Without it every search reads all people, whatever the term. It
lives outside the model's state on purpose: SQLite has no such index, and SQLite
rebuilds a table from the model state whenever a later migration alters it. Built
CONCURRENTLY, so cases can still be written while it builds.
"""

import warnings

from django.db import DatabaseError, migrations

INDEX = "person_pseudonym_trgm"


def index_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as exc:
        # A server that does not let this role add the extension: the search still
        # works, reading every case. Not atomic, so the failed statement costs nothing.
        warnings.warn(
            f"Case search index not built, pg_trgm is unavailable ({exc}). Searching "
            "works without it, more slowly; an administrator can run "
            "CREATE EXTENSION pg_trgm and migrate cases 0007 then again.",
            RuntimeWarning,
            stacklevel=1,
        )
        return
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
