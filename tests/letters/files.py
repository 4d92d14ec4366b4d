"""Read back what the renderers wrote: PDF text through poppler, DOCX through python-docx."""

import io
import shutil
import subprocess

import docx
import pytest


def pdf_text(content: bytes, *, layout: bool = False) -> str:
    """The PDF's text with whitespace collapsed (pdftotext from poppler-utils)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    args = [tool, *(["-layout"] if layout else []), "-", "-"]
    result = subprocess.run(args, input=content, capture_output=True, check=True)  # noqa: S603
    return " ".join(result.stdout.decode("utf-8").split())


def docx_paragraphs(content: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(content)).paragraphs if p.text.strip()]


def pdf_fonts(content: bytes) -> set[str]:
    """The names of the fonts a PDF embeds, without their subset prefix (pdffonts)."""
    tool = shutil.which("pdffonts")
    if tool is None:
        pytest.skip("pdffonts is not installed (apt-get install poppler-utils)")
    result = subprocess.run([tool, "-"], input=content, capture_output=True, check=True)  # noqa: S603
    rows = result.stdout.decode("utf-8").splitlines()[2:]
    return {row.split()[0].split("+", 1)[-1] for row in rows if row.strip()}
