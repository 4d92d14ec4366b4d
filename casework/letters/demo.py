"""Demo data of the letters app: public institutions and the four appeal templates.

Loaded by a data migration (so a fresh database has them) and by ``seed_demo``.
The loaders take the model class, so migrations can pass historical models.
"""

RECIPIENTS: list[dict] = []
TEMPLATES: list[dict] = []


def recipients_load(model) -> int:
    for row in RECIPIENTS:
        key = {"title": row["title"], "institution": row["institution"]}
        model.objects.update_or_create(**key, defaults=row)
    return len(RECIPIENTS)


def templates_load(model) -> int:
    for row in TEMPLATES:
        key = {"slug": row["slug"], "language": row["language"]}
        model.objects.update_or_create(**key, defaults=row)
    return len(TEMPLATES)
