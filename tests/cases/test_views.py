"""The caseworker pages, seen by the fixed cast."""

import datetime
from unittest import mock

import pytest
from django.db import connection, transaction
from django.db.models.sql.compiler import SQLCompiler
from django.forms.boundfield import BoundField
from django.urls import reverse
from django.utils.formats import date_format

from casework.accounts.enums import AccessAction
from casework.accounts.models import AccessLogEntry
from casework.cases import encryption, permissions, views
from casework.cases.enums import Status
from casework.cases.models import CustodyEvent, Group, Person
from casework.cases.permissions import groups_visible_to
from tests.factories import (
    FacilityFactory,
    FamilyContactFactory,
    GroupFactory,
    PersonFactory,
    SourceFactory,
    record,
)

pytestmark = pytest.mark.django_db

CANARY = "Canary Ri Ok-sun"


@pytest.fixture
def cases(cast):
    """alice follows Azalea; bob follows Bellflower (restricted); nobody follows Camellia."""
    azalea = PersonFactory(pseudonym="Azalea", legal_name=CANARY, caseworkers=[cast.alice])
    bellflower = PersonFactory(pseudonym="Bellflower", restricted=True, caseworkers=[cast.bob])
    camellia = PersonFactory(pseudonym="Camellia")
    return azalea, bellflower, camellia


def detail(obj) -> str:
    return reverse("cases:detail", args=[obj.reference])


def listed(client, **params) -> list[str]:
    response = client.get(reverse("cases:list"), params)
    assert response.status_code == 200
    return [p.pseudonym for p in response.context["page"].items]


def test_my_cases_lists_mine_and_my_teams(cast, cases, client_for):
    teammate = PersonFactory(pseudonym="Daisy")
    teammate.assigned_caseworkers.add(
        type(cast.alice).objects.create(username="amy", team=cast.alice.team)
    )
    assert listed(client_for(cast.alice)) == ["Azalea", "Daisy"]
    assert listed(client_for(cast.oscar)) == []


@pytest.mark.parametrize("by_id", [1000, 0], ids=["fetched by id", "walked"])
@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dana", "erin", "oscar"])
def test_my_cases_are_the_visible_cases_of_me_or_my_team(
    who, by_id, cast, cases, client_for, monkeypatch
):
    monkeypatch.setattr(permissions, "MY_CASES_BY_ID", by_id)
    teammate = type(cast.alice).objects.create(username="amy", team=cast.alice.team)
    PersonFactory(pseudonym="Daisy", caseworkers=[teammate])
    PersonFactory(pseudonym="Edelweiss", restricted=True, caseworkers=[teammate])
    PersonFactory(pseudonym="Foxglove", caseworkers=[cast.carol])
    user = getattr(cast, who)
    expected = (
        permissions.persons_visible_to(user)
        .filter(pk__in=Person.objects.assigned_to_user_or_team(user))
        .order_by("pseudonym")
        .values_list("pseudonym", flat=True)
    )

    mine = permissions.my_cases(user).order_by("pseudonym").values_list("pseudonym", flat=True)

    assert list(mine) == list(expected)
    assert sorted(listed(client_for(user))) == list(expected)


def _search_pages(client, query):
    """The pseudonyms on each page of a search, following "Next" to the end."""
    pages, params = [], {"q": query}
    while True:
        response = client.get(reverse("cases:list"), params)
        pages.append([p.pseudonym for p in response.context["page"].items])
        if response.context["page"].next_after is None:
            return pages, response
        params = {"q": query, "after": response.context["page"].next_after}


