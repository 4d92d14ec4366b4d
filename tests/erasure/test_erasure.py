"""Right to erasure: two administrators, then the person is gone everywhere but a tombstone."""

import json
import stat

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from casework.accounts.enums import AccessAction
from casework.accounts.models import AccessLogEntry
from casework.accounts.services import access_log_record
from casework.cases.models import CustodyEvent, Group, Person
from casework.erasure import services
from casework.erasure.ledger import key_check
from casework.erasure.models import Erasure, ErasureState
from casework.letters.models import Letter, LetterBatch
from tests.documents import helpers as files
from tests.factories import (
    FamilyContactFactory,
    GroupFactory,
    PersonFactory,
    UserFactory,
    record,
)
from tests.security.helpers import CANARY, CANARY_CHANNEL


@pytest.fixture
def frank(db):
    """A second administrator."""
    return UserFactory(username="frank", role="Administrator")


@pytest.fixture
def doomed(cast):
    person = PersonFactory(
        pseudonym="Winter crane",
        legal_name=CANARY,
        caseworkers=[cast.alice],
        vulnerable=["child"],
    )
    keeper = PersonFactory(pseudonym="Summer heron", caseworkers=[cast.alice])
    group = GroupFactory(name="Tumen group of two", people=[person, keeper])
    record(group=group, status="detained", by=cast.alice)
    FamilyContactFactory(person=person, name=f"{CANARY} sister", contact_channel=CANARY_CHANNEL)
    person.pseudonym = "Winter crane (Tumen)"
    person.save()
    access_log_record(
        user=cast.erin, action=AccessAction.REVEALED_IDENTITY, reference=person.reference
    )
    LogEntry.objects.log_actions(
        user_id=cast.erin.pk, queryset=[person], action_flag=CHANGE, change_message="edited"
    )
    return person


def every_row() -> list[tuple[str, str]]:
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows += [(table, repr(row)) for row in cursor.fetchall()]
    return rows


def test_one_administrator_alone_cannot_erase(doomed, cast):
    erasure = services.erasure_request(person=doomed, requested_by=cast.erin)

    with pytest.raises(ValidationError, match="A second administrator must confirm"):
        services.erasure_confirm(erasure=erasure, confirmed_by=cast.erin)

    assert Person.objects.filter(pk=doomed.pk).exists()
    assert Erasure.objects.get().state == ErasureState.REQUESTED


def test_only_administrators_may_ask_or_confirm(doomed, cast, frank):
    with pytest.raises(PermissionDenied):
        services.erasure_request(person=doomed, requested_by=cast.carol)
    erasure = services.erasure_request(person=doomed, requested_by=cast.erin)
    with pytest.raises(PermissionDenied):
        services.erasure_confirm(erasure=erasure, confirmed_by=cast.carol)
    assert Person.objects.filter(pk=doomed.pk).exists()


def test_the_confirmed_erasure_removes_the_person_everywhere(doomed, cast, frank):
    reference, pk = doomed.reference, doomed.pk
    keeper = Person.objects.get(pseudonym="Summer heron")
    erasure = services.erasure_request(person=doomed, requested_by=cast.erin)

    services.erasure_confirm(erasure=erasure, confirmed_by=frank)

    leftovers = [
        (table, row) for table, row in every_row() if reference in row or "Winter crane" in row
    ]
    assert leftovers == []
    assert not Person.history.filter(id=pk).exists()
    assert not CustodyEvent.objects.filter(person_id=pk).exists()
    ct = ContentType.objects.get_for_model(Person)
    assert not LogEntry.objects.filter(content_type=ct, object_id=str(pk)).exists()
    # The access log keeps who did what and when, not which record.
    entry = AccessLogEntry.objects.get(user=cast.erin)
    assert (entry.action, entry.reference, entry.detail) == (
        AccessAction.REVEALED_IDENTITY,
        services.ERASED_REFERENCE,
        "",
    )
    # Everyone else is untouched: the group and its other member keep their timeline.
    group = Group.objects.get(name="Tumen group of two")
    assert list(group.members.all()) == [keeper]
    assert CustodyEvent.objects.filter(person=keeper).count() == 1


