"""A document's file is encrypted by the one owner of encryption, fails loudly under a
wrong key, and leaves nothing behind when its person is erased."""

import pytest
from cryptography.fernet import Fernet

from casework.cases.encryption import (
    FieldDecryptionError,
    decrypt_bytes,
    encrypted_file_rotate,
    rotating_path,
)
from casework.documents import services
from casework.documents.models import Document
from casework.erasure import services as erasure
from tests.documents.helpers import document_add, pdf
from tests.factories import PersonFactory, UserFactory

KEY, NEWER, WRONG = (Fernet.generate_key().decode() for _ in range(3))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FIELD_ENCRYPTION_KEYS = [KEY]
    return settings.MEDIA_ROOT


@pytest.fixture
def document(cast) -> Document:
    person = PersonFactory(pseudonym="Spring swallow", caseworkers=[cast.alice])
    return document_add(person, by=cast.alice, text="passport")


def stored(document: Document):
    return services.document_root() / document.stored_name


def test_the_file_is_a_token_of_the_field_encryption_keys(document):
    token = stored(document).read_bytes()

    assert b"passport" not in token
    assert Fernet(KEY.encode()).decrypt(token) == pdf("passport")
    assert decrypt_bytes(token) == services.document_read(document=document)


def test_a_wrong_key_fails_loudly_naming_the_document_not_its_content(document, settings):
    settings.FIELD_ENCRYPTION_KEYS = [WRONG]

    with pytest.raises(FieldDecryptionError, match=f"document #{document.pk}") as failed:
        services.document_read(document=document)

    assert "passport" not in str(failed.value)


def test_erasure_removes_a_copy_an_interrupted_rotation_left_beside_the_file(
    document, cast, settings
):
    settings.FIELD_ENCRYPTION_KEYS = [NEWER, KEY]
    rotating_path(stored(document)).write_bytes(b"half of a rotation")
    frank = UserFactory(username="frank", role="Administrator")
    request = erasure.erasure_request(person=document.person, requested_by=cast.erin)

    erasure.erasure_confirm(erasure=request, confirmed_by=frank)

    assert list(services.document_root().iterdir()) == []


def test_rotating_a_file_twice_rewrites_it_once(document, settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEWER, KEY]

    first, second = encrypted_file_rotate(stored(document)), encrypted_file_rotate(stored(document))

    assert (first, second) == (True, False)
    assert Fernet(NEWER.encode()).decrypt(stored(document).read_bytes()) == pdf("passport")
    assert oct(stored(document).stat().st_mode & 0o777) == oct(0o600)
