"""A PostgreSQL backup restores into an empty database with everything readable, and
with everyone erased since erased again.

Runs the "Back up" and "Restore" command blocks of docs/backup.md as they are written
there (read from the file, run by bash): pg_dump in custom format, the files of
MEDIA_ROOT in a tarball, the erasure ledger copied beside them; then pg_restore into a
new database, the files into a new folder, and the ledger re-applied. The keys are
supplied from elsewhere: the dump itself holds only ciphertext, so a stolen dump without
the keys reveals no identity.

Uses its own throw-away databases on the PostgreSQL server of BACKUP_TEST_DATABASE_URL
(default: the local server CI starts), whatever database the rest of the suite runs on.
"""

import os
import re
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
ERASED_NAME = "Erasedname Pak Yongsu"

SEED = f"""
import datetime
from django.core.files.uploadedfile import SimpleUploadedFile
from casework.documents.services import document_upload
from casework.letters.models import Recipient
from casework.letters.services import letter_generate
from tests.factories import FamilyContactFactory, PersonFactory, UserFactory, record
alice = UserFactory(username="alice", role="Caseworker")
carol = UserFactory(username="carol", role="Coordinator")
minister = Recipient.objects.get(title="Minister of Public Security")
person = PersonFactory(pseudonym="Spring swallow", legal_name="{CANARY}",
                       date_of_birth=datetime.date(1990, 5, 17), caseworkers=[alice])
FamilyContactFactory(person=person, contact_channel="+82 10 5555 0199")
record(person, "detained", by=alice)
person.home_town = "Hyesan"
person.save()
doomed = PersonFactory(pseudonym="Winter crane", legal_name="{ERASED_NAME}", caseworkers=[alice])
record(doomed, "detained", by=alice)
for someone in (person, doomed):
    scan = b"%PDF-1.4\\n%%EOF\\n" + someone.pseudonym.encode()
    document_upload(person=someone, uploaded_by=alice,
                    file=SimpleUploadedFile("scan.pdf", scan))
    letter_generate(user=carol, template_slug="trafficking-victim", language="en",
                    recipient=minister, person=someone, formats=("txt",))
print(person.reference, doomed.reference)
"""

ERASE = """
from casework.cases.models import Person
from casework.erasure import services
from tests.factories import UserFactory
erin = UserFactory(username="erin", role="Administrator")
frank = UserFactory(username="frank", role="Administrator")
request = services.erasure_request(person=Person.objects.get(reference=DOOMED),
                                   requested_by=erin)
services.erasure_confirm(erasure=request, confirmed_by=frank)
"""

READ = """
from casework.cases.models import Person
from casework.documents.services import document_read
from casework.erasure.models import Erasure
from casework.erasure.services import reference_digest
person = Person.objects.get(reference=REFERENCE)
contact = person.family_contacts.get()
letter_text = person.letters.get().files.get().content().decode()
print(person.legal_name, person.date_of_birth, person.home_town, contact.contact_channel,
      person.custody_events.count(), person.history.count(),
      document_read(document=person.documents.get()).decode().split("\\n")[-1],
      "Spring swallow" in letter_text,
      Person.objects.filter(reference=DOOMED).exists(),
      list(Erasure.objects.values_list("state", "reference_digest")) ==
      [("erased", reference_digest(DOOMED))], sep="|")
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


def documented(heading: str) -> str:
    """The first ``sh`` block under ``## heading`` in docs/backup.md."""
    text = (ROOT / "docs" / "backup.md").read_text()
    section = text.split(f"\n## {heading}\n", 1)[1]
    return re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)


