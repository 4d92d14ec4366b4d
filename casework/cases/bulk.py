"""Writing many rows at once, for bulk loads (synthetic data), rebuilds of kept counts
and the reminders a sweep creates.

``COPY`` on PostgreSQL, where row-by-row inserts are far slower for many rows, and one
``executemany`` elsewhere. Column names come from model metadata; values travel as data,
in the form the database takes (``connection.ops.adapt_datetimefield_value`` for times).
"""

from collections.abc import Iterable, Sequence

from django.db import connection, models


def rows_insert(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple]) -> None:
    rows = list(rows)
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # noqa: S608
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608  # nosec B608
        cursor.executemany(sql, rows)


def rows_insert_new(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple]
) -> None:
    """Insert the rows that repeat no unique row already there (``ON CONFLICT DO NOTHING``).

    What ``bulk_create(ignore_conflicts=True)`` does, without a model instance and a
    conversion per field for each row, which dominated a sweep that creates many
    reminders. On PostgreSQL one statement takes each column as an array (``unnest``)."""
    rows = list(rows)
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            types = [model._meta.get_field(c).db_type(connection) for c in columns]
            arrays = ", ".join(f"%s::{kind}[]" for kind in types)
            sql = (
                f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}) "  # noqa: S608  # nosec B608
                "ON CONFLICT DO NOTHING"
            )
            cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks}) ON CONFLICT DO NOTHING"  # noqa: S608  # nosec B608
        cursor.executemany(sql, rows)
