"""A restricted case opens only to its assignees, whatever the page, role or id; every
refusal of a well-formed reference is written to the access log."""

import dataclasses
import re
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver

from casework.accounts.enums import AccessAction
from casework.accounts.models import AccessLogEntry
from casework.cases.models import CustodyEvent, Group, Person
from casework.documents import services as documents
from casework.documents.models import Document
from casework.letters import services as letters
from casework.letters.models import Letter, LetterBatch, Recipient
from tests.factories import GroupFactory, PersonFactory, UserFactory
from tests.security.targets import CASE_PAGES, CASE_POSTS, Case, CasePage

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
INTRUDERS = ["bob", "carol", "dana", "erin", "oscar"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def restricted(cast) -> Case:
    """Alice's restricted case, with a group, a letter, a batch and a file of its own
    (written by a superuser, who sees every case)."""
    person = PersonFactory(pseudonym="Spring swallow", restricted=True, caseworkers=[cast.alice])
    group = GroupFactory(name="Spring swallow's crossing", people=[person])
    root = UserFactory(username="root", is_superuser=True)
    letter = letters.letter_generate(
        user=root,
        template_slug="trafficking-victim",
        language="en",
        recipient=Recipient.objects.active().order_by("pk").first(),
        person=person,
    )
    batch = LetterBatch.objects.create(
        template_slug="trafficking-victim", person=person, created_by=root, total=1
    )
    document = documents.document_upload(
        person=person, uploaded_by=root, file=SimpleUploadedFile("passport.pdf", PDF)
    )
    return Case(
        person=person,
        group=group,
        history_id=Person.history.filter(id=person.pk).latest().history_id,
        group_history_id=Group.history.filter(id=group.pk).latest().history_id,
        letter_id=letter.pk,
        letter=letter.reference,
        document_id=document.pk,
        batch_id=batch.pk,
    )


def secrets_of(case: Case) -> list[str]:
    return ["Spring swallow", case.person.reference, case.group.reference, case.letter]


@pytest.mark.parametrize("page", CASE_PAGES, ids=lambda p: p.name)
@pytest.mark.parametrize("intruder", INTRUDERS)
def test_a_restricted_case_is_not_found_by_anyone_else(
    page: CasePage, intruder, restricted, cast, client_for
):
    client = client_for(getattr(cast, intruder))

    response = client.get(page.url(restricted))

    assert response.status_code == 404
    content = response.content.decode(errors="replace")
    assert [text for text in secrets_of(restricted) if text in content] == []


@pytest.mark.parametrize("page", CASE_PAGES, ids=lambda p: p.name)
def test_the_assignee_opens_it(page: CasePage, restricted, cast, client_for):
    client = client_for(cast.alice)

    response = client.get(page.url(restricted))

    assert response.status_code == page.assignee_status
    if page.shows is not None:
        assert page.shows(restricted) in response.content.decode()


@pytest.mark.parametrize("page", CASE_PAGES, ids=lambda p: p.name)
def test_a_made_up_id_or_reference_is_not_found_either(
    page: CasePage, restricted, cast, client_for
):
    client = client_for(cast.erin)
    made_up = dataclasses.replace(
        restricted,
        person=Person(pk=restricted.person.pk + 1000, reference="P-222222"),
        group=Group(pk=restricted.group.pk + 1000, reference="G-222222"),
        letter_id=restricted.letter_id + 1000,
        letter="L-222222",
        document_id=restricted.document_id + 1000,
        batch_id=restricted.batch_id + 1000,
    )

    assert client.get(page.url(made_up)).status_code == 404


@pytest.mark.parametrize("action", CASE_POSTS, ids=lambda p: p.name)
@pytest.mark.parametrize("intruder", INTRUDERS)
def test_a_restricted_case_cannot_be_acted_on_by_anyone_else(
    action: CasePage, intruder, restricted, cast, client_for
):
    client = client_for(getattr(cast, intruder))
    person = restricted.person
    version = person.version
    logged = list(AccessLogEntry.objects.values_list("pk", flat=True))

    response = client.post(
        action.url(restricted),
        {
            "status": "released",
            "occurred_on": "2017-04-01",
            "date_precision": "day",
            "confidence": "reported",
            "version": str(version),
            "pseudonym": "Forged",
            "unidentified_others": "5",
            "post": "yes",  # the admin's "yes, delete it"
            "sent_on": "2017-04-01",
            "channel": "fax",
            "response": "refused",
            "response_on": "2017-04-02",
        },
    )

    assert response.status_code == 404
    assert "Spring swallow" not in response.content.decode()
    assert not CustodyEvent.objects.filter(person=person).exists()
    # Nothing but the refusal itself is logged: no reveal, no opening.
    written = AccessLogEntry.objects.exclude(pk__in=logged)
    assert set(written.values_list("action", flat=True)) <= {AccessAction.REFUSED}
    assert Document.objects.count() == 1
    assert list(Letter.objects.values_list("reference", "status")) == [(restricted.letter, "draft")]
    assert Person.objects.get(pk=person.pk).version == version
    assert Group.objects.filter(pk=restricted.group.pk, unidentified_others=0).exists()


def case_urls() -> set[str]:
    """The names of every routed URL that addresses one case, or one of its letters,
    files or letter batches: by reference, by batch, or in the admin by id."""
    by_case = re.compile(r"<(\w+:)?(reference|batch_id)>")
    # The admin's own routes name the object; django-simple-history's use a regex group.
    admin_of_a_case = re.compile(
        r"^admin/(cases/person|cases/group|letters/letter)/.*(object_id|\()"
    )
    found = set()

    def walk(patterns, route: str, namespace: str) -> None:
        for pattern in patterns:
            full = route + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                walk(pattern.url_patterns, full, f"{namespace}:{inner}".strip(":"))
            elif pattern.name and (by_case.search(full) or admin_of_a_case.search(full)):
                found.add(f"{namespace}:{pattern.name}".strip(":"))

    walk(get_resolver().url_patterns, "", "")
    return found


def test_every_case_url_is_attacked():
    attacked = {page.url_name for page in CASE_PAGES + CASE_POSTS}

    assert "cases:detail" in case_urls()  # the walk finds them
    assert case_urls() - attacked == set()


def refusals() -> list[tuple]:
    return list(
        AccessLogEntry.objects.filter(action=AccessAction.REFUSED)
        .order_by("id")
        .values_list("user__username", "reference", "detail")
    )


def without_tokens(response) -> str:
    """The page as the user reads it: CSRF tokens are drawn afresh for each page."""
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", response.content.decode())


def test_a_refusal_is_logged_alike_whether_the_case_exists_or_not(restricted, cast, client_for):
    client = client_for(cast.carol)

    hidden = client.get(f"/cases/{restricted.person.reference}/")
    missing = client.get("/cases/P-222222/")
    hidden_group = client.post(f"/cases/{restricted.group.reference}/update/")

    assert [hidden.status_code, missing.status_code, hidden_group.status_code] == [404] * 3
    assert without_tokens(hidden) == without_tokens(missing)
    assert refusals() == [
        ("carol", restricted.person.reference, ""),
        ("carol", "P-222222", ""),
        ("carol", restricted.group.reference, ""),
    ]


@pytest.mark.parametrize(
    "junk", ["<script>alert(1)</script>", "P-2222222222", "p-2222O2", "Kim Sunhee", "P-22222O"]
)
def test_a_reference_that_no_case_could_have_is_not_found_and_not_logged(junk, cast, client_for):
    client = client_for(cast.carol)

    response = client.get(f"/cases/{quote(junk)}/")

    assert response.status_code == 404
    assert refusals() == []


def test_a_reference_in_lower_case_is_answered_as_in_capitals(restricted, cast, client_for):
    """``p-…`` is redirected to ``P-…`` before anything is asked: then a hidden case and
    a missing one are the same 404, each logged like its capitals."""
    client = client_for(cast.carol)
    hidden = client.get(f"/cases/{restricted.person.reference.lower()}/", follow=True)
    missing = client.get("/cases/p-222222/", follow=True)

    assert [hidden.redirect_chain[0][1], missing.redirect_chain[0][1]] == [301, 301]
    assert [hidden.status_code, missing.status_code] == [404, 404]
    assert without_tokens(hidden) == without_tokens(missing)
    assert refusals() == [
        ("carol", restricted.person.reference, ""),
        ("carol", "P-222222", ""),
    ]


def test_the_assignee_opening_the_case_is_no_refusal(restricted, cast, client_for):
    client_for(cast.alice).get(f"/cases/{restricted.person.reference}/")

    assert refusals() == []
    opened = AccessLogEntry.objects.filter(user=cast.alice).values_list("action", "reference")
    assert list(opened) == [(AccessAction.OPENED_CASE, restricted.person.reference)]
