"""Writing many rows at once, for bulk loads (synthetic data) and rebuilds of kept counts.

``COPY`` on PostgreSQL, where row-by-row inserts of millions of rows take minutes, and one
``executemany`` elsewhere. Column names come from model metadata; values travel as data.
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
