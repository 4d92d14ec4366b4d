"""Identities are encrypted at rest, in the main tables and in history, under keys of
their own; rotation re-encrypts everything and a wrong key fails loudly."""

import datetime
import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from casework.cases.encryption import FieldDecryptionError
from casework.cases.models import FamilyContact, Person, Source
from tests.factories import FamilyContactFactory, PersonFactory, SourceFactory

pytestmark = pytest.mark.django_db

CANARY = "Canary Kwon Ok-sun"
KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


def raw_rows(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return repr(cursor.fetchall())


def test_identity_fields_round_trip():
    person = PersonFactory(
        legal_name=CANARY,
        legal_name_ko="권옥순",
        legal_name_zh="权玉顺",
        date_of_birth=datetime.date(1984, 2, 29),
        home_town="Hoeryong",
        identity_notes="scar on the left hand",
    )
    again = Person.objects.get(pk=person.pk)
    assert again.legal_name == CANARY
    assert again.legal_name_ko == "권옥순"
    assert again.legal_name_zh == "权玉顺"
    assert again.date_of_birth == datetime.date(1984, 2, 29)
    assert again.home_town == "Hoeryong"
    assert again.identity_notes == "scar on the left hand"


def test_no_plaintext_identity_in_the_raw_database_nor_in_history():
    person = PersonFactory(legal_name=CANARY, legal_name_ko="권옥순", home_town="Hoeryong")
    person.legal_name = CANARY + " Jr"
    person.save()
    FamilyContactFactory(person=person, name="Canary Sister", contact_channel="+82 10 1234")
    SourceFactory(identity="Canary Informant")

    dump = (
        "".join(
            raw_rows(model._meta.db_table)
            for model in (Person, Person.history.model, FamilyContact, FamilyContact.history.model)
        )
        + raw_rows(Source._meta.db_table)
        + raw_rows(Source.history.model._meta.db_table)
    )

    assert Person.history.count() == 2
    for secret in ("Canary", "권옥순", "Hoeryong", "+82 10 1234"):
        assert secret not in dump


def test_exact_match_goes_through_the_blind_index():
    person = PersonFactory(legal_name="Ri Chol-su")
    PersonFactory(legal_name="Ri Chol-ho")

    assert list(Person.objects.with_legal_name("  ri  CHOL-SU ")) == [person]
    assert person.legal_name_index not in ("", "Ri Chol-su")


def test_searching_an_encrypted_column_is_refused():
    with pytest.raises(ImproperlyConfigured, match="blind index"):
        Person.objects.filter(legal_name__icontains="Ri").count()


def test_rotation_re_encrypts_everything_under_the_new_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    person = PersonFactory(legal_name=CANARY, date_of_birth=datetime.date(1990, 1, 2))
    contact = FamilyContactFactory(person=person, contact_channel="+82 10 9999")

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    call_command("rotate_encryption_keys", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]

    assert Person.objects.get(pk=person.pk).legal_name == CANARY
    assert Person.objects.get(pk=person.pk).date_of_birth == datetime.date(1990, 1, 2)
    assert FamilyContact.objects.get(pk=contact.pk).contact_channel == "+82 10 9999"
    assert Person.history.get(history_type="+").legal_name == CANARY


def test_a_wrong_key_fails_loudly_instead_of_showing_ciphertext(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    person = PersonFactory(legal_name=CANARY)

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    with pytest.raises(FieldDecryptionError, match="cases.Person.legal_name"):
        Person.objects.get(pk=person.pk)


@pytest.mark.no_tally_check  # the failed query leaves the transaction unusable
def test_a_malformed_key_is_a_configuration_error(settings):
    settings.FIELD_ENCRYPTION_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured, match="malformed"):
        PersonFactory(legal_name=CANARY)
