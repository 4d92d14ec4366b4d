"""The board pages from outside: who may use them, what they count, filters in the URL."""

import re

import pytest

from casework.accounts.enums import Role
from casework.accounts.models import User
from tests.board.conftest import day
from tests.factories import GroupFactory, PersonFactory, UserFactory, record

BOARD = "/board/"


def references(response):
    return sorted(p.reference for p in response.context["object_list"])


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(BOARD)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "url", [BOARD, "/board/export.csv", "/board/export.xlsx", "/board/summary.txt"]
)
def test_an_account_without_a_role_is_refused(client_for, db, url):
    nobody = User.objects.create_user("nobody", password="x")
    assert client_for(nobody).get(url).status_code == 403


@pytest.mark.parametrize("name", ["alice", "carol", "dana", "erin", "oscar"])
def test_every_role_may_open_the_board_and_it_is_never_cached(world, cast, client_for, name):
    response = client_for(getattr(cast, name)).get(BOARD)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_coordinator_list_holds_every_unrestricted_open_case(world, cast, client_for):
    response = client_for(cast.carol).get(BOARD)
    assert response.context["paginator"].count == 8  # all but Shin (restricted)
    assert world.shin.reference not in response.content.decode()


def test_the_headline_links_each_figure_to_its_filtered_list(world, cast, client_for):
    client = client_for(cast.carol)
    response = client.get(BOARD, {"detained_after": "2024-07-01"})
    body = response.content.decode()
    assert (
        f"Since {day(2024, 7, 1)}: at least 6 people detained, of whom at least one forcibly "
        "returned" in response.context["summary"]
    )
    returned_link = "?detained_after=2024-07-01&amp;status=returned"
    assert returned_link in body

    returned = client.get(BOARD, {"detained_after": "2024-07-01", "status": "returned"})
    assert references(returned) == [world.ri.reference]
    in_custody = client.get(BOARD, {"detained_after": "2024-07-01", "status": "in_custody"})
    assert references(in_custody) == sorted(
        [world.bae.reference, world.pak.reference, world.eom.reference]
    )
    total = client.get(BOARD, {"detained_after": "2024-07-01"})
    assert total.context["paginator"].count == 6
    elderly_women = client.get(
        BOARD, {"vulnerability": "elderly", "sex": "female", "ever_detained": "true"}
    )
    assert references(elderly_women) == [world.eom.reference]


def test_rows_link_to_the_case_page(world, cast, client_for):
    body = client_for(cast.carol).get(BOARD).content.decode()
    assert f'href="/cases/{world.bae.reference}/"' in body


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"status": "at_risk"}, ["bae", "pak"]),
        ({"status": "at_risk", "province": "Jilin"}, ["bae"]),
        ({"province": "Liaoning"}, ["pak"]),
        ({"border_point": "true"}, ["bae"]),
        ({"detained_after": "2025-05-01", "detained_before": "2025-05-31"}, ["pak"]),
        ({"last_heard_before": "2015-12-31"}, ["oh"]),
        ({"last_heard_after": "2025-06-01"}, ["bae", "han"]),
        ({"stale": "true"}, ["eom", "oh", "pak", "ri", "um"]),
        ({"vulnerability": "infant"}, ["pak"]),
        ({"confidence": "unverified"}, ["eom"]),
        ({"status": "fate_unknown"}, ["um"]),
        ({"ever_detained": "false"}, ["han"]),
    ],
)
def test_filters_narrow_the_list(world, cast, client_for, params, expected):
    response = client_for(cast.carol).get(BOARD, params)
    assert response.status_code == 200
    assert references(response) == sorted(getattr(world, name).reference for name in expected)


def test_facility_group_and_caseworker_filters(world, cast, client_for):
    client = client_for(cast.carol)
    tumen = world.bae.custody_events.order_by("-occurred_on").first().facility
    assert references(client.get(BOARD, {"facility": tumen.pk})) == [world.bae.reference]
    group = GroupFactory(people=[world.ri, world.um])
    assert references(client.get(BOARD, {"group": group.reference})) == sorted(
        [world.ri.reference, world.um.reference]
    )
    # The group is typed, not picked from a list of every group.
    assert group.name not in client.get(BOARD).content.decode()
    assert references(client.get(BOARD, {"caseworker": cast.bob.username})) == sorted(
        [world.pak.reference, world.eom.reference, world.oh.reference]
    )


