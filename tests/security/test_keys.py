"""Key rotation: after it, everything — columns and stored files — opens with the new key
alone; a wrong key fails loudly, and is found before the site serves."""

import datetime as dt
import io

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from casework.cases import encryption
from casework.cases.encryption import FieldDecryptionError, encrypted_fields
from casework.cases.models import FamilyContact, Person, Source
from casework.letters.models import LetterFile
from tests.documents import helpers as files
from tests.factories import FamilyContactFactory, PersonFactory, SourceFactory
from tests.security.helpers import CANARY, CANARY_CHANNEL

OLD, NEW, WRONG = (Fernet.generate_key().decode() for _ in range(3))


@pytest.fixture
def records(settings, cast):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    person = PersonFactory(legal_name=CANARY, date_of_birth=dt.date(1990, 5, 17))
    person.home_town = "Hyesan"
    person.save()  # a history row under the old key as well
    FamilyContactFactory(person=person, contact_channel=CANARY_CHANNEL)
    SourceFactory(identity=f"Cousin of {CANARY}")
    return person


def stored_tokens() -> list[str]:
    """Every encrypted value as stored, main and history tables alike."""
    tokens = []
    for model in apps.get_models():
        names = [f.column for f in encrypted_fields(model)]
        if not names:
            continue
        columns = ", ".join(connection.ops.quote_name(n) for n in names)
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608
            tokens += [value for row in cursor.fetchall() for value in row if value]
    return tokens