def test_the_tombstone_holds_no_content(doomed, cast, frank):
    reference = doomed.reference
    erasure = services.erasure_request(person=doomed, requested_by=cast.erin)

    tombstone = services.erasure_confirm(erasure=erasure, confirmed_by=frank)

    tombstone.refresh_from_db()
    assert tombstone.person_id is None
    assert tombstone.state == ErasureState.ERASED
    assert (tombstone.requested_by, tombstone.decided_by) == (cast.erin, frank)
    assert tombstone.decided_at is not None
    assert reference not in tombstone.reference_digest
    assert tombstone.reference_digest == services.reference_digest(reference)


def test_a_cancelled_request_erases_nothing(doomed, cast, frank):
    erasure = services.erasure_request(person=doomed, requested_by=cast.erin)

    services.erasure_cancel(erasure=erasure, cancelled_by=frank)

    assert Person.objects.filter(pk=doomed.pk).exists()
    with pytest.raises(ValidationError):
        services.erasure_confirm(erasure=erasure, confirmed_by=frank)
    assert Person.objects.filter(pk=doomed.pk).exists()


def test_a_second_request_for_the_same_person_is_refused(doomed, cast, frank):
    services.erasure_request(person=doomed, requested_by=cast.erin)

    with pytest.raises(ValidationError, match="already waiting"):
        services.erasure_request(person=doomed, requested_by=frank)


def test_hooks_of_other_apps_run_before_the_purge(doomed, cast, frank, monkeypatch):
    seen = []
    monkeypatch.setattr(services, "erasure_hooks", [lambda person: seen.append(person.pk)])
    erasure = services.erasure_request(person=doomed, requested_by=cast.erin)

    services.erasure_confirm(erasure=erasure, confirmed_by=frank)

    assert seen == [doomed.pk]


# --- the pages ----------------------------------------------------------------------


def test_two_administrators_erase_through_the_pages(doomed, cast, frank, client):
    client.force_login(cast.erin)
    asked = client.post("/erasure/", {"reference": doomed.reference.lower()})
    assert asked.status_code == 302
    erasure = Erasure.objects.get()
    own = client.get("/erasure/").content.decode()
    assert "needs another administrator" in own
    refused = client.post(f"/erasure/{erasure.pk}/confirm/", follow=True)
    assert "A second administrator must confirm" in refused.content.decode()
    assert Person.objects.filter(pk=doomed.pk).exists()

    client.force_login(frank)
    done = client.post(f"/erasure/{erasure.pk}/confirm/", follow=True)

    assert "erased everywhere" in done.content.decode()
    assert not Person.objects.filter(pk=doomed.pk).exists()


def test_an_unknown_or_hidden_reference_gets_the_same_answer(cast, client):
    hidden = PersonFactory(restricted=True, caseworkers=[cast.alice])
    client.force_login(cast.erin)

    unknown = client.post("/erasure/", {"reference": "P-ZZZZZZ"})
    restricted = client.post("/erasure/", {"reference": hidden.reference})

    assert "No case you can see has this reference." in unknown.content.decode()
    assert "No case you can see has this reference." in restricted.content.decode()
    assert not Erasure.objects.exists()


@pytest.mark.parametrize("who", ["alice", "carol", "dana"])
def test_the_pages_are_forbidden_to_other_roles(cast, client, who):
    client.force_login(getattr(cast, who))

    assert client.get("/erasure/").status_code == 403


@pytest.mark.parametrize("n", [1, 30])
def test_the_erasure_page_runs_a_bounded_number_of_queries(
    cast, frank, client, django_assert_max_num_queries, n
):
    for person in PersonFactory.create_batch(n, caseworkers=[cast.alice]):
        services.erasure_request(person=person, requested_by=frank)
    client.force_login(cast.erin)

    with django_assert_max_num_queries(10):
        response = client.get("/erasure/")

    assert response.content.decode().count("Confirm erasure") == n


# --- stored files ---------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def ledger(settings, tmp_path):
    settings.ERASURE_LEDGER_PATH = tmp_path / "backups" / "erasures.jsonl"
    return settings.ERASURE_LEDGER_PATH


