"""Exports of the board list, the access log, formula neutralisation and the summary."""

import csv
import io

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


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 555", "'+1 555"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Kim", "Kim"),
        ("", ""),
        (None, ""),
    ],
)
def test_cells_are_neutralised(value, expected):
    assert cell_neutralise(value) == expected


def test_formulas_are_neutralised_in_csv_and_xlsx(world, cast, client_for, today):
    evil = PersonFactory(pseudonym="=cmd|' /C calc'!A0", caseworkers=[cast.alice])
    record(evil, Status.DETAINED, today, place="@SUM(1+1)")
    client = client_for(cast.carol)
    params = {"last_heard_after": today.isoformat()}

    rows = csv_rows(client.get("/board/export.csv", params))
    assert [(r["pseudonym"], r["facility or place"]) for r in rows] == [
        ("'=cmd|' /C calc'!A0", "'@SUM(1+1)")
    ]
    rows = xlsx_rows(client.get("/board/export.xlsx", params))
    assert rows[1][1:2] == ["'=cmd|' /C calc'!A0"]
    assert rows[1][5] == "'@SUM(1+1)"


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
        assert "Detained between: Enter a valid date." in response.content.decode()


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
