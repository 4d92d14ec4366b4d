"""Exports of the board list, the access log, formula neutralisation and the summary."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from casework.accounts.enums import AccessAction
from casework.accounts.models import AccessLogEntry
from casework.board.exports import IDENTITY_COLUMNS, PSEUDONYMOUS_COLUMNS, cell_neutralise
from casework.cases.enums import Status
from tests.board.conftest import day
from tests.factories import PersonFactory, record


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_csv_holds_the_filtered_list_with_pseudonymous_columns(world, cast, client_for):
    response = client_for(cast.carol).get(
        "/board/export.csv", {"status": "at_risk", "province": "Jilin"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"].count("no-store") == 1
    assert "casework-board.csv" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert list(rows[0]) == PSEUDONYMOUS_COLUMNS
    assert rows == [
        {
            "reference": world.bae.reference,
            "pseudonym": "Border Bae",
            "sex": "Male",
            "age band": "Child (2–17)",
            "status": "Transferred",
            "facility or place": "Tumen detention centre",
            "province": "Jilin",
            "place now": "Jilin",
            "province of arrest": "Jilin",
            "border point": "yes",
            "planned transfer or return": "",
            "last heard": "2025-06-25",
            "confidence": "Reported",
            "vulnerabilities": "Child",
            "groups": "",
            "caseworkers": "alice",
        }
    ]
    assert "Kim Legal" not in str(rows)


def test_every_export_is_logged_with_the_filter_and_no_values(world, cast, client_for):
    client = client_for(cast.carol)
    b"".join(client.get("/board/export.csv", {"province": "Jilin", "exact": "1"}).streaming_content)
    client.get("/board/export.xlsx", {"status": "returned"})

    entries = AccessLogEntry.objects.order_by("id")
    assert [(e.user, e.action, e.reference, e.detail) for e in entries] == [
        (cast.carol, AccessAction.EXPORTED, "board", "board.csv?province=Jilin"),
        (cast.carol, AccessAction.EXPORTED, "board", "board.xlsx?status=returned"),
    ]


def test_the_xlsx_holds_the_same_rows(world, cast, client_for):
    rows = xlsx_rows(client_for(cast.carol).get("/board/export.xlsx", {"status": "in_custody"}))
    assert rows[0] == PSEUDONYMOUS_COLUMNS
    assert sorted(row[1] for row in rows[1:]) == ["Border Bae", "Elder Eom", "Planned Pak"]


def test_identities_need_the_permission_and_the_asking(world, cast, client_for):
    params = {"status": "returned", "identities": "1"}
    rows = csv_rows(client_for(cast.carol).get("/board/export.csv", params))
    assert list(rows[0]) == PSEUDONYMOUS_COLUMNS + IDENTITY_COLUMNS
    assert rows[0]["legal name (Latin)"] == world.ri.legal_name
    assert AccessLogEntry.objects.get().detail == "board.csv?status=returned&identities=1"

    # Advocates read the board but may not reveal identities: the request is ignored.
    rows = csv_rows(client_for(cast.dana).get("/board/export.csv", params))
    assert list(rows[0]) == PSEUDONYMOUS_COLUMNS
    # Without asking, a coordinator gets pseudonymous columns too.
    rows = csv_rows(client_for(cast.carol).get("/board/export.csv", {"status": "returned"}))
    assert list(rows[0]) == PSEUDONYMOUS_COLUMNS


def test_source_identities_are_never_exported(world, cast, client_for):
    text = b"".join(
        client_for(cast.carol).get("/board/export.csv", {"identities": "1"}).streaming_content
    ).decode()
    assert "Contact person in Seoul" not in text  # the factory's source identity


# Each form a spreadsheet may run as a formula (OWASP's CSV injection list, and what
# LibreOffice runs with "trim spaces" and "evaluate formulas" on); the LibreOffice test
# (tests/board/test_libreoffice.py) opens exports holding each of them.
DANGEROUS = [
    "=1+1",
    " =1+1",
    "\n=1+1",
    "\uff1d1+1",  # full-width =
    "+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
]


@pytest.mark.parametrize(
    "value, expected",
    [
        # The ASCII formula characters.
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 555", "'+1 555"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        # Their full-width forms.
        ("\uff1d1+1", "'\uff1d1+1"),
        ("\uff0b1", "'\uff0b1"),
        ("\uff0d2+3", "'\uff0d2+3"),
        ("\uff20SUM(A1)", "'\uff20SUM(A1)"),
        # A formula character after leading whitespace, of every kind.
        (" =1+1", "' =1+1"),
        ("   +1", "'   +1"),
        ("\n=1+1", "'\n=1+1"),
        ("\r\n-2", "'\r\n-2"),
        (" \t@SUM(A1)", "' \t@SUM(A1)"),
        ("\u3000\uff1d1", "'\u3000\uff1d1"),  # an ideographic space, a full-width =
        # A tab or a carriage return first, whatever follows.
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        # Left alone: no formula character first, even after whitespace, and whitespace
        # before ordinary text (a space or a newline is not dangerous by itself).
        ("Kim", "Kim"),
        ("a=1", "a=1"),
        (" Kim", " Kim"),
        ("\nKim", "\nKim"),
        ("Kim =1", "Kim =1"),
        ("\uff21", "\uff21"),  # a full-width A
        ("", ""),
        (None, ""),
        (12, "12"),
    ],
)
def test_cells_are_neutralised(value, expected):
    assert cell_neutralise(value) == expected


def test_formulas_are_neutralised_in_the_csv(world, cast, client_for, today):
    evil = PersonFactory(pseudonym="=cmd|' /C calc'!A0", caseworkers=[cast.alice])
    record(evil, Status.DETAINED, today, place="@SUM(1+1)")
    spaced = PersonFactory(pseudonym=" =1+1", caseworkers=[cast.alice])
    record(spaced, Status.DETAINED, today, place="\uff0b1")
    client = client_for(cast.carol)
    params = {"last_heard_after": today.isoformat()}

    rows = csv_rows(client.get("/board/export.csv", params))
    assert sorted((r["pseudonym"], r["facility or place"]) for r in rows) == [
        ("' =1+1", "'\uff0b1"),
        ("'=cmd|' /C calc'!A0", "'@SUM(1+1)"),
    ]


def dangerous_people(cast) -> dict[str, str]:
    """One person per dangerous form, as pseudonym; their references mapped to it."""
    return {
        PersonFactory(pseudonym=value, caseworkers=[cast.alice]).reference: value
        for value in DANGEROUS
    }


def test_the_xlsx_holds_text_cells_as_they_are_and_no_formula(world, cast, client_for):
    dangerous = dangerous_people(cast)
    response = client_for(cast.carol).get("/board/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active

    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert cells
    assert {cell.data_type for cell in cells} == {"s"}  # no formula, no number: text
    assert not [c.value for c in cells if c.value.startswith("'")]  # no apostrophe
    pseudonyms = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert {ref: pseudonyms[ref] for ref in dangerous} == dangerous  # exactly as stored


def test_the_xlsx_writes_a_value_starting_with_equals_as_a_string(world, cast, client_for):
    """In the file itself: an inline string, never an <f> element (openpyxl's formula)."""
    PersonFactory(pseudonym="=1+1", caseworkers=[cast.alice])
    response = client_for(cast.carol).get("/board/export.xlsx")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    assert "<is><t>=1+1</t></is>" in xml


def test_a_bad_filter_makes_no_export_and_logs_nothing(world, cast, client_for):
    response = client_for(cast.carol).get("/board/export.csv", {"last_heard_after": "2025-13-45"})
    assert response.status_code == 400
    assert response.content.decode() == (
        "The export was not made. Last heard between: Enter a valid date."
    )
    assert AccessLogEntry.objects.count() == 0


class TestPublishableSummary:
    def test_small_counts_read_fewer_than_3(self, world, cast, client_for):
        response = client_for(cast.carol).get(
            "/board/summary.txt", {"detained_after": "2024-07-01"}
        )
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert "no-store" in response["Cache-Control"]
        assert response.content.decode() == (
            f"Since {day(2024, 7, 1)}: at least 6 people detained, of whom at least one forcibly "
            "returned, at least 3 still in detention, at least one reached a safe country and "
            "fewer than 3 whose fate is unknown, including fewer than 3 children, fewer than 3 "
            "babies born in detention and fewer than 3 elderly women.\n"
        )

    def test_the_coordinator_may_opt_out(self, world, cast, client_for):
        response = client_for(cast.carol).get(
            "/board/summary.txt", {"detained_after": "2024-07-01", "exact": "1"}
        )
        assert "and one whose fate is unknown, including one child," in response.content.decode()

    def test_the_board_page_shows_the_suppressed_summary_by_default(self, world, cast, client_for):
        client = client_for(cast.carol)
        body = client.get("/board/").content.decode()
        assert "including fewer than 3 children" in body
        body = client.get("/board/", {"exact": "1"}).content.decode()
        assert "including one child" in body
        assert "do not publish" in body

    def test_no_one_detained(self, cast, client_for, db):
        response = client_for(cast.carol).get("/board/summary.txt")
        assert response.content.decode() == "In all records: no people detained.\n"

    def test_a_bad_filter_makes_no_summary(self, world, cast, client_for):
        response = client_for(cast.carol).get("/board/summary.txt", {"detained_before": "soon"})
        assert response.status_code == 400
        assert "Newly detained between: Enter a valid date." in response.content.decode()


def test_an_export_without_identities_reads_no_encrypted_column(world, cast, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(cast.carol)
    with CaptureQueriesContext(connection) as captured:
        rows = csv_rows(client.get("/board/export.csv"))

    assert len(rows) == 8
    person_reads = [q["sql"] for q in captured if 'FROM "cases_person"' in q["sql"]]
    assert person_reads
    assert not [sql for sql in person_reads if '"legal_name"' in sql or '"home_town"' in sql]
