"""A PostgreSQL dump restores into an empty database with everything readable.

Follows docs/backup.md: pg_dump in custom format, pg_restore into a new database, the
field encryption keys supplied from elsewhere. The dump itself holds only ciphertext, so
a stolen dump without the keys reveals no identity.

Uses its own throw-away databases on the PostgreSQL server of BACKUP_TEST_DATABASE_URL
(default: the local server CI starts), whatever database the rest of the suite runs on.
"""

import os
import secrets
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent.parent
SERVER = os.environ.get("BACKUP_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
CANARY = "Canaryname Ri Sunhee"

SEED = f"""
import datetime
from casework.cases.models import Person
from tests.factories import FamilyContactFactory, PersonFactory, UserFactory, record
alice = UserFactory(username="alice", role="Caseworker")
person = PersonFactory(pseudonym="Spring swallow", legal_name="{CANARY}",
                       date_of_birth=datetime.date(1990, 5, 17), caseworkers=[alice])
FamilyContactFactory(person=person, contact_channel="+82 10 5555 0199")
record(person, "detained", by=alice)
person.home_town = "Hyesan"
person.save()
print(person.reference)
"""

READ = """
from casework.cases.models import Person
person = Person.objects.get(reference=REFERENCE)
contact = person.family_contacts.get()
print(person.legal_name, person.date_of_birth, person.home_town, contact.contact_channel,
      person.custody_events.count(), person.history.count(), sep="|")
"""


def _server():
    try:
        import psycopg
    except ImportError:  # pragma: no cover
        pytest.skip("psycopg is not installed")
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        pytest.skip("pg_dump/pg_restore are not installed (apt-get install postgresql-client)")
    try:
        return psycopg.connect(SERVER, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL server at BACKUP_TEST_DATABASE_URL: {exc}")


def _url(name: str) -> str:
    return SERVER.rsplit("/", 1)[0] + "/" + name


def run(args, database_url, keys):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY"}
    }
    env.update(
        DATABASE_URL=database_url,
        FIELD_ENCRYPTION_KEYS=keys,
        BLIND_INDEX_KEY="blind-index-key-for-the-backup-test",
        DJANGO_SETTINGS_MODULE="casework.settings",
    )
    return subprocess.run(  # noqa: S603
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def manage(*args, database_url, keys, check=True):
    result = run([sys.executable, "manage.py", *args], database_url, keys)
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


@dataclass
class Backup:
    path: Path
    keys: str
    reference: str


@pytest.fixture(scope="module")
def backup(tmp_path_factory):
    """A live database with a case in it, dumped as docs/backup.md says, then dropped."""
    server = _server()
    name = f"casework_backup_src_{secrets.token_hex(4)}"
    server.execute(f'CREATE DATABASE "{name}"')
    keys = Fernet.generate_key().decode()
    path = tmp_path_factory.mktemp("backup") / "casework.dump"
    try:
        manage("migrate", "--noinput", database_url=_url(name), keys=keys)
        seeded = manage("shell", "--no-imports", "-c", SEED, database_url=_url(name), keys=keys)
        dumped = run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={path}", _url(name)],
            _url(name),
            keys,
        )
        assert dumped.returncode == 0, dumped.stderr
    finally:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()
    return Backup(path=path, keys=keys, reference=seeded.stdout.split()[-1])


@pytest.fixture
def empty_database():
    server = _server()
    name = f"casework_backup_dst_{secrets.token_hex(4)}"
    server.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _url(name)
    finally:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()


def restore(backup: Backup, database_url: str) -> None:
    restored = run(
        [
            "pg_restore",
            "--no-owner",
            "--exit-on-error",
            f"--dbname={database_url}",
            str(backup.path),
        ],
        database_url,
        backup.keys,
    )
    assert restored.returncode == 0, restored.stderr


def read(backup: Backup, database_url: str, keys: str, check=True):
    script = READ.replace("REFERENCE", repr(backup.reference))
    return manage(
        "shell", "--no-imports", "-c", script, database_url=database_url, keys=keys, check=check
    )


def test_the_dump_holds_neither_identities_nor_keys(backup):
    raw = backup.path.read_bytes()

    assert CANARY.encode() not in raw
    assert b"Hyesan" not in raw
    assert backup.keys.encode() not in raw


def test_a_dump_restores_into_an_empty_database_with_everything_readable(backup, empty_database):
    restore(backup, empty_database)

    # Nothing left to migrate, and every value opens with the keys kept apart.
    manage("migrate", "--check", database_url=empty_database, keys=backup.keys)
    result = read(backup, empty_database, backup.keys)
    legal_name, born, town, channel, events, versions = (
        result.stdout.strip().splitlines()[-1].split("|")
    )
    assert (legal_name, born, town, channel, events) == (
        CANARY,
        "1990-05-17",
        "Hyesan",
        "+82 10 5555 0199",
        "1",
    )
    assert int(versions) >= 2


def test_a_restored_dump_without_its_keys_fails_loudly(backup, empty_database):
    restore(backup, empty_database)

    wrong = read(backup, empty_database, Fernet.generate_key().decode(), check=False)

    assert wrong.returncode != 0
    assert "FieldDecryptionError" in wrong.stderr
    assert CANARY not in wrong.stdout + wrong.stderr
