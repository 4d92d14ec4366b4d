"""A backup older than an erasure, once restored, brings the person back; the erasure
ledger (kept beside the backups) erases them again, files included, with a tombstone.

The restore is simulated in the test database: a dump of every table and a copy of
MEDIA_ROOT are taken, the person is erased, then every table is emptied and reloaded
from the dump and the files are put back. tests/security/test_backup.py runs the same
steps with pg_dump and pg_restore, as docs/backup.md writes them.
"""

import io
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone

from casework.cases.models import Group, Person
from casework.erasure import services
from casework.erasure.ledger import LedgerEntry, ledger_append, ledger_read
from casework.erasure.models import Erasure, ErasureState
from tests.documents import helpers as files
from tests.factories import GroupFactory, PersonFactory, UserFactory, record
from tests.security.helpers import CANARY


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def ledger(settings, tmp_path):
    settings.ERASURE_LEDGER_PATH = tmp_path / "backups" / "erasures.jsonl"
    return settings.ERASURE_LEDGER_PATH


@pytest.fixture
def frank(db):
    return UserFactory(username="frank", role="Administrator")


@pytest.fixture
def doomed(cast, media):
    """Winter crane, with a scan, a letter naming her and a letter on her group."""
    person = PersonFactory(pseudonym="Winter crane", legal_name=CANARY, caseworkers=[cast.alice])
    keeper = PersonFactory(pseudonym="Summer heron", caseworkers=[cast.alice])
    group = GroupFactory(name="Tumen group of two", people=[person, keeper])
    record(group=group, status="detained", by=cast.alice)
    files.document_add(person, by=cast.alice, text=f"passport of {CANARY}, Winter crane")
    files.consent_to_letters(person)
    files.person_letter_add(person, by=cast.carol)
    files.group_letter_add(group, by=cast.carol)
    return person


def backup(tmp_path, media):
    """Every table as it is now, and a copy of the files (what a nightly backup holds)."""
    dump = tmp_path / "backup.json"
    call_command("dumpdata", output=str(dump), verbosity=0)
    shutil.copytree(media, tmp_path / "media-backup")
    return dump


def restore(dump, tmp_path, media):
    """Put the database and the files back as they were when ``backup`` ran."""
    # Emptied as a fresh database would be: flush's own SQL (TRUNCATE on PostgreSQL, where
    # the access log refuses row deletes as it would in production).
    tables = connection.introspection.django_table_names(only_existing=True)
    if connection.vendor == "postgresql":
        # TRUNCATE waits for no deferred check: run those the test has written so far.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    call_command("loaddata", str(dump), verbosity=0)
    shutil.rmtree(media)
    shutil.copytree(tmp_path / "media-backup", media)


def erase(person, *, cast, frank, capture):
    erasure = services.erasure_request(person=person, requested_by=cast.erin)
    with capture(execute=True):
        return services.erasure_confirm(erasure=erasure, confirmed_by=frank)


def reapply(ledger) -> str:
    out = io.StringIO()
    call_command("erasure_reapply", "--ledger", str(ledger), stdout=out)
    return out.getvalue()


def test_a_restore_from_before_an_erasure_is_erased_again_by_the_ledger(
    doomed, cast, frank, media, ledger, tmp_path, django_capture_on_commit_callbacks
):
    reference, digest = doomed.reference, services.reference_digest(doomed.reference)
    canaries = [reference, "Winter crane", CANARY]
    dump = backup(tmp_path, media)
    erased = erase(doomed, cast=cast, frank=frank, capture=django_capture_on_commit_callbacks)

    restore(dump, tmp_path, media)

    # What the issue found: the person is back, files and all, and no tombstone says
    # they were ever erased.
    assert Person.objects.filter(reference=reference).exists()
    assert not Erasure.objects.exists()
    assert {n for _, n in files.media_mentions(media, canaries)} == set(canaries)

    out = reapply(ledger)

    assert "Erasures in the ledger: 1; people erased again: 1; tombstones written: 1." in out
    assert not Person.objects.filter(reference=reference).exists()
    assert files.media_mentions(media, canaries) == []
    tombstone = Erasure.objects.get()
    assert (tombstone.state, tombstone.reference_digest, tombstone.person_id) == (
        ErasureState.ERASED,
        digest,
        None,
    )
    assert tombstone.decided_at == erased.decided_at
    group = Group.objects.get(name="Tumen group of two")
    assert [p.pseudonym for p in group.members.all()] == ["Summer heron"]


