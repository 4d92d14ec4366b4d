"""Sources in the admin: every caseworker records, picks and grades them; their identity
is entered with a new source, then revealed (and changed) only on an explicit request,
by those who may see a case the source informs."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from casework.accounts.enums import AccessAction
from casework.accounts.models import AccessLogEntry
from casework.cases.enums import Reliability, SourceKind, Status
from casework.cases.models import CustodyEvent, Source
from tests.factories import PersonFactory, SourceFactory, record

pytestmark = pytest.mark.django_db

ADD = reverse("admin:cases_source_add")
INFORMANT = "Canary informant, Yanji"


def change_url(source) -> str:
    return reverse("admin:cases_source_change", args=[source.pk])


def identity_url(source) -> str:
    return reverse("admin:cases_source_identity", args=[source.pk])


def source_form(**overrides) -> dict:
    data = {"kind": SourceKind.FAMILY, "reliability": Reliability.UNTESTED, "label": "Sister B"}
    data.update(overrides)
    return data


def reveals() -> list[tuple]:
    entries = AccessLogEntry.objects.filter(action=AccessAction.REVEALED_IDENTITY).order_by("id")
    return list(entries.values_list("user__username", "reference"))


@pytest.fixture
def informant(cast):
    """A source that told of alice's case."""
    source = SourceFactory(label="Network A", identity=INFORMANT)
    record(PersonFactory(caseworkers=[cast.alice]), Status.DETAINED, source=source, by=cast.alice)
    return source


def test_a_caseworker_records_a_new_source_with_its_identity(cast, client_for):
    client = client_for(cast.bob)
    assert 'name="identity"' in client.get(ADD).content.decode()

    response = client.post(ADD, source_form(identity=INFORMANT))

    assert response.status_code == 302
    source = Source.objects.get(label="Sister B")
    assert (source.identity, source.created_by) == (INFORMANT, cast.bob)
    assert source.reference.startswith("S-")


def test_the_one_who_recorded_a_new_source_may_reveal_it_and_pick_it(cast, client_for):
    client = client_for(cast.bob)
    client.post(ADD, source_form(identity=INFORMANT))
    source = Source.objects.get(label="Sister B")
    case = PersonFactory(caseworkers=[cast.bob])

    revealed = client.post(identity_url(source))
    picked = client.post(
        reverse("cases:update", args=[case.reference]),
        {
            "version": case.version,
            "status": Status.DETAINED,
            "occurred_on": "2017-06-02",
            "date_precision": "day",
            "confidence": "reported",
            "source": source.reference,
        },
    )

    assert revealed.status_code == 200 and INFORMANT in revealed.content.decode()
    assert picked.status_code == 302
    assert CustodyEvent.objects.get(person=case).source == source
    # A caseworker of another team, who sees no case it informs, may not reveal it.
    assert client_for(cast.alice).post(identity_url(source)).status_code == 403
    assert reveals() == [("bob", source.reference)]


def test_a_source_form_without_the_identity_keeps_it(cast, informant, client_for):
    form = client_for(cast.alice).get(change_url(informant))
    assert 'name="identity"' not in form.content.decode()

    response = client_for(cast.alice).post(
        change_url(informant), source_form(reliability=Reliability.RELIABLE, label="Network A")
    )

    assert response.status_code == 302
    informant.refresh_from_db()
    assert (informant.reliability, informant.identity) == (Reliability.RELIABLE, INFORMANT)


def test_an_identity_is_changed_where_it_was_revealed(cast, informant, client_for):
    client = client_for(cast.alice)

    response = client.post(identity_url(informant), {"_save": "1", "identity": "Pastor Kim"})

    assert response.status_code == 302
    assert response["Location"] == change_url(informant)
    informant.refresh_from_db()
    assert informant.identity == "Pastor Kim"
    assert informant.history.first().history_user == cast.alice
    # The admin's own log says a field changed, never to what.
    entry = LogEntry.objects.get(object_id=str(informant.pk))
    assert "identity" in entry.get_change_message().lower()
    assert "Pastor Kim" not in entry.change_message
    assert reveals() == []  # she typed it: nothing was revealed to her


def test_a_bad_identity_is_explained_and_nothing_is_saved(cast, informant, client_for):
    response = client_for(cast.alice).post(
        identity_url(informant), {"_save": "1", "identity": "x" * 301}
    )

    assert response.status_code == 400
    assert "Ensure this value has at most 300 characters" in response.content.decode()
    informant.refresh_from_db()
    assert informant.identity == INFORMANT


def test_an_advocate_may_read_a_source_but_not_record_one(cast, informant, client_for):
    client = client_for(cast.dana)
    assert client.get(change_url(informant)).status_code == 200
    assert client.post(ADD, source_form(identity=INFORMANT)).status_code == 403
    assert not Source.objects.filter(label="Sister B").exists()


def test_the_source_list_never_reads_an_identity(
    cast, informant, client_for, django_assert_max_num_queries
):
    SourceFactory.create_batch(5)
    client = client_for(cast.bob)
    with django_assert_max_num_queries(8) as queries:
        response = client.get(reverse("admin:cases_source_changelist"))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 6
    assert not [q for q in queries.captured_queries if '"identity"' in q["sql"]]
