"""A letter names a person only when every family contact's consent allows naming to
that kind of recipient and the user's role may see identities — in every format."""

import pytest
from django.db import connection

from casework.accounts.enums import AccessAction
from casework.accounts.models import AccessLogEntry
from casework.cases.enums import Consent
from casework.letters import rendering
from casework.letters.enums import Audience
from casework.letters.models import Recipient
from casework.letters.services import letter_generate
from tests.factories import FamilyContactFactory
from tests.letters.conftest import SOURCE_IDENTITY, build_trafficked_person
from tests.letters.files import docx_paragraphs, pdf_text

LEGAL = {"en": "Choe Legal-Name", "ko": "최법명", "zh": "崔法名"}


@pytest.fixture
def press(db) -> Recipient:
    return Recipient.objects.create(
        title="Editors", institution="Public appeal", country="XX", audience=Audience.PUBLIC
    )


def every_format(letter) -> dict[str, str]:
    files = {f.format: f.content() for f in letter.files.all()}
    return {
        "preview": rendering.document_html(letter.document),
        "pdf": pdf_text(files["pdf"]),
        "docx": "\n".join(docx_paragraphs(files["docx"])),
        "txt": files["txt"].decode(),
    }


def write(user, person, recipient, language="en"):
    return letter_generate(
        user=user, template_slug="trafficking-victim", language=language,
        recipient=recipient, person=person,
    )  # fmt: skip


@pytest.mark.parametrize("language", ["en", "ko", "zh"])
def test_consent_to_private_letters_names_the_person_to_officials(cast, minister, language):
    magnolia = build_trafficked_person()
    FamilyContactFactory(person=magnolia, consent=Consent.PRIVATE_LETTERS)
    letter = write(cast.carol, magnolia, minister, language)
    assert letter.names_person is True
    for name, content in every_format(letter).items():
        assert LEGAL[language] in content, name
        assert SOURCE_IDENTITY not in content, name


@pytest.mark.parametrize(
    "consents, audience, user, named",
    [
        ([], Audience.OFFICIAL, "carol", False),  # nobody asked the family
        ([Consent.PRIVATE], Audience.OFFICIAL, "carol", False),
        ([Consent.PRIVATE_LETTERS], Audience.PUBLIC, "carol", False),
        ([Consent.PUBLIC], Audience.PUBLIC, "carol", True),
        ([Consent.PUBLIC], Audience.OFFICIAL, "carol", True),
        ([Consent.PUBLIC, Consent.PRIVATE], Audience.OFFICIAL, "carol", False),  # one refused
        ([Consent.PRIVATE_LETTERS], Audience.OFFICIAL, "dana", False),  # role may not reveal
    ],
)
def test_the_legal_name_appears_only_when_consent_and_role_allow(
    cast, minister, press, consents, audience, user, named
):
    magnolia = build_trafficked_person()
    for consent in consents:
        FamilyContactFactory(person=magnolia, consent=consent)
    recipient = minister if audience == Audience.OFFICIAL else press
    letter = write(getattr(cast, user), magnolia, recipient)
    assert letter.names_person is named
    for name, content in every_format(letter).items():
        assert (LEGAL["en"] in content) is named, name
        assert ("Magnolia" in content) is not named, name


def test_a_letter_naming_a_person_opens_only_for_those_who_may_see_identities(
    cast, client_for, minister
):
    magnolia = build_trafficked_person()
    FamilyContactFactory(person=magnolia, consent=Consent.PRIVATE_LETTERS)
    letter = write(cast.carol, magnolia, minister)

    client = client_for(cast.dana)  # an advocate: sees the case, not identities
    page = client.get(f"/letters/{letter.reference}/")
    assert page.status_code == 200
    assert LEGAL["en"] not in page.content.decode()
    assert "may not see" in page.content.decode()
    assert client.get(f"/letters/{letter.reference}/download.pdf").status_code == 403

    client = client_for(cast.carol)
    page = client.get(f"/letters/{letter.reference}/")
    assert LEGAL["en"] in page.content.decode()
    assert client.get(f"/letters/{letter.reference}/download.txt").status_code == 200
    reveals = AccessLogEntry.objects.filter(
        action=AccessAction.REVEALED_IDENTITY, reference=magnolia.reference
    )
    assert [e.detail for e in reveals.order_by("at", "id")] == [
        f"preview of {letter.reference}",
        f"download of {letter.reference}.txt",
    ]
    for entry in AccessLogEntry.objects.all():
        assert LEGAL["en"] not in entry.detail


def test_generation_is_logged_by_reference_without_the_name(cast, minister):
    magnolia = build_trafficked_person()
    FamilyContactFactory(person=magnolia, consent=Consent.PRIVATE_LETTERS)
    letter = write(cast.carol, magnolia, minister)
    entry = AccessLogEntry.objects.get(action=AccessAction.GENERATED_LETTER)
    assert entry.user == cast.carol
    assert entry.reference == magnolia.reference
    assert entry.detail == (
        f"{letter.reference} trafficking-victim/en to recipient {minister.pk} (names the person)"
    )


def test_a_letter_naming_a_person_holds_the_name_only_encrypted_at_rest(cast, minister):
    magnolia = build_trafficked_person()
    FamilyContactFactory(person=magnolia, consent=Consent.PRIVATE_LETTERS)
    letter = write(cast.carol, magnolia, minister)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM letters_letter")
        rows = repr(cursor.fetchall())
        cursor.execute("SELECT * FROM letters_historicalletter")
        rows += repr(cursor.fetchall())
    assert "Magnolia" not in rows and LEGAL["en"] not in rows
    text_file = letter.files.get(format="txt")
    with text_file.file.open("rb") as handle:
        assert LEGAL["en"].encode() not in handle.read()
    assert LEGAL["en"] in text_file.content().decode()


def test_a_letter_made_without_a_user_names_nobody(cast):
    """Work done on nobody's behalf (a task, a script) never decides to name a person,
    whatever the family allowed."""
    from casework.letters.context import naming_allowed
    from tests.factories import PersonFactory

    person = PersonFactory(caseworkers=[cast.alice])
    public = {Consent.PUBLIC}
    assert naming_allowed(user=cast.carol, person=person, consents=public, audience="public")
    assert not naming_allowed(user=None, person=person, consents=public, audience="public")
