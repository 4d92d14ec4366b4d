"""Turn a template and a whitelisted context into a letter, and the letter into files.

A letter is first a *document*: a plain, JSON-serialisable list of paragraphs (kept on
the ``Letter``), so the browser preview, the PDF, the DOCX and the plain text all carry
exactly the same paragraphs. Values are escaped by each output format, never before:
the HTML by Django's autoescaping, the DOCX and text as literal text.
"""

import functools
import io
from pathlib import Path

from django.template.loader import render_to_string

from casework.letters import sandbox, wording
from casework.letters.models import LetterTemplate, Recipient

PDF_STYLESHEET = Path(__file__).resolve().parent / "pdf.css"

# Fonts in the order a reader's machine is likely to have them; the PDF embeds Noto.
DOCX_FONTS = {
    "en": ("Calibri", "Malgun Gothic"),
    "ko": ("Malgun Gothic", "Malgun Gothic"),
    "zh": ("Microsoft YaHei", "Microsoft YaHei"),
}
HTML_LANG = {"en": "en", "ko": "ko", "zh": "zh-Hans"}
# The language active while a letter is written: the letter's own, never the reader's
# interface language (the sandbox's filters, such as ``yesno``, speak the active one).
DJANGO_LANGUAGE = {"en": "en", "ko": "ko", "zh": "zh-hans"}


def _blocks(text: str) -> list[dict]:
    """One paragraph per non-empty line; lines starting with '- ' become list items."""
    blocks = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith(("- ", "* ")):
            blocks.append({"kind": "li", "text": line[2:].strip()})
        else:
            blocks.append({"kind": "p", "text": line})
    return blocks


def _salutation(recipient: Recipient, language: str) -> str:
    text = recipient.salutation_in(language) or wording.DEFAULT_SALUTATION[language]
    if text[-1] in ",:：，":
        return text
    return text + ("：" if language == "zh" else ",")


def recipient_lines(recipient: Recipient, language: str) -> list[str]:
    labels = wording.LABELS[language]
    lines = [recipient.title_in(language), recipient.institution_in(language)]
    lines += [line.strip() for line in recipient.postal_address.splitlines() if line.strip()]
    if recipient.fax:
        lines.append(f"{labels['fax']}: {recipient.fax}")
    if recipient.email:
        lines.append(f"{labels['email']}: {recipient.email}")
    return lines


def document_build(
    *,
    template: LetterTemplate,
    context: dict,
    recipient: Recipient,
    copies_to: list[Recipient],
    letter_reference: str,
) -> dict:
    """Render every section of ``template`` and lay the letter out as paragraphs."""
    language = template.language
    labels = wording.LABELS[language]
    colon = "：" if language == "zh" else ": "
    sections = {
        name: sandbox.section_render(source, context)
        for name, source in template.sections().items()
    }
    body = []
    for name in ("asks", "facts", "risk", "legal_basis"):
        body += _blocks(sections[name])
    if context.get("additional_facts") and "additional_facts" not in template.facts:
        body += _blocks(context["additional_facts"])
    return {
        "language": language,
        "date": context["today"],
        "reference_line": f"{labels['reference']}{colon}{letter_reference} / "
        f"{context['reference']}",
        "recipient": recipient_lines(recipient, language),
        "subject": " ".join(sections["subject"].split()),
        "subject_label": labels["subject"],
        "colon": colon,
        "salutation": _salutation(recipient, language),
        "deadline_line": f"{labels['act_before']}{colon}{context['deadline']}"
        if context.get("deadline")
        else "",
        "body": body,
        "closing": _blocks(sections["closing"]),
        "copies_heading": labels["copies"] if copies_to else "",
        "copies": [f"{r.title_in(language)}, {r.institution_in(language)}" for r in copies_to],
    }


def document_paragraphs(document: dict) -> list[str]:
    """Every paragraph of the letter, in order: what each format must show."""
    paragraphs = [document["date"], document["reference_line"], *document["recipient"]]
    paragraphs.append(f"{document['subject_label']}{document['colon']}{document['subject']}")
    if document["deadline_line"]:
        paragraphs.append(document["deadline_line"])
    paragraphs.append(document["salutation"])
    paragraphs += [block["text"] for block in document["body"]]
    paragraphs += [block["text"] for block in document["closing"]]
    if document["copies"]:
        paragraphs.append(document["copies_heading"] + document["colon"].strip())
        paragraphs += document["copies"]
    return paragraphs


