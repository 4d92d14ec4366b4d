"""Where people are now and where they were arrested, on the board: a person arrested in
Liaoning, moved to a border post in Jilin and returned counts under Liaoning by province
of arrest and as returned to North Korea by place now; a person who reached a safe
country counts under that country; the province-of-arrest filter lists the same people
whether the board reads its tallies or the records."""

import csv
import datetime
import io

import pytest
from django.test import RequestFactory

from casework.board.filters import BoardFilter
from casework.board.selectors import (
    BoardPeople,
    board_by_arrest_province,
    board_by_province,
    board_charts,
    board_count,
    board_people,
    board_persons,
)
from casework.cases.enums import Country, Status
from tests.factories import FacilityFactory, PersonFactory, UserFactory, record

BOARD = "/board/"
d = datetime.date


@pytest.fixture
def journeys(cast, today):
    """Kim: arrested at Suizhong (Liaoning), moved to the Tumen border post (Jilin),
    returned. Lee: arrested at Yanji (Jilin), released, reached South Korea. Park: held
    at Yanji. Han: in hiding, never detained. Shin: alice's restricted case, arrested at
    Suizhong, now at risk at Tumen."""
    suizhong = FacilityFactory(name_en="Suizhong county jail", province="Liaoning")
    tumen = FacilityFactory(name_en="Tumen", province="Jilin", border_point=True)
    yanji = FacilityFactory(name_en="Yanji detention centre", province="Jilin")
    hanawon = FacilityFactory(name_en="Hanawon", province="", country=Country.SOUTH_KOREA)

    kim = PersonFactory(pseudonym="Kim", caseworkers=[cast.alice])
    record(kim, Status.DETAINED, d(2025, 3, 1), facility=suizhong)
    record(kim, Status.TRANSFERRED, d(2025, 4, 1), facility=tumen)
    record(kim, Status.RETURNED, d(2025, 5, 1), facility=tumen)

    lee = PersonFactory(pseudonym="Lee")
    record(lee, Status.DETAINED, d(2024, 3, 1), facility=yanji)
    record(lee, Status.RELEASED, d(2024, 6, 1))
    record(lee, Status.IN_SAFE_COUNTRY, d(2025, 1, 10), facility=hanawon)

    park = PersonFactory(pseudonym="Park", caseworkers=[cast.alice])
    record(park, Status.DETAINED, d(2025, 6, 1), facility=yanji)

    han = PersonFactory(pseudonym="Han")
    record(han, Status.AT_LARGE, d(2025, 6, 1))

    shin = PersonFactory(pseudonym="Shin", caseworkers=[cast.alice], restricted=True)
    record(shin, Status.DETAINED, d(2025, 6, 10), facility=suizhong)
    record(shin, Status.AT_RISK_OF_RETURN, d(2025, 6, 20), facility=tumen)
    return {"kim": kim, "lee": lee, "park": park, "han": han, "shin": shin}


def view(user, params):
    request = RequestFactory().get(BOARD, params)
    request.user = user
    filterset = BoardFilter(params or None, queryset=board_persons(user), request=request)
    assert not params or filterset.is_valid(), filterset.errors
    return filterset, board_people(user, filterset)


def listed(client, params) -> list[str]:
    response = client.get(BOARD, params)
    assert response.status_code == 200
    return sorted(p.pseudonym for p in response.context["object_list"])


def test_the_returned_person_counts_by_province_of_arrest_and_as_returned_by_place_now(
    journeys, cast
):
    _, people = view(cast.carol, {})
    assert people.tally is not None

    assert board_by_province(people) == [
        ("Jilin", 1),  # Park, at Yanji
        ("Returned to North Korea", 1),  # Kim, returned from Tumen (Jilin)
        ("South Korea", 1),  # Lee
        ("Unknown place", 1),  # Han, in hiding
    ]
    # Han was never detained; Kim counts where he was arrested, not at the border post.
    assert board_by_arrest_province(people) == [("Jilin", 2), ("Liaoning", 1)]


