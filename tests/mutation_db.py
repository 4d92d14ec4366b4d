"""A pytest plugin for `make mutate` only (``-p tests.mutation_db``): the SQLite test
database lives in a file that every mutant's run reuses (``--reuse-db``), so a mutant
costs its tests, not a fresh migration of every app."""

from pathlib import Path

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    from django.db import connections

    settings = connections["default"].settings_dict
    if settings["ENGINE"] == "django.db.backends.sqlite3":
        settings.setdefault("TEST", {})["NAME"] = str(Path.cwd() / "mutation-test-db.sqlite3")
