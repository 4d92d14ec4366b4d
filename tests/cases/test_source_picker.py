"""The quick update's source field: typed or searched, never a list of every source."""

import datetime
import re

import pytest
from django.urls import reverse

from casework.cases.enums import SourceKind, Status
from casework.cases.forms import FacilityNameField, SourceNameField
from casework.cases.models import CustodyEvent, Person
from tests.factories import FacilityFactory, GroupFactory, PersonFactory, SourceFactory, record

pytestmark = pytest.mark.django_db

SEARCH = reverse("cases:sources")
IDENTITY = "Canary informant in Yanji"


@pytest.fixture
def azalea(cast):
    return PersonFactory(pseudonym="Azalea", caseworkers=[cast.alice])


def detail(case) -> str:
    return reverse("cases:detail", args=[case.reference])


def update(client, case, **data):
    data.setdefault("version", type(case).objects.get(pk=case.pk).version)
    data.setdefault("status", Status.RETURNED)
    data.setdefault("occurred_on", "2017-06-02")
    data.setdefault("date_precision", "day")
    data.setdefault("confidence", "reported")
    return client.post(reverse("cases:update", args=[case.reference]), data)


def by_reference(sources) -> list[str]:
    return [str(s) for s in sorted(sources, key=lambda s: s.reference)]


def searched(client, query: str) -> list[str]:
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return [row["value"] for row in response.json()["results"]]


def source_options(content: str) -> list[str]:
    """The options of the page's source datalist."""
    found = re.search(r'<datalist id="source-names"[^>]*>(.*?)</datalist>', content, re.S)
    assert found, "the page has no source datalist"
    return re.findall(r'<option value="([^"]*)">', found.group(1))


@pytest.mark.parametrize(
    "typed",
    [
        lambda s: str(s),
        lambda s: s.reference,
        lambda s: s.reference.lower(),
        lambda s: f"  {str(s).upper()}  ",
        lambda s: s.label,
    ],
    ids=["as shown", "bare reference", "lowercase reference", "shouted, with spaces", "label"],
)
def test_a_source_typed_as_shown_or_by_reference_is_recorded(typed, cast, azalea, client_for):
    SourceFactory.create_batch(3)
    source = SourceFactory(label="Rescue network A")

    response = update(client_for(cast.alice), azalea, source=typed(source))

    assert response.status_code == 302
    event = CustodyEvent.objects.get()
    assert (event.person, event.status, event.source) == (azalea, Status.RETURNED, source)


def test_an_unlabelled_source_is_found_by_its_reference(cast, azalea, client_for):
    source = SourceFactory(label="", kind=SourceKind.FAMILY)
    assert str(source) == f"Family member ({source.reference})"

    response = update(client_for(cast.alice), azalea, source=str(source))

    assert response.status_code == 302
    assert CustodyEvent.objects.get().source == source


@pytest.mark.parametrize(
    "typed",
    ["Rescue network B", "S-ZZZZZZ", "Rescue network A (S-ZZZZZZ)", "12"],
    ids=["label", "reference", "as shown", "a primary key"],
)
def test_an_unknown_source_is_explained_and_nothing_is_recorded(typed, cast, azalea, client_for):
    SourceFactory(label="Rescue network A")

    response = update(client_for(cast.alice), azalea, source=typed)

    assert response.status_code == 400
    content = response.content.decode()
    assert f"Unknown source “{typed}”. Pick one from the list" in content
    assert not CustodyEvent.objects.exists()
    assert Person.objects.get(pk=azalea.pk).version == azalea.version
    # What was typed stays in the field for correcting; the list offers nothing unknown.
    assert f'value="{typed}"' in content
    assert source_options(content) == []


def test_a_label_two_sources_share_asks_for_the_reference(cast, azalea, client_for):
    first, second = SourceFactory.create_batch(2, label="Brother in Seoul")

    response = update(client_for(cast.alice), azalea, source="brother in seoul")

    assert response.status_code == 400
    assert "Several sources are called “brother in seoul”" in response.content.decode()
    assert not CustodyEvent.objects.exists()
    assert update(client_for(cast.alice), azalea, source=second.reference).status_code == 302
    assert CustodyEvent.objects.get().source == second


def test_a_refused_form_offers_back_only_the_source_it_was_given(cast, azalea, client_for):
    SourceFactory.create_batch(5)
    source = SourceFactory(label="Rescue network A")

    client = client_for(cast.alice)
    response = update(client, azalea, source=source.reference, occurred_on="2999-01-01")

    assert response.status_code == 400
    assert "The date lies in the future" in response.content.decode()
    assert source_options(response.content.decode()) == [str(source)]