def test_the_caseworker_names_offered_are_escaped(world, cast, client_for):
    UserFactory(username='o"neil<&>', role=Role.CASEWORKER)

    body = client_for(cast.carol).get(BOARD).content.decode()

    assert f'<option value="{cast.alice.username}">' in body
    assert '<option value="o&quot;neil&lt;&amp;&gt;">' in body
    assert 'o"neil<' not in body


def test_a_bad_date_gets_a_clear_message_and_shows_nothing(world, cast, client_for):
    response = client_for(cast.carol).get(BOARD, {"detained_after": "last spring"})
    assert response.status_code == 200
    assert response.context["filter_errors"] == ["Newly detained between: Enter a valid date."]
    assert "Some filters could not be read" in response.content.decode()
    assert response.context["paginator"].count == 0
    assert response.context["headline"].total.n == 0


def test_a_bad_choice_gets_a_clear_message(world, cast, client_for):
    response = client_for(cast.carol).get(BOARD, {"status": "vanished", "facility": "x"})
    assert response.context["filter_errors"] == [
        "Status: Select a valid choice. vanished is not one of the available choices.",
        "Facility: Select a valid choice. That choice is not one of the available choices.",
    ]


class TestACaseworkerSeesOnlyTheirCases:
    """alice (team North) must not reach bob's or oscar's cases by any door."""

    def test_list_and_counts(self, world, cast, client_for):
        response = client_for(cast.alice).get(BOARD)
        assert references(response) == sorted(
            p.reference for p in (world.ri, world.bae, world.um, world.han)
        )
        assert response.context["at_risk_count"] == 1
        assert response.context["stale_count"] == 2  # Ri, Um
        assert response.context["chart_data"]["provinces"] == [
            ("Unknown place", 2),
            ("Jilin", 1),
            ("Returned to North Korea", 1),
        ]
        assert response.context["chart_data"]["arrestProvinces"] == [("Jilin", 3)]
        body = response.content.decode()
        for hidden in (world.pak, world.eom, world.oh, world.seo, world.shin):
            assert hidden.reference not in body
            assert hidden.pseudonym not in body

    def test_filtering_by_someone_elses_caseworker_or_place_finds_nothing(
        self, world, cast, client_for
    ):
        client = client_for(cast.alice)
        assert references(client.get(BOARD, {"caseworker": cast.bob.username})) == []
        assert references(client.get(BOARD, {"province": "Liaoning"})) == []
        assert references(client.get(BOARD, {"caseworker": cast.oscar.username})) == []

    def test_a_group_of_invisible_people_is_not_a_valid_choice(self, world, cast, client_for):
        hidden_group = GroupFactory(people=[world.pak, world.shin])
        response = client_for(cast.alice).get(BOARD, {"group": hidden_group.reference})
        assert references(response) == []
        assert response.context["filter_errors"][0].startswith("Group: Select a valid choice.")
        assert hidden_group.name not in response.content.decode()

    def test_exports_and_summary(self, world, cast, client_for):
        client = client_for(cast.alice)
        csv = b"".join(client.get("/board/export.csv").streaming_content).decode()
        assert world.pak.reference not in csv and world.shin.reference not in csv
        assert len(csv.strip().splitlines()) == 1 + 4
        summary = client.get("/board/summary.txt", {"exact": "1"}).content.decode()
        assert summary.startswith("In all records: 3 people detained")

    def test_the_outsider_sees_only_his_restricted_case(self, world, cast, client_for):
        response = client_for(cast.oscar).get(BOARD)
        assert references(response) == [world.shin.reference]

    def test_a_restricted_case_is_not_counted_for_the_coordinator(self, world, cast, client_for):
        extra = PersonFactory(restricted=True, caseworkers=[cast.alice])
        record(extra, "detained")
        carol = client_for(cast.carol).get(BOARD)
        assert carol.context["headline"].total.n == 7
        assert extra.reference not in carol.content.decode()


def test_the_page_has_no_inline_script_or_style_and_passes_chart_data_as_json(
    world, cast, client_for
):
    body = client_for(cast.carol).get(BOARD, {"detained_after": "2024-07-01"}).content.decode()
    assert 'style="' not in body
    scripts = re.findall(r"<script([^>]*)>", body)
    assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts)
    assert '<script id="board-data" type="application/json">' in body
    assert 'src="/static/js/board.js"' in body
