"""Exports of the board's filtered list: CSV (streamed) and XLSX.

Columns are pseudonymous unless the user asked for identities and holds
``cases.view_identity``; source identities are never exported. Every text cell is
neutralised so a spreadsheet never runs a value as a formula.
"""

import csv
from collections.abc import Iterable, Iterator
from io import BytesIO

from django.db.models import QuerySet
from openpyxl import Workbook

from casework.accounts import roles
from casework.accounts.models import User
from casework.cases.enums import AgeBand, Confidence, Sex, Status
from casework.cases.models import Person

PSEUDONYMOUS_COLUMNS = [
    "reference",
    "pseudonym",
    "sex",
    "age band",
    "status",
    "facility or place",
    "province",
    "border point",
    "planned transfer or return",
    "last heard",
    "confidence",
    "vulnerabilities",
    "groups",
    "caseworkers",
]
IDENTITY_COLUMNS = [
    "legal name (Latin)",
    "legal name (Korean)",
    "legal name (Chinese)",
    "date of birth",
    "home town",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 500


def cell_neutralise(value) -> str:
    """A text a spreadsheet shows as text: a leading apostrophe before =, +, -, @, tab, CR."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_may_show_identities(user: User, *, asked: bool) -> bool:
    return asked and user.has_perm(roles.VIEW_IDENTITY)


def export_columns(*, identities: bool) -> list[str]:
    return PSEUDONYMOUS_COLUMNS + (IDENTITY_COLUMNS if identities else [])


def _label(choices, value) -> str:
    try:
        return choices(value).label
    except ValueError:
        return value or ""


def export_rows(persons: QuerySet[Person], *, identities: bool) -> Iterator[list[str]]:
    """One neutralised row per person; prefetching is done per chunk, so queries stay few.

    Without identities the encrypted columns are not even read: nothing is decrypted
    that the file will not hold.
    """
    if not identities:
        persons = persons.defer(*Person.IDENTITY_FIELDS, "legal_name_index")
    for person in persons.iterator(chunk_size=CHUNK_SIZE):
        row = [
            person.reference,
            person.pseudonym,
            _label(Sex, person.sex),
            _label(AgeBand, person.age_band),
            _label(Status, person.current_status),
            person.current_facility_name or person.current_place or "",
            person.current_province or "",
            "yes" if person.current_border_point else "",
            person.current_planned_on.isoformat() if person.current_planned_on else "",
            person.last_heard_on.isoformat() if person.last_heard_on else "",
            _label(Confidence, person.current_confidence) if person.current_confidence else "",
            "; ".join(str(v) for v in person.vulnerabilities.all()),
            "; ".join(g.reference for g in person.groups.all()),
            "; ".join(u.username for u in person.assigned_caseworkers.all()),
        ]
        if identities:
            row += [
                person.legal_name,
                person.legal_name_ko,
                person.legal_name_zh,
                person.date_of_birth.isoformat() if person.date_of_birth else "",
                person.home_town,
            ]
        yield [cell_neutralise(value) for value in row]


class _Echo:
    """A file-like object that hands back what is written, for streaming csv.writer."""

    def write(self, value: str) -> str:
        return value


def export_csv_lines(header: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def export_xlsx(header: list[str], rows: Iterable[list[str]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Board")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