def test_after_rotation_everything_opens_with_the_new_key_alone(records, settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    call_command("rotate_encryption_keys", stdout=io.StringIO())

    settings.FIELD_ENCRYPTION_KEYS = [NEW]

    tokens = stored_tokens()
    assert len(tokens) >= 7
    for token in tokens:
        Fernet(NEW.encode()).decrypt(token.encode())
        with pytest.raises(InvalidToken):
            Fernet(OLD.encode()).decrypt(token.encode())
    person = Person.objects.get(pk=records.pk)
    assert (person.legal_name, person.home_town) == (CANARY, "Hyesan")
    assert [h.legal_name for h in person.history.all()] == [CANARY] * person.history.count()
    assert FamilyContact.objects.get().contact_channel == CANARY_CHANNEL
    assert Source.objects.get().identity == f"Cousin of {CANARY}"


@pytest.mark.parametrize(
    "read",
    [
        lambda: Person.objects.get().legal_name,
        lambda: list(Person.history.all()),
        lambda: FamilyContact.objects.get().contact_channel,
        lambda: Source.objects.get().identity,
    ],
    ids=["person", "history", "family contact", "source"],
)
def test_a_wrong_key_fails_loudly_instead_of_showing_ciphertext(records, settings, read):
    settings.FIELD_ENCRYPTION_KEYS = [WRONG]

    with pytest.raises(FieldDecryptionError, match="no key in FIELD_ENCRYPTION_KEYS opens it"):
        read()


# --- stored files ----------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def case_files(records, cast, media):
    """Under the old key: a scan and the letters on the person (PDF, DOCX, text each),
    with what each file says."""
    records.assigned_caseworkers.add(cast.alice)
    document = files.document_add(records, by=cast.alice, text="scan")
    files.consent_to_letters(records)
    letters = [files.person_letter_add(records, by=cast.carol) for _ in range(2)]
    contents = {item.pk: item.content() for item in LetterFile.objects.all()}
    return document, letters, contents


def stored_files(media) -> list:
    return sorted(p for p in media.rglob("*") if p.is_file())


def rotate(*args) -> str:
    out = io.StringIO()
    call_command("rotate_encryption_keys", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_after_rotation_every_document_and_letter_file_opens_with_the_new_key_alone(
    case_files, settings, cast, client_for, media
):
    document, letters, contents = case_files
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]

    out = rotate()
    settings.FIELD_ENCRYPTION_KEYS = [NEW]

    assert "documents — files: 1, re-encrypted: 1" in out
    assert "letter files — files: 6, re-encrypted: 6" in out
    for path in stored_files(media):
        Fernet(NEW.encode()).decrypt(path.read_bytes())
        with pytest.raises(InvalidToken):
            Fernet(OLD.encode()).decrypt(path.read_bytes())
    client = client_for(cast.carol)
    download = client.get(f"/documents/{document.person.reference}/{document.pk}/")
    assert (download.status_code, download.content) == (200, files.pdf("scan"))
    for letter in letters:
        for item in letter.files.all():
            response = client.get(f"/letters/{letter.reference}/download.{item.format}")
            assert (response.status_code, response.content) == (200, contents[item.pk])


def test_an_interrupted_rotation_loses_nothing_and_finishes_when_run_again(
    case_files, settings, media, monkeypatch
):
    document, letters, contents = case_files
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    replace, calls = encryption.os.replace, []

    def power_cut(source, target):
        calls.append(target)
        if len(calls) == 3:
            raise KeyboardInterrupt  # the machine stops between writing and renaming
        replace(source, target)

    monkeypatch.setattr(encryption.os, "replace", power_cut)
    with pytest.raises(KeyboardInterrupt):
        rotate()
    monkeypatch.setattr(encryption.os, "replace", replace)

    # Every file is whole, under one key or the other; the half-done copy is beside it.
    assert len([p for p in stored_files(media) if p.name.endswith(".rotating")]) == 1
    for item in LetterFile.objects.all():
        assert item.content() == contents[item.pk]
    out = rotate()
    settings.FIELD_ENCRYPTION_KEYS = [NEW]

    # Only what the first run had not done: no column, the file it stopped at and after.
    rows = [line for line in out.splitlines() if " — rows: " in line]
    assert rows and all(line.endswith(", re-encrypted: 0") for line in rows)
    assert "documents — files: 1, re-encrypted: 0" in out
    assert "letter files — files: 6, re-encrypted: 5" in out
    assert [p for p in stored_files(media) if p.name.endswith(".rotating")] == []
    for item in LetterFile.objects.all():
        assert item.content() == contents[item.pk]
    assert len(stored_files(media)) == 7


def test_check_says_whether_an_old_key_may_be_dropped(case_files, settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]

    with pytest.raises(CommandError, match=r"Not under the newest key yet — rows: \d+, files: 7\."):
        rotate("--check")
    rotate()

    assert "Everything is under the newest key." in rotate("--check")


# --- a wrong key found at start-up -----------------------------------------------------


def rotation_forgetting_files(monkeypatch) -> None:
    """The rotation as it was: columns only."""
    monkeypatch.setattr(
        "casework.cases.management.commands.rotate_encryption_keys.encrypted_file_kinds",
        lambda: [],
    )
    rotate()


def test_the_system_check_refuses_a_key_that_opens_nothing(records, settings):
    settings.FIELD_ENCRYPTION_KEYS = [WRONG]

    with pytest.raises(SystemCheckError, match="casework.E020") as refused:
        call_command("check", "--database", "default", stdout=io.StringIO())

    assert "cases.Person" in str(refused.value)
    assert WRONG not in str(refused.value) and OLD not in str(refused.value)


def test_the_system_check_names_files_a_rotation_left_behind(case_files, settings, monkeypatch):
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    rotation_forgetting_files(monkeypatch)
    settings.FIELD_ENCRYPTION_KEYS = [NEW]

    with pytest.raises(SystemCheckError) as refused:
        call_command("check", "--database", "default", stdout=io.StringIO())

    message = str(refused.value)
    assert "stored data of: documents, letter files." in message
    assert "cases.Person" not in message


def test_the_system_check_passes_with_the_right_keys(case_files, settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    rotate()
    settings.FIELD_ENCRYPTION_KEYS = [NEW]

    call_command("check", "--database", "default", stdout=io.StringIO())


def test_healthz_is_503_with_a_wrong_key_and_says_no_more(records, settings, client):
    settings.REDIS_URL = ""
    settings.FIELD_ENCRYPTION_KEYS = [WRONG]

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unhealthy",
        "database": "ok",
        "broker": "embedded",
        "encryption": "wrong_key",
    }


def test_healthz_is_503_when_files_still_need_a_dropped_key(
    case_files, settings, client, monkeypatch
):
    settings.REDIS_URL = ""
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    rotation_forgetting_files(monkeypatch)
    settings.FIELD_ENCRYPTION_KEYS = [NEW]

    response = client.get("/healthz")

    assert (response.status_code, response.json()["encryption"]) == (503, "wrong_key")
