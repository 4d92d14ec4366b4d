"""Exports of the board's filtered list: CSV (streamed) and XLSX.

Columns are pseudonymous unless the user asked for identities and holds
``cases.view_identity``; source identities are never exported. No value is ever run as
a formula: every CSV cell goes through ``cell_neutralise``, and every XLSX cell is
written as a text cell (``data_type`` "s"), which a spreadsheet never evaluates, so the
XLSX holds the values as they are, with no apostrophe.

The header row and the choice cells (status, sex, ...) are in the exporting user's
language; every column has a stable English key (the English header), and
docs/exports.md maps each key to its Korean header for scripts that read the files.
Dates are ISO (YYYY-MM-DD) in every language. The CSV starts with a UTF-8 byte-order
mark, so that spreadsheets open Korean text as UTF-8 without being told.
"""

import csv
from collections.abc import Iterable, Iterator
from io import BytesIO

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from casework.accounts import roles
from casework.accounts.models import User
from casework.cases.enums import AgeBand, Confidence, Sex, Status
from casework.cases.models import Person

# Each column: (stable key, header in the exporting user's language). The key is the
# English header; docs/exports.md lists the Korean headers.
PSEUDONYMOUS_HEADERS = {
    "reference": _("reference"),
    "pseudonym": _("pseudonym"),
    "sex": _("sex"),
    "age band": _("age band"),
    "status": _("status"),
    "facility or place": _("facility or place"),
    "province": _("province"),
    "place now": _("place now"),
    "province of arrest": _("province of arrest"),
    "border point": _("border point"),
    "planned transfer or return": _("planned transfer or return"),
    "last heard": _("last heard"),
    "confidence": _("confidence"),
    "vulnerabilities": _("vulnerabilities"),
    "groups": _("groups"),
    "caseworkers": _("caseworkers"),
}
IDENTITY_HEADERS = {
    "legal name (Latin)": _("legal name (Latin)"),
    "legal name (Korean)": _("legal name (Korean)"),
    "legal name (Chinese)": _("legal name (Chinese)"),
    "date of birth": _("date of birth"),
    "home town": _("home town"),
}
PSEUDONYMOUS_COLUMNS = list(PSEUDONYMOUS_HEADERS)
IDENTITY_COLUMNS = list(IDENTITY_HEADERS)
# A CSV cell starting with one of these, after any leading whitespace, may be read as a
# formula: the ASCII ones (OWASP's CSV injection list), and their full-width forms
# (U+FF1D, U+FF0B, U+FF0D, U+FF20), which some spreadsheets and input methods turn into
# the ASCII ones. Whitespace counts because LibreOffice's "trim spaces" import option
# turns " =1+1" into a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# A cell starting with a tab or a carriage return is neutralised whatever follows (OWASP).
CONTROL_STARTS = ("\t", "\r")
CHUNK_SIZE = 500


def cell_neutralise(value) -> str:
    """A CSV cell a spreadsheet shows as text: a leading apostrophe before a formula.

    A formula character (``FORMULA_STARTS``) first, or after leading whitespace
    (spaces, tabs, newlines, carriage returns, any Unicode space), or a tab or carriage
    return first, gets the apostrophe. The one home of the rule (docs/exports.md).
    """
    text = "" if value is None else str(value)
    if text.startswith(CONTROL_STARTS) or text.lstrip().startswith(FORMULA_STARTS):
        return "'" + text
    return text


def export_may_show_identities(user: User, *, asked: bool) -> bool:
    return asked and user.has_perm(roles.VIEW_IDENTITY)


def export_columns(*, identities: bool) -> list[str]:
    """The columns' stable keys (the English headers)."""
    return PSEUDONYMOUS_COLUMNS + (IDENTITY_COLUMNS if identities else [])


def export_header(*, identities: bool) -> list[str]:
    """The header row in the active language (not yet neutralised)."""
    headers = {**PSEUDONYMOUS_HEADERS, **IDENTITY_HEADERS}
    return [str(headers[key]) for key in export_columns(identities=identities)]


def _label(choices, value) -> str:
    """A choice's label in the active language; an unknown stored value as it is."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value or ""


def export_rows(persons: QuerySet[Person], *, identities: bool) -> Iterator[list[str]]:
    """One row of plain values per person; prefetching is done per chunk, so queries stay few.

    Without identities the encrypted columns are not even read: nothing is decrypted
    that the file will not hold. The rows are written in the language active now,
    although a streamed response reads them after the view (and its language) is done.
    """
    if not identities:
        persons = persons.defer(*Person.IDENTITY_FIELDS, "legal_name_index")
    return _rows(persons, identities=identities, language=get_language())


def _rows(persons: QuerySet[Person], *, identities: bool, language: str) -> Iterator[list[str]]:
    for person in persons.iterator(chunk_size=CHUNK_SIZE):
        # Not held across the yield: between rows the thread is the server's again.
        with translation.override(language):
            row = _row(person, identities=identities)
        yield row


def _row(person: Person, *, identities: bool) -> list[str]:
    row = [
        person.reference,
        person.pseudonym,
        _label(Sex, person.sex),
        _label(AgeBand, person.age_band),
        # With the board's as-of day, the status of that day (``with_status_as_of``).
        _label(Status, getattr(person, "status_as_of", None) or person.current_status),
        person.current_facility_display or person.current_place or "",
        person.current_province_display,
        person.place_now_display,
        person.arrest_province_display,
        gettext("yes") if person.current_border_point else "",
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
    return ["" if value is None else str(value) for value in row]


class _Echo:
    """A file-like object that hands back what is written, for streaming csv.writer."""

    def write(self, value: str) -> str:
        return value


# A UTF-8 byte-order mark: without it Excel reads a CSV in the system's code page and
# LibreOffice may guess wrong, and Korean turns into mojibake.
BOM = "\ufeff"


def export_csv_lines(header: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    """The CSV's lines, every cell (header too) neutralised."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([cell_neutralise(value) for value in header])
    for row in rows:
        yield writer.writerow([cell_neutralise(value) for value in row])


def _text_cells(sheet, values: list[str]) -> list[WriteOnlyCell]:
    """Text cells holding the values as they are.

    openpyxl makes a formula of a string starting with "="; a cell whose data type is
    set to "s" afterwards is written as an inline string, which no spreadsheet runs.
    """
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cells.append(cell)
    return cells


def export_xlsx(header: list[str], rows: Iterable[list[str]], *, title=None) -> bytes:
    """The workbook: every cell a text cell, no apostrophes, no formulas."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(title) if title is not None else gettext("Board"))
    sheet.append(_text_cells(sheet, header))
    for row in rows:
        sheet.append(_text_cells(sheet, row))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
