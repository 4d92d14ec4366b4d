"""A case with stored files: an uploaded document and rendered letters (PDF, DOCX, text)."""

from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.cases.enums import Consent
from casework.documents.models import Document
from casework.documents.services import document_upload
from casework.letters import services as letters
from casework.letters.models import Letter, Recipient
from tests.factories import FamilyContactFactory
from tests.letters.files import docx_paragraphs, pdf_text


def pdf(text: str) -> bytes:
    """A file the upload accepts as a PDF, carrying ``text`` in the clear."""
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + text.encode()


def document_add(person, *, by, text: str) -> Document:
    upload = SimpleUploadedFile("passport scan.pdf", pdf(text), content_type="application/pdf")
    return document_upload(person=person, uploaded_by=by, file=upload)


def minister() -> Recipient:
    """The directory and templates come from a data migration that a transactional
    test's flush wipes out: load them again (idempotent)."""
    letters.recipients_seed_demo()
    letters.letter_templates_seed_demo()
    return Recipient.objects.get(title="Minister of Public Security")


def consent_to_letters(person) -> None:
    """Every family contact allows naming ``person`` in private letters to officials."""
    for contact in person.family_contacts.all():
        contact.consent = Consent.PRIVATE_LETTERS
        contact.save()
    FamilyContactFactory(person=person, consent=Consent.PRIVATE_LETTERS)


def person_letter_add(person, *, by) -> Letter:
    """A letter on ``person``: it names them if their family consented and ``by`` may see
    identities, else it calls them by their pseudonym."""
    return letters.letter_generate(
        user=by, template_slug="trafficking-victim", language="en",
        recipient=minister(), person=person,
    )  # fmt: skip


def group_letter_add(group, *, by, additional_facts: str = "") -> Letter:
    return letters.letter_generate(
        user=by, template_slug="group-imminent-return", language="en",
        recipient=minister(), group=group, additional_facts=additional_facts,
    )  # fmt: skip


def readable(path: Path) -> str:
    """What a stored file says, as far as a reader of the disk (with the keys) can tell:
    its raw bytes, and once decrypted, the text of a PDF, a DOCX or a text file."""
    raw = path.read_bytes()
    keys = MultiFernet([Fernet(key) for key in settings.FIELD_ENCRYPTION_KEYS])
    try:
        content = keys.decrypt(raw)
    except InvalidToken:
        content = raw
    name = path.name
    if ".pdf" in name and content.startswith(b"%PDF") and b"/Type" in content:
        text = pdf_text(content)
    elif ".docx" in name and content.startswith(b"PK"):
        text = "\n".join(docx_paragraphs(content))
    else:
        text = content.decode("utf-8", errors="replace")
    return raw.decode("latin-1") + "\n" + text


def media_mentions(media: Path, needles: list[str]) -> list[tuple[str, str]]:
    """(file, needle) for every file under ``media`` that mentions a needle."""
    found = []
    for path in sorted(p for p in media.rglob("*") if p.is_file()):
        text = readable(path)
        found += [(str(path.relative_to(media)), n) for n in needles if n in text]
    return found