def _grouped(blocks: list[dict]) -> list[dict]:
    """Consecutive list items become one list, for HTML."""
    groups: list[dict] = []
    for block in blocks:
        if block["kind"] == "li":
            if not groups or groups[-1]["kind"] != "ul":
                groups.append({"kind": "ul", "items": []})
            groups[-1]["items"].append(block["text"])
        else:
            groups.append(block)
    return groups


def document_html_context(document: dict) -> dict:
    return {
        "doc": document,
        "body": _grouped(document["body"]),
        "html_lang": HTML_LANG[document["language"]],
    }


def document_html(document: dict) -> str:
    """The letter as an HTML fragment (autoescaped), for the preview and the PDF."""
    return render_to_string("letters/_document.html", document_html_context(document))


def _refuse_fetch(url: str, *args, **kwargs):
    # A letter embeds nothing from outside: no file://, no network.
    raise ValueError("Letters do not load external resources.")


@functools.cache
def _pdf_style():
    """The letter's stylesheet, parsed once per process with the font configuration it
    is used with: a tenth of each letter's time. Workers are processes (gunicorn's sync
    workers, Celery's prefork pool), each rendering one letter at a time."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return weasyprint.CSS(filename=str(PDF_STYLESHEET), font_config=fonts), fonts


def document_pdf(document: dict) -> bytes:
    import weasyprint

    html = render_to_string("letters/document_pdf.html", document_html_context(document))
    stylesheet, fonts = _pdf_style()
    return weasyprint.HTML(string=html, url_fetcher=_refuse_fetch).write_pdf(
        stylesheets=[stylesheet], font_config=fonts
    )


def _docx_fonts(doc, language: str) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    latin, east_asian = DOCX_FONTS[language]
    for style_name in ("Normal", "List Bullet"):
        style = doc.styles[style_name]
        style.font.name = latin
        style.font.size = Pt(11)
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), east_asian)


def document_docx(document: dict) -> bytes:
    """An editable Word file with the same paragraphs, for signing on letterhead."""
    import docx

    doc = docx.Document()
    doc.core_properties.title = document["subject"]
    doc.core_properties.language = HTML_LANG[document["language"]]
    _docx_fonts(doc, document["language"])

    def add(text: str, *, bold: bool = False, style: str | None = None) -> None:
        paragraph = doc.add_paragraph(style=style)
        paragraph.add_run(text).bold = bold

    add(document["date"])
    add(document["reference_line"])
    for line in document["recipient"]:
        add(line)
    add(f"{document['subject_label']}{document['colon']}{document['subject']}", bold=True)
    if document["deadline_line"]:
        add(document["deadline_line"], bold=True)
    add(document["salutation"])
    for block in document["body"] + document["closing"]:
        add(block["text"], style="List Bullet" if block["kind"] == "li" else None)
    if document["copies"]:
        add(document["copies_heading"] + document["colon"].strip(), bold=True)
        for line in document["copies"]:
            add(line)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def document_text(document: dict) -> str:
    """Plain text for email: the same paragraphs, bullets as '- '."""
    parts = [document["date"], document["reference_line"], "\n".join(document["recipient"])]
    parts.append(f"{document['subject_label']}{document['colon']}{document['subject']}")
    if document["deadline_line"]:
        parts.append(document["deadline_line"])
    parts.append(document["salutation"])
    for block in document["body"] + document["closing"]:
        parts.append(("- " if block["kind"] == "li" else "") + block["text"])
    if document["copies"]:
        heading = document["copies_heading"] + document["colon"].strip()
        parts.append(heading + "\n" + "\n".join(document["copies"]))
    return "\n\n".join(parts) + "\n"


RENDERERS = {
    "pdf": (document_pdf, "application/pdf"),
    "docx": (
        document_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "txt": (lambda d: document_text(d).encode("utf-8"), "text/plain; charset=utf-8"),
}


def document_file(document: dict, file_format: str) -> bytes:
    return RENDERERS[file_format][0](document)
