"""Migrations that must behave on servers unlike the test server."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import DatabaseError


def test_the_search_index_migration_goes_on_where_pg_trgm_may_not_be_added():
    migration = importlib.import_module(
        "casework.cases.migrations.0008_person_pseudonym_search_index"
    )

    class Refusing:
        connection = SimpleNamespace(vendor="postgresql")
        executed: list[str] = []

        def execute(self, sql):
            if "EXTENSION" in sql:
                raise DatabaseError("permission denied to create extension")
            self.executed.append(sql)

    with pytest.warns(RuntimeWarning, match="pg_trgm is unavailable"):
        migration.index_create(None, Refusing())

    assert Refusing.executed == []