def test_search_results_page_on_by_pseudonym(cast, client_for, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    tumen = FacilityFactory(name_en="Tumen", border_point=True)
    for name in ("Willow 3", "Willow 1", "Birch 1", "Willow 2", "willow 4"):
        person = PersonFactory(pseudonym=name, caseworkers=[cast.alice])
        if name == "Willow 3":  # at risk, yet listed by its name among the matches
            record(person, Status.DETAINED, datetime.date.today(), facility=tumen)

    pages, response = _search_pages(client_for(cast.alice), "WILLOW")

    assert pages == [["Willow 1", "Willow 2"], ["Willow 3", "willow 4"]]
    assert response.context["count"] == "4"
    assert "to narrow the search" not in response.content.decode()


def test_a_search_matching_more_cases_than_it_shows_says_so(cast, client_for, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(views, "SEARCH_CAP", 3)
    willows = {f"Willow {n}" for n in range(1, 6)}
    for name in [*willows, "Birch 1"]:
        PersonFactory(pseudonym=name, caseworkers=[cast.alice])

    pages, response = _search_pages(client_for(cast.alice), "willow")

    shown = [name for page in pages for name in page]
    # Three of the five, by pseudonym, over two pages: no walk through every match.
    assert len(shown) == 3 and set(shown) <= willows and shown == sorted(shown)
    assert response.context["count"] == "more than 3"
    assert "More than 3 cases match “willow”: these are the first 3 found" in (
        response.content.decode()
    )


def test_a_search_of_one_or_two_letters_looks_at_the_start_of_pseudonyms(cast, client_for):
    for name in ("Willow 1", "Kiwi 2", "wild 3", "Pine 4"):
        PersonFactory(pseudonym=name, caseworkers=[cast.alice])
    client = client_for(cast.alice)

    assert sorted(listed(client, q="Wi")) == ["Willow 1", "wild 3"]
    assert sorted(listed(client, q="wil")) == ["Willow 1", "wild 3"]
    assert listed(client, q="iwi") == ["Kiwi 2"]
    response = client.get(reverse("cases:list"), {"q": "Qz"})
    assert "a pseudonym beginning with “Qz”" in response.content.decode()


def test_the_search_is_served_by_the_trigram_index_on_postgresql():
    PersonFactory.create_batch(3)
    search = Person.objects.matching("illo").order_by()
    if connection.vendor != "postgresql":
        # SQLite has no such index; the migration leaves it alone there.
        with connection.cursor() as cursor:
            names = connection.introspection.get_constraints(cursor, "cases_person")
        assert "person_pseudonym_trgm" not in names
        assert "SCAN cases_person" in search.explain()
        return
    with transaction.atomic(), connection.cursor() as cursor:
        # Three rows are read whole; what matters is that the index fits the search's SQL.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        assert "Bitmap Index Scan on person_pseudonym_trgm" in search.explain()


def test_search_reaches_every_case_i_may_see_and_nothing_else(cast, cases, client_for):
    # "ell" is in Bellflower too, restricted to bob's cases.
    assert listed(client_for(cast.carol), q="ell") == ["Camellia"]
    assert listed(client_for(cast.oscar), q="Bellflower") == []
    azalea = cases[0]
    assert listed(client_for(cast.carol), q=azalea.reference.lower()) == ["Azalea"]


def test_rows_are_marked_stale_or_at_risk(cast, client_for):
    tumen = FacilityFactory(name_en="Tumen", border_point=True)
    at_risk = PersonFactory(pseudonym="AtRisk", caseworkers=[cast.alice])
    record(at_risk, Status.DETAINED, datetime.date.today(), facility=tumen)
    quiet = PersonFactory(pseudonym="Quiet", caseworkers=[cast.alice])
    record(quiet, Status.DETAINED, datetime.date(2017, 3, 1))

    response = client_for(cast.alice).get(reverse("cases:list"))
    rows = {p.pseudonym: p for p in response.context["page"].items}

    assert (rows["AtRisk"].is_at_risk, rows["AtRisk"].is_stale) == (True, False)
    assert (rows["Quiet"].is_at_risk, rows["Quiet"].is_stale) == (False, True)
    assert list(rows) == ["AtRisk", "Quiet"]


def test_my_cases_page_on_at_risk_then_stale_then_the_rest(cast, client_for, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    tumen = FacilityFactory(name_en="Tumen", border_point=True)
    expected = []
    for n in range(4):
        person = PersonFactory(pseudonym=f"Risk {n}", caseworkers=[cast.alice])
        record(person, Status.DETAINED, datetime.date.today(), facility=tumen)
        expected.append(person.pseudonym)
    for n in range(2):
        person = PersonFactory(pseudonym=f"Quiet {n}", caseworkers=[cast.alice])
        record(person, Status.DETAINED, datetime.date(2017, 3, 1))
        expected.append(person.pseudonym)
    for n in range(2):
        person = PersonFactory(pseudonym=f"Calm {n}", caseworkers=[cast.alice])
        record(person, Status.IN_SAFE_COUNTRY, datetime.date.today())
        expected.append(person.pseudonym)
    client = client_for(cast.alice)

    pages, params = [], {}
    while True:
        response = client.get(reverse("cases:list"), params)
        pages.append([p.pseudonym for p in response.context["page"].items])
        if response.context["page"].next_after is None:
            break
        assert f"after={response.context['page'].next_after}" in response.text
        params = {"after": response.context["page"].next_after}

    assert pages == [expected[0:3], expected[3:6], expected[6:8]]
    assert "« First page" in response.text


def test_my_cases_counts_up_to_a_cap(cast, client_for, monkeypatch):
    for n in range(3):
        PersonFactory(pseudonym=f"Willow {n}", caseworkers=[cast.alice])
    client = client_for(cast.alice)
    assert client.get(reverse("cases:list")).context["count"] == "3"

    monkeypatch.setattr(views, "CASE_COUNT_CAP", 2)
    response = client.get(reverse("cases:list"))

    assert response.context["count"] == "more than 2"
    assert "more than 2" in response.text


def test_a_broken_page_link_says_so_and_shows_the_first_page(cast, cases, client_for):
    response = client_for(cast.alice).get(reverse("cases:list"), {"after": "x'; --"})

    assert [p.pseudonym for p in response.context["page"].items] == ["Azalea"]
    assert "That page link is broken" in response.text


def test_a_page_link_from_a_case_i_may_not_see_shows_nothing(cast, cases, client_for):
    _, bellflower, _ = cases
    response = client_for(cast.alice).get(reverse("cases:list"), {"after": bellflower.pk})

    assert response.context["page"].items == []
    assert "Bellflower" not in response.text
    assert "No more cases" in response.text


@pytest.mark.parametrize("who", ["oscar", "bob", "dana", "carol", "erin"])
def test_a_case_one_may_not_see_is_404_on_every_url(who, cast, cases, client_for):
    azalea, bellflower, _ = cases
    client = client_for(getattr(cast, who))
    target = azalea if who == "bob" else bellflower
    for url in (
        detail(target),
        reverse("cases:update", args=[target.reference]),
        reverse("cases:reveal", args=[target.reference]),
    ):
        method = client.get if url == detail(target) else client.post
        assert method(url).status_code == 404, url


def test_a_group_one_may_not_see_is_404(cast, cases, client_for):
    _, bellflower, _ = cases
    group = GroupFactory(people=[bellflower])
    assert client_for(cast.oscar).get(detail(group)).status_code == 404
    assert client_for(cast.bob).get(detail(group)).status_code == 200


def test_the_person_page_shows_the_timeline_and_logs_the_opening(cast, cases, client_for):
    azalea, _, _ = cases
    source = SourceFactory(label="Rescue network A", identity="Canary informant")
    record(azalea, Status.DETAINED, datetime.date(2017, 3, 1), date_precision="month", place="X")
    record(azalea, Status.RETURNED, datetime.date(2017, 6, 2), source=source)

    response = client_for(cast.alice).get(detail(azalea))
    content = response.content.decode()

    assert response.status_code == 200
    # The exact day in the language's DATE_FORMAT ("2 Jun 2017" in English).
    assert "March 2017" in content and date_format(datetime.date(2017, 6, 2)) in content
    assert "Rescue network A" in content
    assert "Canary" not in content  # neither the legal name nor the source's identity
    assert "no-store" in response["Cache-Control"]
    entry = AccessLogEntry.objects.get(action=AccessAction.OPENED_CASE)
    assert (entry.user, entry.reference) == (cast.alice, azalea.reference)


def test_opening_a_case_or_the_list_decrypts_no_identity(cast, cases, client_for, monkeypatch):
    """Identities are read only on reveal: a page view leaves them encrypted, so that no
    plaintext sits in the worker's memory for a page that does not show it."""
    azalea, _, _ = cases
    FamilyContactFactory(person=azalea, name="Canary Sister", contact_channel="+82 10 1111")
    record(azalea, Status.RETURNED, source=SourceFactory(identity="Canary informant"))
    decrypted = []
    real_decrypt = encryption.decrypt
    monkeypatch.setattr(
        encryption, "decrypt", lambda token, **kw: decrypted.append(kw) or real_decrypt(token, **kw)
    )
    client = client_for(cast.alice)

    assert client.get(detail(azalea)).status_code == 200
    assert client.get(reverse("cases:list")).status_code == 200

    assert decrypted == []


def test_reveal_shows_the_identity_and_logs_it_without_the_value(cast, cases, client_for):
    azalea, _, _ = cases
    FamilyContactFactory(person=azalea, name="Canary Sister", contact_channel="+82 10 1111")

    response = client_for(cast.alice).post(reverse("cases:reveal", args=[azalea.reference]))

    content = response.content.decode()
    assert CANARY in content and "Canary Sister" in content and "+82 10 1111" in content
    entry = AccessLogEntry.objects.get(action=AccessAction.REVEALED_IDENTITY)
    assert (entry.user, entry.reference) == (cast.alice, azalea.reference)
    assert "Canary" not in entry.detail


def test_an_advocate_cannot_reveal_and_sees_no_button(cast, cases, client_for):
    azalea, _, _ = cases
    client = client_for(cast.dana)
    assert "Reveal identity" not in client.get(detail(azalea)).content.decode()
    assert client.post(reverse("cases:reveal", args=[azalea.reference])).status_code == 403
    assert not AccessLogEntry.objects.filter(action=AccessAction.REVEALED_IDENTITY).exists()


def update(client, case, **data):
    data.setdefault("version", type(case).objects.get(pk=case.pk).version)
    data.setdefault("date_precision", "day")
    data.setdefault("confidence", "reported")
    return client.post(reverse("cases:update", args=[case.reference]), data)


def test_a_quick_update_records_through_the_service(cast, cases, client_for):
    azalea, _, _ = cases
    tumen = FacilityFactory(name_en="Tumen Border Defence Detention Centre", border_point=True)
    record(azalea, Status.DETAINED)

    response = update(
        client_for(cast.alice),
        azalea,
        status="transferred",
        occurred_on="2017-04-02",
        facility="Tumen Border Defence Detention Centre, Jilin",
        note="Moved by bus",
    )

    assert response.status_code == 302
    event = CustodyEvent.objects.get(status=Status.TRANSFERRED)
    assert (event.person, event.facility, event.recorded_by) == (azalea, tumen, cast.alice)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "detained", "occurred_on": "2999-01-01"}, "The date lies in the future"),
        (
            {"status": "detained", "occurred_on": "2017-01-01", "facility": "Nowhere camp"},
            "Unknown facility",
        ),
        ({"status": "returned", "occurred_on": "2017-01-01"}, "A return must name the source"),
        ({"status": "detained", "occurred_on": "not a date"}, "Enter a valid date"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(data, message, cast, cases, client_for):
    azalea, _, _ = cases
    response = update(client_for(cast.alice), azalea, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CustodyEvent.objects.exists()


def test_an_update_on_an_outdated_form_is_refused_and_keeps_what_was_typed(cast, cases, client_for):
    azalea, _, _ = cases
    opened = Person.objects.get(pk=azalea.pk).version
    update(client_for(cast.carol), azalea, status="detained", occurred_on="2017-03-01")

    response = update(
        client_for(cast.alice),
        azalea,
        version=opened,
        status="released",
        occurred_on="2017-05-01",
        note="my note",
    )

    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else updated this case" in content
    assert "my note" in content
    assert CustodyEvent.objects.count() == 1
    resent = update(client_for(cast.alice), azalea, status="released", occurred_on="2017-05-01")
    assert resent.status_code == 302
    assert CustodyEvent.objects.count() == 2


def test_a_group_update_lands_on_all_or_on_chosen_members(cast, client_for):
    people = PersonFactory.create_batch(3)
    group = GroupFactory(name="Yanji group", people=people)
    client = client_for(cast.carol)

    assert update(client, group, status="detained", occurred_on="2017-03-01").status_code == 302
    response = update(
        client,
        group,
        status="returned",
        occurred_on="2017-06-01",
        source=str(SourceFactory()),
        members=[people[0].pk],
    )

    assert response.status_code == 302
    assert Group.objects.with_rollup().get(pk=group.pk).rollup == "2 detained, 1 returned"
    page = client.get(detail(group)).content.decode()
    assert "2 detained, 1 returned" in page
    assert "3 of 3" in page and "1 of 3" in page


def test_the_group_page_rolls_up_its_members_as_the_group_list_does(cast, client_for):
    detained, returned, never_heard_of = PersonFactory.create_batch(3)
    group = GroupFactory(people=[detained, returned, never_heard_of])
    record(detained, Status.DETAINED)
    record(returned, Status.RETURNED, source=SourceFactory())

    response = client_for(cast.carol).get(detail(group))

    listed = Group.objects.with_rollup().get(pk=group.pk)
    assert response.context["group"].rollup == listed.rollup
    assert listed.rollup in response.content.decode()
    assert response.context["group"].n_members == listed.n_members == 3


def test_a_stranger_cannot_be_updated_through_a_group(cast, client_for):
    member, stranger = PersonFactory.create_batch(2)
    group = GroupFactory(people=[member])
    response = update(
        client_for(cast.carol),
        group,
        status="detained",
        occurred_on="2017-03-01",
        members=[stranger.pk],
    )
    assert response.status_code == 400
    assert "is not a member of this group" in response.content.decode()
    assert not CustodyEvent.objects.exists()


def test_an_advocate_may_read_but_not_update(cast, cases, client_for):
    _, _, camellia = cases
    client = client_for(cast.dana)
    assert client.get(detail(camellia)).status_code == 200
    assert update(client, camellia, status="detained", occurred_on="2017-03-01").status_code == 403


def test_the_home_page_leads_to_my_cases(cast, client_for):
    assert client_for(cast.alice).get("/").url == reverse("cases:list")


def test_pages_need_a_login(client, cases):
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("rows", [1, 30])
def test_the_case_list_runs_a_bounded_number_of_queries(
    rows, cast, client_for, django_assert_max_num_queries
):
    facility = FacilityFactory()
    for person in PersonFactory.create_batch(rows, caseworkers=[cast.alice], vulnerable=["child"]):
        record(person, Status.DETAINED, facility=facility)
    client = client_for(cast.alice)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases:list"))
    assert len(response.context["page"].items) == rows
    # A later page reads back its anchor row and may reach into every part.
    second = Person.objects.order_by("pseudonym", "id").first()
    with django_assert_max_num_queries(14):
        client.get(reverse("cases:list"), {"after": second.pk})
    # A search reads the ids of its matches first, then one page.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases:list"), {"q": second.pseudonym[:3]})
    assert response.context["page"].items


@pytest.mark.parametrize("events", [1, 30])
def test_the_person_page_runs_a_bounded_number_of_queries(
    events, cast, client_for, django_assert_max_num_queries
):
    person = PersonFactory(caseworkers=[cast.alice], vulnerable=["child", "elderly"])
    FamilyContactFactory(person=person)
    facility = FacilityFactory()
    source = SourceFactory()
    for day in range(events):
        record(
            person,
            Status.DETAINED,
            datetime.date(2017, 1, 1 + day % 28),
            facility=facility,
            source=source,
            group=None,
        )
    client = client_for(cast.alice)
    # With one read of the "no news" rules, the staleness limits of the request.
    with django_assert_max_num_queries(14):
        response = client.get(detail(person))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 30])
def test_the_group_page_runs_a_bounded_number_of_queries(
    size, cast, client_for, django_assert_max_num_queries
):
    group = GroupFactory(people=PersonFactory.create_batch(size, vulnerable=["child"]))
    record(status=Status.DETAINED, group=group, facility=FacilityFactory())
    client = client_for(cast.carol)
    # The members are read once, for the roll-up, the table and the form's boxes alike;
    # the "no news" rules once, for the staleness limits.
    with django_assert_max_num_queries(13):
        response = client.get(detail(group))
    assert response.status_code == 200
    assert len(response.context["members"]) == size


def test_a_group_form_opened_before_a_member_was_updated_is_refused(cast, client_for):
    a, b = PersonFactory.create_batch(2)
    group = GroupFactory(people=[a, b])
    opened = Group.objects.get(pk=group.pk).version
    record(a, Status.DETAINED)  # someone updates one member from the person's page

    response = update(
        client_for(cast.carol), group, version=opened, status="detained", occurred_on="2017-03-01"
    )

    assert response.status_code == 409
    assert CustodyEvent.objects.count() == 1


def test_a_group_page_leaves_out_a_restricted_member_one_may_not_see(cast, cases, client_for):
    azalea, bellflower, _ = cases
    group = GroupFactory(people=[azalea, bellflower])
    record(status=Status.DETAINED, group=group)

    response = client_for(cast.carol).get(detail(group))

    content = response.content.decode()
    assert "1 detained" in content and "2 detained" not in content
    assert "Bellflower" not in content
    assert [p.pseudonym for p in response.context["members"]] == ["Azalea"]


def test_the_empty_quick_update_is_drawn_once_for_every_case_and_a_groups_boxes_for_each(
    cast, cases, client_for
):
    azalea, _, camellia = cases
    first_group = GroupFactory(people=[azalea])
    second_group = GroupFactory(people=[camellia])
    client = client_for(cast.carol)
    original = BoundField.as_widget

    def drawn(case) -> tuple[list[str], str]:
        with mock.patch.object(BoundField, "as_widget", autospec=True, side_effect=original) as spy:
            response = client.get(detail(case))
        assert response.status_code == 200
        return [call.args[0].name for call in spy.call_args_list], response.content.decode()

    first, _ = drawn(azalea)
    second, page = drawn(camellia)
    members_first, first_boxes = drawn(first_group)
    members_second, second_boxes = drawn(second_group)

    assert {"status", "occurred_on", "facility", "source", "note"} <= set(first)
    assert second == ["version"]  # the hidden version is the case's own, drawn each time
    assert 'name="occurred_on"' in page and 'name="note"' in page
    # Then the group's own form for its unidentified others: its values, drawn each time.
    drawn_on_a_group = ["version", "members", "version", "unidentified_others"]
    assert members_first == members_second == drawn_on_a_group
    assert f'value="{azalea.pk}"' in first_boxes and f'value="{camellia.pk}"' not in first_boxes
    assert f'value="{camellia.pk}"' in second_boxes and f'value="{azalea.pk}"' not in second_boxes


@pytest.mark.parametrize("who", ["alice", "carol", "dana"])
def test_the_person_page_lists_the_groups_the_viewer_may_open(who, cast, cases, client_for):
    azalea, bellflower, camellia = cases
    with_a_restricted_member = GroupFactory(name="Tumen group", people=[azalea, bellflower])
    GroupFactory(name="Hunchun group", people=[camellia])
    user = getattr(cast, who)

    response = client_for(user).get(detail(azalea))

    assert response.status_code == 200
    listed = [group.reference for group in response.context["groups"]]
    visible = groups_visible_to(user).filter(memberships__person=azalea)
    assert listed == [with_a_restricted_member.reference] == [g.reference for g in visible]
    assert "Tumen group" in response.content.decode()
    assert "Hunchun group" not in response.content.decode()


def test_the_quick_update_offers_every_facility_escaped(cast, cases, client_for):
    azalea, _, _ = cases
    FacilityFactory(name_en='Tumen "border" <centre> & annex', province="Jilin")
    FacilityFactory(name_en="Kunming holding centre", province="Yunnan")

    body = client_for(cast.alice).get(detail(azalea)).content.decode()

    assert '<option value="Kunming holding centre, Yunnan">' in body
    assert '<option value="Tumen &quot;border&quot; &lt;centre&gt; &amp; annex, Jilin">' in body
    assert "<centre>" not in body


def test_a_coordinator_who_follows_no_case_gets_an_empty_list_without_reading_cases(
    cast, cases, client_for
):
    """Coordinators are rarely assigned cases: their "my cases" is known empty once the
    assignments are read, and no list query is built or run to find it out."""
    asked = []
    execute_sql = SQLCompiler.execute_sql

    def spy(compiler, *args, **kwargs):
        asked.append(compiler.query.model)
        return execute_sql(compiler, *args, **kwargs)

    with mock.patch.object(SQLCompiler, "execute_sql", spy):
        response = client_for(cast.carol).get(reverse("cases:list"))

    assert response.status_code == 200
    assert list(response.context["page"].items) == []
    assert response.context["count"] == "0"
    assert Person not in asked
