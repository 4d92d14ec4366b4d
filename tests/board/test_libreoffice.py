"""A Korean user's CSV export opened by LibreOffice Calc (headless): the Korean headers
and values arrive intact, and the byte-order mark does not end up in the first header.

Marked like the browser tests (a real desktop program, installed in the same CI job):
skipped when ``soffice`` is missing, a failure instead in CI
(CASEWORK_REQUIRE_SERVICES=1, tests/conftest.py). Debian: ``apt-get install
--no-install-recommends libreoffice-calc-nogui``.

The conversion names the CSV's encoding (UTF-8, filter token 76): LibreOffice 7.4's
command-line CSV import never sniffs a byte-order mark (with no options it reads
Windows-1252, with an empty charset token the locale's encoding), unlike Calc's Text
Import dialog and Excel, which take UTF-8 from the mark.
"""

import io
import os
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from tests.board.test_korean import KOREAN, KOREAN_HEADERS

pytestmark = pytest.mark.browser

# Comma-separated, double quotes, UTF-8, data from line 1.
CSV_UTF8 = "CSV:44,34,76,1"


@pytest.fixture
def soffice():
    path = shutil.which("soffice")
    if path is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    return path


def calc_rows(soffice: str, csv_file, tmp_path) -> list[tuple]:
    """The rows Calc reads from ``csv_file``, through a conversion to XLSX."""
    out = tmp_path / "out"
    subprocess.run(  # noqa: S603  # nosec B603  a fixed program and our own files
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            f"--infilter={CSV_UTF8}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(csv_file),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        # A locale without UTF-8, so nothing but the file and the filter decide.
        env={**os.environ, "HOME": str(tmp_path), "LANG": "C", "LC_ALL": "C"},
    )
    workbook = load_workbook(io.BytesIO((out / f"{csv_file.stem}.xlsx").read_bytes()))
    return list(workbook.active.iter_rows(values_only=True))


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
    assert bae[7] == "예"
