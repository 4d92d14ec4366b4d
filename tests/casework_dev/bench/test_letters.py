"""``bench_letters``: how fast letters render, per format and language."""

from io import StringIO

from django.core.management import call_command


def test_bench_letters_prints_letters_per_second_for_pdf_and_docx(db):
    out = StringIO()
    call_command("bench_letters", "--letters", "1", stdout=out)
    labels = [line.split("  ")[0].strip() for line in out.getvalue().splitlines()]
    assert labels == [
        "letters/s pdf (en)", "letters/s pdf (ko)", "letters/s pdf (zh)",
        "letters/s docx (en)", "letters/s docx (ko)", "letters/s docx (zh)",
    ]  # fmt: skip