def test_reapplying_the_ledger_twice_changes_nothing_more(
    doomed, cast, frank, media, ledger, tmp_path, django_capture_on_commit_callbacks
):
    dump = backup(tmp_path, media)
    erase(doomed, cast=cast, frank=frank, capture=django_capture_on_commit_callbacks)
    restore(dump, tmp_path, media)
    reapply(ledger)
    people, tombstones = Person.objects.count(), Erasure.objects.count()

    out = reapply(ledger)

    assert "people erased again: 0; tombstones written: 0." in out
    assert (Person.objects.count(), Erasure.objects.count()) == (people, tombstones)


def test_a_pending_request_in_the_backup_becomes_the_tombstone(
    doomed, cast, frank, media, ledger, tmp_path, django_capture_on_commit_callbacks
):
    request = services.erasure_request(person=doomed, requested_by=cast.erin)
    dump = backup(tmp_path, media)  # taken while the request waited for frank
    with django_capture_on_commit_callbacks(execute=True):
        services.erasure_confirm(erasure=request, confirmed_by=frank)
    restore(dump, tmp_path, media)
    assert Erasure.objects.get().state == ErasureState.REQUESTED

    reapply(ledger)

    tombstone = Erasure.objects.get()
    assert (tombstone.pk, tombstone.state, tombstone.person_id) == (
        request.pk,
        ErasureState.ERASED,
        None,
    )
    assert tombstone.requested_by == cast.erin


def test_a_ledger_from_a_lost_server_is_merged_into_the_configured_one(
    cast, ledger, tmp_path, django_capture_on_commit_callbacks
):
    person = PersonFactory(caseworkers=[cast.alice])
    saved = tmp_path / "off-site" / "erasures.jsonl"
    entry = LedgerEntry(services.reference_digest(person.reference), erased_at=timezone.now())
    ledger_append([entry], path=saved)

    reapply(saved)

    assert not Person.objects.filter(pk=person.pk).exists()
    assert ledger_read(ledger) == [entry]


def test_the_export_writes_what_the_ledger_lacks(cast, frank, ledger, doomed):
    erasure = services.erasure_request(person=doomed, requested_by=cast.erin)
    services.erasure_confirm(erasure=erasure, confirmed_by=frank)  # on-commit never ran
    assert not ledger.exists()
    out = io.StringIO()

    call_command("erasure_ledger_export", stdout=out, stderr=io.StringIO())
    call_command("erasure_ledger_export", stdout=io.StringIO(), stderr=io.StringIO())

    assert out.getvalue().strip() == str(ledger)
    assert [e.reference_digest for e in ledger_read(ledger)] == [
        services.reference_digest(doomed.reference)
    ]


@pytest.mark.parametrize(
    "content",
    ['{"reference_digest": "P-7K3QXA", "erased_at": "2026-01-01T00:00:00+00:00"}', "not json"],
)
def test_a_ledger_that_is_not_one_is_refused_and_erases_nothing(db, tmp_path, content):
    person = PersonFactory()
    bad = tmp_path / "ledger.jsonl"
    bad.write_text(content + "\n")

    with pytest.raises(CommandError, match="Line 1 of .* is not an erasure ledger entry"):
        reapply(bad)

    assert Person.objects.filter(pk=person.pk).exists()


def test_a_ledger_written_under_another_blind_index_key_is_refused(
    cast, ledger, settings, tmp_path
):
    person = PersonFactory(caseworkers=[cast.alice])
    settings.BLIND_INDEX_KEY = "the key of another deployment"
    entry = LedgerEntry(services.reference_digest(person.reference), erased_at=timezone.now())
    ledger_append([entry], path=tmp_path / "other.jsonl")
    settings.BLIND_INDEX_KEY = "the key of this deployment"

    with pytest.raises(CommandError, match="written under another BLIND_INDEX_KEY"):
        reapply(tmp_path / "other.jsonl")

    assert Person.objects.filter(pk=person.pk).exists()


def test_a_missing_ledger_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="No erasure ledger at"):
        reapply(tmp_path / "nowhere.jsonl")