def test_the_form_resolves_a_source_in_the_database_whatever_their_number(
    django_assert_num_queries,
):
    sources = SourceFactory.create_batch(30)
    wanted = sources[17]
    field = SourceNameField(required=False)
    for typed in (str(wanted), wanted.reference, wanted.label):
        with django_assert_num_queries(1) as queries:
            assert field.clean(typed) == wanted
        sql = queries.captured_queries[0]["sql"]
        # Filtered and limited by the database, not every row read and compared in Python;
        # and the identity column is not even read.
        assert " WHERE " in sql and " LIMIT " in sql
        assert "identity" not in sql
    with django_assert_num_queries(0):
        assert field.clean("   ") is None


def test_the_facility_field_finds_a_facility_in_the_database(django_assert_num_queries):
    FacilityFactory.create_batch(5)
    tumen = FacilityFactory(name_en="Tumen Border Defence Detention Centre", province="Jilin")
    field = FacilityNameField(required=False)
    for typed in (str(tumen), "tumen border defence detention centre, JILIN", tumen.name_en):
        with django_assert_num_queries(1) as queries:
            assert field.clean(typed) == tumen
        assert " WHERE " in queries.captured_queries[0]["sql"]


# The search behind the field.


def test_the_search_finds_sources_by_label_or_reference_in_reference_order(cast, client_for):
    networks = [SourceFactory(label=f"Rescue network {n}") for n in range(3)]
    media = SourceFactory(label="", kind=SourceKind.MEDIA)
    SourceFactory(label="Sister in Seoul")
    client = client_for(cast.alice)

    assert searched(client, "NETWORK") == by_reference(networks)
    assert searched(client, networks[1].reference.lower()) == [str(networks[1])]
    assert searched(client, "media") == [str(media)]  # shown by its kind, found by it
    assert searched(client, "nobody") == []
    assert searched(client, "  ") == []


def test_the_search_answers_at_most_twenty(cast, client_for):
    sources = SourceFactory.create_batch(25, label="network")
    found = searched(client_for(cast.alice), "network")
    assert found == by_reference(sources)[:20]


def test_the_search_never_returns_an_identity(cast, client_for, django_assert_max_num_queries):
    SourceFactory(label="Rescue network A", identity=IDENTITY)
    client = client_for(cast.alice)
    with django_assert_max_num_queries(6) as queries:
        response = client.get(SEARCH, {"q": "network"})
    assert not [q for q in queries.captured_queries if "identity" in q["sql"]]
    assert len(response.json()["results"]) == 1
    assert "Canary" not in response.content.decode()
    assert set(response.json()["results"][0]) == {"value"}
    assert searched(client, "Canary") == []  # nor is the identity searched


@pytest.mark.parametrize("who", ["alice", "carol", "erin"])
def test_those_who_record_events_may_search(who, cast, client_for):
    SourceFactory(label="Rescue network A")
    assert len(searched(client_for(getattr(cast, who)), "network")) == 1


def test_one_who_may_not_record_events_is_refused_the_search(cast, client_for):
    SourceFactory(label="Rescue network A")
    response = client_for(cast.dana).get(SEARCH, {"q": "network"})
    assert response.status_code == 403
    assert "Rescue network A" not in response.content.decode()


def test_the_search_needs_a_login(client):
    SourceFactory(label="Rescue network A")
    response = client.get(SEARCH, {"q": "network"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_search_is_read_only(cast, client_for):
    assert client_for(cast.alice).post(SEARCH, {"q": "network"}).status_code == 405


# The pages that carry the field.


@pytest.mark.parametrize("sources", [1, 50])
def test_the_person_page_lists_no_sources_however_many_there_are(
    sources, cast, azalea, client_for, django_assert_max_num_queries
):
    told = SourceFactory(label="Told us first")
    record(azalea, Status.DETAINED, datetime.date(2017, 3, 1), source=told)
    others = SourceFactory.create_batch(sources)
    client = client_for(cast.alice)

    with django_assert_max_num_queries(20):
        response = client.get(detail(azalea))

    content = response.content.decode()
    assert response.status_code == 200
    assert str(told) in content  # in the timeline
    assert not [s for s in others if s.reference in content or s.label in content]
    assert '<select name="source"' not in content
    assert source_options(content) == []
    assert f'data-search-url="{SEARCH}"' in content
    assert 'src="/static/js/source_picker.js"' in content


def test_the_group_page_lists_no_sources_either(cast, client_for):
    group = GroupFactory(people=PersonFactory.create_batch(2))
    sources = SourceFactory.create_batch(10)

    content = client_for(cast.carol).get(detail(group)).content.decode()

    assert not [s for s in sources if s.reference in content]
    assert source_options(content) == []
    assert 'src="/static/js/source_picker.js"' in content


def test_an_advocate_sees_no_form_and_no_search(cast, azalea, client_for):
    content = client_for(cast.dana).get(detail(azalea)).content.decode()
    assert "source-names" not in content and "source_picker.js" not in content
