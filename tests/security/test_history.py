"""A record's history and its source's page reveal no identity to whoever may not reveal it.

The attacker is a logged-in colleague: an advocate who reads every case but may reveal
no identity, a caseworker of another team, a coordinator facing a restricted case. Each
reads every byte the history pages and the source pages send back, looking for the
canaries the case and its source were given and then corrected.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.accounts.enums import AccessAction
from casework.accounts.models import AccessLogEntry
from casework.cases.models import Person, Source
from tests.factories import PersonFactory, SourceFactory, UserFactory, change, record
from tests.security.helpers import CANARY

pytestmark = pytest.mark.django_db

FIRST_NAME = "Canaryfirst Pak Ok"  # the legal name first written, then corrected
HOME_TOWN = "Canarytown Hyesan"
NOTES = "Canarynotes: known in Yanji as Ok-sun"  # nothing HTML would escape
INFORMANT = "Canarysource Pastor Lee, Yanji"
INFORMANT_PHONE = "Canarysource Pastor Lee, +86 138 0000 1234"
SECRETS = [FIRST_NAME, CANARY, HOME_TOWN, NOTES, INFORMANT, INFORMANT_PHONE]


def leaked(response) -> list[str]:
    """The canaries in a response, searched in its bytes (attributes and scripts too)."""
    return [secret for secret in SECRETS if secret.encode() in response.content]


@pytest.fixture
def story(cast):
    """alice's case Spring swallow, whose identity was corrected, and the source who
    told of her detention, whose identity and phone were corrected too."""
    person = PersonFactory(
        pseudonym="Spring swallow", legal_name=FIRST_NAME, caseworkers=[cast.alice]
    )
    change(person, legal_name=CANARY, home_town=HOME_TOWN, identity_notes=NOTES)
    source = SourceFactory(label="Network A", identity=INFORMANT)
    source.identity = INFORMANT_PHONE
    source.save()
    record(person, "detained", source=source, by=cast.alice)
    return person, source


def history(record_) -> str:
    return reverse(f"admin:cases_{record_._meta.model_name}_history", args=[record_.pk])


def past_version(record_, oldest: bool) -> str:
    versions = type(record_).history.filter(id=record_.pk).order_by("history_date")
    version = versions.first() if oldest else versions.last()
    name = f"admin:cases_{record_._meta.model_name}_simple_history"
    return reverse(name, args=[record_.pk, version.history_id])


def reveals() -> list[tuple]:
    return list(
        AccessLogEntry.objects.filter(action=AccessAction.REVEALED_IDENTITY)
        .order_by("id")
        .values_list("user__username", "reference", "detail")
    )


# The person's history.


def test_an_advocate_reads_the_history_of_a_case_but_not_the_identity_in_it(
    story, cast, client_for
):
    person, _ = story
    client = client_for(cast.dana)

    listed = client.get(history(person))
    versions = [client.get(past_version(person, oldest)) for oldest in (True, False)]

    assert [r.status_code for r in (listed, *versions)] == [200, 200, 200]
    assert [leaked(r) for r in (listed, *versions)] == [[], [], []]
    content = listed.content.decode()
    # She learns that the identity changed, and when, not what it was or became.
    assert "<strong>Legal name (Latin):</strong>" in content
    assert "<strong>Home town in North Korea:</strong>" in content
    assert "changed" in content
    assert reveals() == []  # nothing was shown, so nothing was revealed


@pytest.mark.parametrize("intruder", ["bob", "oscar"])
def test_a_caseworker_of_another_team_finds_no_history_of_the_case(
    intruder, story, cast, client_for
):
    person, _ = story
    client = client_for(getattr(cast, intruder))

    for url in (history(person), past_version(person, oldest=True)):
        response = client.get(url)
        assert response.status_code == 404
        assert leaked(response) == []
    assert reveals() == []


def test_a_coordinator_finds_no_history_of_a_restricted_case(story, cast, client_for):
    person, _ = story
    change(person, restricted=True)
    client = client_for(cast.carol)

    for url in (history(person), past_version(person, oldest=False)):
        response = client.get(url)
        assert response.status_code == 404
        assert leaked(response) == []
    assert reveals() == []


@pytest.mark.parametrize("who", ["alice", "carol", "erin"])
def test_one_who_may_reveal_reads_the_identity_in_the_history_and_it_is_logged(
    who, story, cast, client_for
):
    person, _ = story
    client = client_for(getattr(cast, who))

    listed = client.get(history(person))
    assert listed.status_code == 200
    assert {FIRST_NAME, CANARY, HOME_TOWN, NOTES} <= set(leaked(listed))
    assert reveals() == [(who, person.reference, "admin history")]

    oldest = client.get(past_version(person, oldest=True))
    assert oldest.status_code == 200
    assert FIRST_NAME in leaked(oldest)
    assert reveals()[-1][:2] == (who, person.reference)
    assert reveals()[-1][2].startswith("admin past version")
    # The log names the case, never what was shown.
    assert not [d for *_, d in reveals() if any(s in d for s in SECRETS)]


def test_the_change_form_of_a_case_is_a_logged_reveal_for_those_who_may(story, cast, client_for):
    person, _ = story

    shown = client_for(cast.carol).get(reverse("admin:cases_person_change", args=[person.pk]))
    hidden = client_for(cast.dana).get(reverse("admin:cases_person_change", args=[person.pk]))

    assert CANARY in leaked(shown)
    assert leaked(hidden) == []
    assert reveals() == [("carol", person.reference, "admin change form")]


# The source's pages.


@pytest.mark.parametrize("intruder", ["bob", "oscar", "dana"])
def test_one_who_sees_no_case_the_source_informs_reads_nothing_of_its_identity(
    intruder, story, cast, client_for
):
    _, source = story
    client = client_for(getattr(cast, intruder))

    pages = [
        client.get(reverse("admin:cases_source_change", args=[source.pk])),
        client.get(history(source)),
        client.get(past_version(source, oldest=True)),
        client.get(past_version(source, oldest=False)),
        client.get(reverse("admin:cases_source_changelist")),
    ]

    assert [r.status_code for r in pages] == [200] * 5
    assert [leaked(r) for r in pages] == [[]] * 5
    assert reverse("admin:cases_source_identity", args=[source.pk]) not in pages[0].content.decode()
    assert "<strong>Identity:</strong>" in pages[1].content.decode()  # it changed, that is all
    assert reveals() == []


@pytest.mark.parametrize("intruder", ["bob", "oscar", "dana"])
def test_one_who_sees_no_case_the_source_informs_is_refused_its_reveal(
    intruder, story, cast, client_for
):
    _, source = story
    url = reverse("admin:cases_source_identity", args=[source.pk])
    client = client_for(getattr(cast, intruder))

    revealed = client.post(url)
    rewritten = client.post(url, {"_save": "1", "identity": "Forged"})

    assert (revealed.status_code, rewritten.status_code) == (403, 403)
    assert leaked(revealed) == [] and leaked(rewritten) == []
    assert Source.objects.get(pk=source.pk).identity == INFORMANT_PHONE
    assert reveals() == []


def test_a_coordinator_may_not_reveal_a_source_that_informs_only_a_restricted_case(
    story, cast, client_for
):
    person, source = story
    change(person, restricted=True)
    client = client_for(cast.carol)

    history_page = client.get(history(source))
    revealed = client.post(reverse("admin:cases_source_identity", args=[source.pk]))

    assert history_page.status_code == 200 and leaked(history_page) == []
    assert revealed.status_code == 403 and leaked(revealed) == []
    assert reveals() == []


@pytest.mark.parametrize("who", ["alice", "carol", "erin"])
def test_the_source_form_hides_the_identity_until_an_explicit_logged_reveal(
    who, story, cast, client_for
):
    _, source = story
    client = client_for(getattr(cast, who))

    form = client.get(reverse("admin:cases_source_change", args=[source.pk]))
    assert form.status_code == 200
    assert leaked(form) == []
    assert reverse("admin:cases_source_identity", args=[source.pk]) in form.content.decode()
    assert reveals() == []

    revealed = client.post(reverse("admin:cases_source_identity", args=[source.pk]))
    assert revealed.status_code == 200
    assert INFORMANT_PHONE in leaked(revealed)
    assert reveals() == [(who, source.reference, "admin source identity")]


def test_a_reveal_is_never_a_link_to_follow(story, cast, client_for):
    _, source = story
    response = client_for(cast.alice).get(reverse("admin:cases_source_identity", args=[source.pk]))
    assert response.status_code == 405
    assert leaked(response) == []
    assert reveals() == []


@pytest.mark.parametrize("who", ["alice", "carol"])
def test_one_who_may_reveal_the_source_reads_its_history_and_it_is_logged(
    who, story, cast, client_for
):
    _, source = story
    client = client_for(getattr(cast, who))

    listed = client.get(history(source))
    # Past versions of a source carry no identity, like its form: the reveal shows it.
    version = client.get(past_version(source, oldest=True))

    assert {INFORMANT, INFORMANT_PHONE} <= set(leaked(listed))
    assert leaked(version) == []
    assert reveals() == [(who, source.reference, "admin history")]


def test_the_source_picker_of_the_event_form_shows_no_identity(story, cast, client_for):
    _, source = story
    client = client_for(cast.bob)

    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Network",
            "app_label": "cases",
            "model_name": "custodyevent",
            "field_name": "source",
        },
    )

    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == [str(source)]
    assert leaked(response) == []


# Bounded, whatever the length of the history.


@pytest.mark.parametrize("model", [Person, Source])
def test_a_history_page_runs_as_many_queries_for_one_change_as_for_many(model, cast, client_for):
    client = client_for(cast.alice)

    def queries_for(changes: int) -> int:
        person = PersonFactory(caseworkers=[cast.alice])
        source = SourceFactory()
        record(person, "detained", source=source, by=cast.alice)
        for n in range(changes):
            change(person, legal_name=f"{CANARY} {n}")
            person.assigned_caseworkers.add(UserFactory())  # a change of caseworkers too
            source.identity = f"{INFORMANT} {n}"
            source.save()
        target = person if model is Person else source
        with CaptureQueriesContext(connection) as captured:
            assert client.get(history(target)).status_code == 200
        return len(captured)

    queries_for(1)  # the first page of the test reads what Django caches for the next ones
    assert queries_for(1) == queries_for(8)
