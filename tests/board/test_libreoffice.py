"""Exports opened by LibreOffice Calc (headless): a Korean user's CSV arrives intact
(headers, values, no byte-order mark in the first header), and no dangerous value of a
CSV or XLSX export becomes a formula in Calc.

Marked like the browser tests (a real desktop program, installed in the same CI job):
skipped when ``soffice`` is missing, a failure instead in CI
(CASEWORK_REQUIRE_SERVICES=1, tests/conftest.py). Debian: ``apt-get install
--no-install-recommends libreoffice-calc-nogui``.

The conversion names the CSV's encoding (UTF-8, filter token 76): LibreOffice 7.4's
command-line CSV import never sniffs a byte-order mark (with no options it reads
Windows-1252, with an empty charset token the locale's encoding), unlike Calc's Text
Import dialog and Excel, which take UTF-8 from the mark.

The formula test opens the CSV as a careless user could: LibreOffice 7.4's CSV filter
options (token by token: separator, text delimiter, charset, first line, column
formats, language, quoted field as text, detect special numbers, save as shown,
formulas, **trim spaces** (11), sheets, **evaluate formulas** (13)) with spaces trimmed,
which turns " =1+1" into the formula =1+1, and formulas evaluated, which turns "=1+1"
into one (LibreOffice's default on the command line).
"""

import io
import os
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from casework.board.exports import cell_neutralise
from tests.board.test_exports import DANGEROUS, dangerous_people
from tests.board.test_korean import KOREAN, KOREAN_HEADERS

pytestmark = pytest.mark.browser

# Comma-separated, double quotes, UTF-8, data from line 1.
CSV_UTF8 = "CSV:44,34,76,1"
# The same, quoted fields not forced to text, special numbers detected, spaces trimmed
# (token 11) and formulas evaluated (token 13): the settings most likely to run a formula.
CSV_UTF8_TRIM_EVALUATE = "CSV:44,34,76,1,,0,false,true,false,false,true,,true"


@pytest.fixture
def soffice():
    path = shutil.which("soffice")
    if path is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    return path


def calc_workbook(soffice: str, in_file, tmp_path, infilter: str | None):
    """The workbook Calc makes of ``in_file`` (read with ``infilter``), saved as XLSX."""
    out = tmp_path / "out"
    subprocess.run(  # noqa: S603  # nosec B603  a fixed program and our own files
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            *([f"--infilter={infilter}"] if infilter else []),
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(in_file),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        # A locale without UTF-8, so nothing but the file and the filter decide.
        env={**os.environ, "HOME": str(tmp_path), "LANG": "C", "LC_ALL": "C"},
    )
    return load_workbook(io.BytesIO((out / f"{in_file.stem}.xlsx").read_bytes()))


def calc_rows(soffice: str, csv_file, tmp_path) -> list[tuple]:
    """The rows Calc reads from ``csv_file``, through a conversion to XLSX."""
    workbook = calc_workbook(soffice, csv_file, tmp_path, CSV_UTF8)
    return list(workbook.active.iter_rows(values_only=True))


def cells_by_reference(workbook) -> tuple[list, dict]:
    """Every non-empty cell of the first sheet, and each data row's pseudonym cell."""
    rows = list(workbook.active.iter_rows(min_row=2))
    cells = [cell for row in workbook.active.iter_rows() for cell in row if cell.value is not None]
    return cells, {row[0].value: row[1] for row in rows}


def test_calc_reads_a_korean_csv_export(soffice, world, cast, client_for, speaking, tmp_path):
    client = client_for(cast.carol)
    with speaking(cast.carol, "ko"):
        response = client.get("/board/export.csv", {"status": "at_risk"}, **KOREAN)
    csv_file = tmp_path / "casework-board.csv"
    csv_file.write_bytes(b"".join(response.streaming_content))
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")

    rows = calc_rows(soffice, csv_file, tmp_path)

    assert list(rows[0]) == KOREAN_HEADERS  # the first header without the mark
    bae = next(row for row in rows[1:] if row[1] == "Border Bae")
    assert bae[KOREAN_HEADERS.index("국경·송환 지점")] == "예"


def test_calc_runs_no_formula_from_a_csv_export(soffice, world, cast, client_for, tmp_path):
    dangerous = dangerous_people(cast)
    response = client_for(cast.carol).get("/board/export.csv")
    csv_file = tmp_path / "casework-board.csv"
    csv_file.write_bytes(b"".join(response.streaming_content))

    workbook = calc_workbook(soffice, csv_file, tmp_path, CSV_UTF8_TRIM_EVALUATE)

    cells, pseudonyms = cells_by_reference(workbook)
    assert not [cell.value for cell in cells if cell.data_type == "f"]
    for reference, value in dangerous.items():
        cell = pseudonyms[reference]
        # Text, the value whole behind the neutraliser's apostrophe (a CSV cannot say
        # "text" any other way).
        assert (cell.data_type, cell.value) == ("s", cell_neutralise(value)), value
    assert len(dangerous) == len(DANGEROUS)


def test_calc_runs_no_formula_from_an_xlsx_export(soffice, world, cast, client_for, tmp_path):
    dangerous = dangerous_people(cast)
    response = client_for(cast.carol).get("/board/export.xlsx")
    xlsx_file = tmp_path / "in" / "casework-board.xlsx"
    xlsx_file.parent.mkdir()
    xlsx_file.write_bytes(response.content)

    workbook = calc_workbook(soffice, xlsx_file, tmp_path, None)  # opened and saved by Calc

    cells, pseudonyms = cells_by_reference(workbook)
    assert not [cell.value for cell in cells if cell.data_type == "f"]
    for reference, value in dangerous.items():
        cell = pseudonyms[reference]
        assert (cell.data_type, cell.value) == ("s", value), value  # as stored, no apostrophe
