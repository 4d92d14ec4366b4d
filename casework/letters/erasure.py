"""What erasing a person does to letters (an erasure hook, see ``casework.erasure``).

- Letters about the person: their rows go with the person (the purge deletes every row
  pointing at them); their rendered files, which carry the reference, pseudonym, facts
  and sometimes the legal name, are removed here, each letter's whole folder.
- Letters about a group the person belonged to stay: they are the record of what was
  sent about the others. A group letter's own wording names no member (counts, places
  and dates only), but free text can: additional facts typed by an advocate, a response
  note. Wherever such a letter mentions the person (reference, a pseudonym or a legal
  name they have had), the mention is replaced by ``ERASED_MARK`` in the stored letter,
  its free-text columns and their history, and its files are rendered again from the
  redacted letter.
"""

from casework.cases.models import Person
from casework.letters.files import letter_folder_remove, letter_folder_tidy
from casework.letters.models import Letter, LetterBatch

ERASED_MARK = "[…]"
# Free text of a letter that may name anyone; the rendered document is redacted too.
FREE_TEXT = ("additional_facts", "response_note")


NAMES = ("reference", "pseudonym", "legal_name", "legal_name_ko", "legal_name_zh")


def _identifiers(person: Person) -> list[str]:
    """Everything that ever named the person (the history keeps earlier pseudonyms and
    names), longest first, so that a name holding another goes whole."""
    values = {getattr(person, name) for name in NAMES}
    for row in person.history.values_list(*NAMES):
        values.update(row)
    return sorted({v.strip() for v in values if v and len(v.strip()) > 1}, key=len, reverse=True)


def _redacted(value, identifiers: list[str]):
    if isinstance(value, str):
        for identifier in identifiers:
            value = value.replace(identifier, ERASED_MARK)
        return value
    if isinstance(value, list):
        return [_redacted(item, identifiers) for item in value]
    if isinstance(value, dict):
        return {key: _redacted(item, identifiers) for key, item in value.items()}
    return value


def _group_letter_redact(letter: Letter, identifiers: list[str]) -> None:
    from casework.letters.services import letter_files_attach

    document = _redacted(letter.document, identifiers)
    texts = {name: _redacted(getattr(letter, name), identifiers) for name in FREE_TEXT}
    if document == letter.document and all(texts[n] == getattr(letter, n) for n in FREE_TEXT):
        return
    letter.document = document
    # Updates, not saves: the redaction is no step of the letter's life to record.
    Letter.objects.filter(pk=letter.pk).update(document_sealed=letter.document_sealed, **texts)
    history = Letter.history.model._base_manager.filter(id=letter.pk)
    for row in history.only("pk", *FREE_TEXT):
        history.filter(pk=row.pk).update(
            **{name: _redacted(getattr(row, name), identifiers) for name in FREE_TEXT}
        )
    formats = list(letter.files.values_list("format", flat=True))
    if formats:
        # The new files first, then the old ones go: a failure leaves the old ones.
        letter_files_attach(letter=letter, formats=formats)
        letter_folder_tidy(letter.reference)


def letters_erase(person: Person) -> None:
    """Erasure hook: runs before the rows go, in the erasure's transaction, as the
    documents' hook does (a failed erasure has at worst removed files two
    administrators agreed to erase; the other order could leave them behind)."""
    for reference in Letter.objects.filter(person=person).values_list("reference", flat=True):
        letter_folder_remove(reference)
    identifiers = _identifiers(person)
    groups = person.memberships.values("group")
    for letter in Letter.objects.filter(group__in=groups):
        _group_letter_redact(letter, identifiers)
    batches = LetterBatch.objects.filter(group__in=groups).exclude(additional_facts="")
    for pk, text in batches.values_list("pk", "additional_facts"):
        if (redacted := _redacted(text, identifiers)) != text:
            LetterBatch.objects.filter(pk=pk).update(additional_facts=redacted)