def test_the_tables_read_the_same_from_the_tallies_and_the_records(journeys, cast):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    for user in (cast.carol, root):
        filterset, tallied = view(user, {})
        counted = BoardPeople(filterset.qs)
        assert board_by_province(tallied) == board_by_province(counted)
        assert board_by_arrest_province(tallied) == board_by_arrest_province(counted)
    # Root also sees Shin, restricted: arrested in Liaoning, at risk in Jilin.
    _, people = view(root, {})
    assert board_by_arrest_province(people) == [("Jilin", 2), ("Liaoning", 2)]


@pytest.mark.parametrize(
    "name, tallied, expected",
    [
        ("carol", True, ["Kim"]),
        # Alice sees her restricted case: her board is counted from the records.
        ("alice", False, ["Kim", "Shin"]),
    ],
)
def test_the_province_of_arrest_filter_lists_exactly_the_people_arrested_there(
    journeys, cast, client_for, name, tallied, expected
):
    user = getattr(cast, name)
    params = {"arrest_province": "Liaoning"}
    filterset, people = view(user, params)

    assert (people.tally is not None) is tallied
    assert listed(client_for(user), params) == expected
    assert board_count(people) == len(expected)
    counted = BoardPeople(filterset.qs)
    assert board_by_province(people) == board_by_province(counted)
    assert board_charts(people).by_status == board_charts(counted).by_status


def test_a_superuser_view_of_a_province_of_arrest_adds_the_restricted_case_from_records(
    journeys, cast, client_for
):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    params = {"arrest_province": "Liaoning"}
    _, people = view(root, params)

    assert people.tally is not None
    assert board_count(people) == 2
    assert listed(client_for(root), params) == ["Kim", "Shin"]


def test_province_now_and_province_of_arrest_are_two_filters(journeys, cast, client_for):
    client = client_for(cast.carol)

    # Kim is now at the Tumen border post (Jilin), arrested in Liaoning.
    assert listed(client, {"province": "Jilin"}) == ["Kim", "Park"]
    assert listed(client, {"arrest_province": "Jilin"}) == ["Lee", "Park"]
    assert listed(client, {"province": "Jilin", "arrest_province": "Liaoning"}) == ["Kim"]
    page = client.get(BOARD).content.decode()
    assert "Province now" in page and "Province of arrest" in page


def test_the_list_shows_the_place_now_and_the_province_of_arrest(journeys, cast, client_for):
    response = client_for(cast.carol).get(BOARD, {"status": Status.RETURNED})
    page = response.content.decode()
    row = page[page.index(journeys["kim"].reference) :]
    row = row[: row.index("</tr>")]

    assert "Returned to North Korea" in row
    assert "Liaoning" in row
    assert '<th class="hide-small">Province of arrest</th>' in page


def test_the_charts_draw_both_tables(journeys, cast, client_for):
    data = client_for(cast.carol).get(BOARD).context["chart_data"]

    assert ("Returned to North Korea", 1) in data["provinces"]
    assert data["arrestProvinces"] == [("Jilin", 2), ("Liaoning", 1)]
    assert data["words"]["province"] == "Place now"
    assert data["words"]["arrestProvince"] == "Province of arrest"


def test_the_export_has_the_place_now_and_the_province_of_arrest(journeys, cast, client_for):
    response = client_for(cast.carol).get("/board/export.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {row["pseudonym"]: row for row in csv.DictReader(io.StringIO(text))}

    assert (rows["Kim"]["province"], rows["Kim"]["place now"]) == (
        "Jilin",
        "Returned to North Korea",
    )
    assert rows["Kim"]["province of arrest"] == "Liaoning"
    assert (rows["Lee"]["place now"], rows["Lee"]["province of arrest"]) == ("South Korea", "Jilin")
    assert (rows["Han"]["place now"], rows["Han"]["province of arrest"]) == ("Unknown place", "")