def database_text() -> str:
    """Everything the database holds, as text: SQLite's own SQL dump, else every row."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return "\n".join(connection.connection.iterdump())
    return "\n".join(row for _, row in every_row())


def test_erasure_leaves_no_file_and_no_row_about_the_person(
    doomed, cast, frank, media, ledger, django_capture_on_commit_callbacks
):
    files.consent_to_letters(doomed)
    named = files.person_letter_add(doomed, by=cast.carol)
    pseudonymous = files.person_letter_add(doomed, by=cast.dana)
    assert (named.names_person, pseudonymous.names_person) == (True, False)
    files.document_add(doomed, by=cast.alice, text=f"passport of {CANARY}")
    canaries = [doomed.reference, "Winter crane", CANARY]
    # The search sees what the files say: the person's letters and scan name them.
    before = {needle for _, needle in files.media_mentions(media, canaries)}
    assert before == set(canaries)
    assert doomed.reference in database_text()
    erasure = services.erasure_request(person=doomed, requested_by=cast.erin)

    with django_capture_on_commit_callbacks(execute=True):
        services.erasure_confirm(erasure=erasure, confirmed_by=frank)

    assert files.media_mentions(media, canaries) == []
    assert list((media / "letters").iterdir()) == []
    assert list((media / "documents").iterdir()) == []
    text = database_text()
    assert [c for c in canaries if c in text] == []


def test_a_group_letter_stays_with_the_erased_member_redacted_from_it(
    doomed, cast, frank, media, ledger, django_capture_on_commit_callbacks
):
    group = Group.objects.get(name="Tumen group of two")
    facts = f"Winter crane ({CANARY}, {doomed.reference}) is held apart from the others."
    letter = files.group_letter_add(group, by=cast.carol, additional_facts=facts)
    LetterBatch.objects.create(
        template_slug="group-imminent-return", group=group, additional_facts=facts
    )
    canaries = [doomed.reference, "Winter crane", CANARY]
    before = {needle for _, needle in files.media_mentions(media, canaries)}
    assert before == set(canaries)
    erasure = services.erasure_request(person=doomed, requested_by=cast.erin)

    with django_capture_on_commit_callbacks(execute=True):
        services.erasure_confirm(erasure=erasure, confirmed_by=frank)

    # The record of what was sent about the group stays, its files rendered again
    # from the redacted letter and the old ones gone.
    assert files.media_mentions(media, canaries) == []
    assert len(list((media / "letters" / letter.reference).iterdir())) == 3
    letter = Letter.objects.get(pk=letter.pk)
    assert {f.format for f in letter.files.all()} == {"pdf", "docx", "txt"}
    txt = letter.files.get(format="txt").content().decode()
    assert "[…] ([…], […]) is held apart from the others." in txt
    assert "2 North Koreans" in txt
    assert letter.additional_facts == "[…] ([…], […]) is held apart from the others."
    assert [c for c in canaries if c in database_text()] == []


def test_a_confirmed_erasure_is_written_to_the_ledger_as_a_digest_only(
    doomed, cast, frank, ledger, django_capture_on_commit_callbacks
):
    reference = doomed.reference
    erasure = services.erasure_request(person=doomed, requested_by=cast.erin)

    with django_capture_on_commit_callbacks(execute=True):
        tombstone = services.erasure_confirm(erasure=erasure, confirmed_by=frank)

    lines = ledger.read_text().splitlines()
    assert [json.loads(line) for line in lines] == [
        {
            "reference_digest": services.reference_digest(reference),
            "erased_at": tombstone.decided_at.isoformat(),
            "key_check": key_check(),
        }
    ]
    assert reference not in ledger.read_text()
    assert stat.S_IMODE(ledger.stat().st_mode) == 0o600


def test_an_erasure_rolled_back_is_not_in_the_ledger(doomed, cast, frank, ledger, monkeypatch):
    def failing_hook(person):
        raise OSError("disk gone")

    monkeypatch.setattr(services, "erasure_hooks", [failing_hook])
    erasure = services.erasure_request(person=doomed, requested_by=cast.erin)

    with pytest.raises(OSError):
        services.erasure_confirm(erasure=erasure, confirmed_by=frank)

    assert Person.objects.filter(pk=doomed.pk).exists()
    assert not ledger.exists()