def run(args, database_url, keys, **env_extra):
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
        # `python` in the documented commands is this interpreter.
        PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
        **env_extra,
    )
    return subprocess.run(  # noqa: S603
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def bash(script: str, database_url: str, keys: str, **env_extra):
    result = run(["bash", "-euo", "pipefail", "-c", script], database_url, keys, **env_extra)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return result


def manage(*args, database_url, keys, check=True, **env_extra):
    result = run([sys.executable, "manage.py", *args], database_url, keys, **env_extra)
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


@dataclass
class Backup:
    folder: Path
    stamp: str
    ledger: Path  # the newest copy: the live ledger, written after the backup
    keys: str
    reference: str  # Spring swallow, kept
    doomed: str  # Winter crane, erased after the backup

    @property
    def dump(self) -> Path:
        return self.folder / f"casework-{self.stamp}.dump"


@pytest.fixture(scope="module")
def backup(tmp_path_factory):
    """A live site with two cases and their files, backed up as docs/backup.md says;
    then one of the two people is erased, and the site is lost."""
    server = _server()
    name = f"casework_backup_src_{secrets.token_hex(4)}"
    server.execute(f'CREATE DATABASE "{name}"')
    keys = Fernet.generate_key().decode()
    site = tmp_path_factory.mktemp("site")
    folder = tmp_path_factory.mktemp("backups")
    env = {"MEDIA_ROOT": str(site / "media"), "ERASURE_LEDGER_PATH": str(site / "ledger.jsonl")}
    try:
        manage("migrate", "--noinput", database_url=_url(name), keys=keys, **env)
        seeded = manage(
            "shell", "--no-imports", "-c", SEED, database_url=_url(name), keys=keys, **env
        )
        reference, doomed = seeded.stdout.split()[-2:]
        bash(documented("Back up"), _url(name), keys, BACKUP_DIR=str(folder), **env)
        erase = ERASE.replace("DOOMED", repr(doomed))
        manage("shell", "--no-imports", "-c", erase, database_url=_url(name), keys=keys, **env)
    finally:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()
    (dump,) = folder.glob("casework-*.dump")
    stamp = dump.name.removeprefix("casework-").removesuffix(".dump")
    return Backup(folder, stamp, site / "ledger.jsonl", keys, reference, doomed)


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


def restore(backup: Backup, database_url: str, media: Path, keys: str | None = None):
    """The documented restore, into ``database_url`` and a ``media`` folder not there yet."""
    return bash(
        documented("Restore"),
        database_url,
        keys or backup.keys,
        MEDIA_ROOT=str(media),
        ERASURE_LEDGER_PATH=str(media.parent / "restored-ledger.jsonl"),
        BACKUP_DIR=str(backup.folder),
        STAMP=backup.stamp,
        LEDGER=str(backup.ledger),
    )


def read(backup: Backup, database_url: str, keys: str, media: Path, check=True):
    script = READ.replace("REFERENCE", repr(backup.reference)).replace(
        "DOOMED", repr(backup.doomed)
    )
    return manage(
        "shell",
        "--no-imports",
        "-c",
        script,
        database_url=database_url,
        keys=keys,
        check=check,
        MEDIA_ROOT=str(media),
    )


def test_the_dump_holds_neither_identities_nor_keys(backup):
    # The dump is compressed: search the SQL that pg_restore makes of it.
    sql = subprocess.run(  # noqa: S603
        ["pg_restore", "--file=-", str(backup.dump)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout

    assert "Spring swallow" in sql  # plaintext is visible here (pseudonyms are not encrypted)
    assert CANARY not in sql
    assert ERASED_NAME not in sql
    assert "Hyesan" not in sql
    assert "+82 10 5555 0199" not in sql
    assert backup.keys not in sql


def test_the_files_in_the_backup_are_ciphertext(backup):
    with_files = subprocess.run(  # noqa: S603
        ["tar", "-xzOf", str(backup.folder / f"casework-media-{backup.stamp}.tar.gz")],  # noqa: S607
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout

    assert with_files  # a scan and a letter file for each person
    for plain in [CANARY, ERASED_NAME, "Spring swallow", "Winter crane", backup.reference]:
        assert plain.encode() not in with_files


def test_a_backup_restores_with_everything_readable_and_the_erased_erased_again(
    backup, empty_database, tmp_path
):
    media = tmp_path / "new-server" / "media"

    restored = restore(backup, empty_database, media)

    assert "people erased again: 1; tombstones written: 1." in restored.stdout
    result = read(backup, empty_database, backup.keys, media)
    line = result.stdout.strip().splitlines()[-1].split("|")
    assert line[:5] == [CANARY, "1990-05-17", "Hyesan", "+82 10 5555 0199", "1"]
    assert int(line[5]) >= 2
    assert line[6:] == ["Spring swallow", "True", "False", "True"]
    # Winter crane's scan and letter went with her: one of each is left, Spring swallow's.
    assert len(list((media / "documents").iterdir())) == 1
    assert len(list((media / "letters").iterdir())) == 1


def test_a_restored_dump_without_its_keys_fails_loudly(backup, empty_database, tmp_path):
    media = tmp_path / "media"
    wrong = Fernet.generate_key().decode()
    # The documented restore stops at its first check: the keys open nothing stored.
    refused = run(
        ["bash", "-euo", "pipefail", "-c", documented("Restore")],
        empty_database,
        wrong,
        MEDIA_ROOT=str(media),
        BACKUP_DIR=str(backup.folder),
        STAMP=backup.stamp,
        LEDGER=str(backup.ledger),
    )
    assert refused.returncode != 0
    assert "casework.E020" in refused.stderr
    assert wrong not in refused.stdout + refused.stderr

    unreadable = read(backup, empty_database, wrong, media, check=False)

    assert unreadable.returncode != 0
    assert "FieldDecryptionError" in unreadable.stderr
    assert CANARY not in unreadable.stdout + unreadable.stderr
