"""The default recipient directory and appeal templates are data under fixtures/. A fresh
database starts with exactly them, from a data migration that carries its own copy, so
that editing the defaults later never changes what an old migration does."""

import ast
import json
from pathlib import Path

import pytest

from casework.letters.migrations import __path__ as migrations_path
from casework.letters.models import LetterTemplate, Recipient

ROOT = Path(__file__).resolve().parent.parent.parent
DATA_MIGRATION = Path(migrations_path[0]) / "0003_demo_recipients_and_templates.py"


def stored_as_in(model, fixture: str, key: tuple[str, ...]) -> tuple[list[dict], list[dict]]:
    rows = json.loads((ROOT / "fixtures" / fixture).read_text(encoding="utf-8"))
    stored = [
        {field: getattr(model.objects.get(**{k: row[k] for k in key}), field) for field in row}
        for row in rows
    ]
    return rows, stored


@pytest.mark.parametrize(
    ("model", "fixture", "key"),
    [
        (Recipient, "letter_recipients.json", ("title", "institution")),
        (LetterTemplate, "letter_templates.json", ("slug", "language")),
    ],
)
def test_a_fresh_database_holds_the_defaults_of_the_fixtures_word_for_word(db, model, fixture, key):
    rows, stored = stored_as_in(model, fixture, key)

    assert stored == rows
    assert model.objects.count() == len(rows)


def test_the_data_migration_reads_nothing_that_may_change_after_it():
    imported = set()
    for node in ast.walk(ast.parse(DATA_MIGRATION.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module)

    assert imported == {"django.db"}
    assert "open(" not in DATA_MIGRATION.read_text(encoding="utf-8")
