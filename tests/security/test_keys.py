"""Key rotation: after it, everything opens with the new key alone; a wrong key fails loudly."""

import datetime as dt
import io

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.core.management import call_command, get_commands
from django.db import connection

from casework.cases.encryption import FieldDecryptionError, encrypted_fields
from casework.cases.models import FamilyContact, Person, Source
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


@pytest.mark.skipif(
    "rotate_encryption_keys" not in get_commands(),
    reason="the rotate_encryption_keys command is not on this branch yet",
)
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
