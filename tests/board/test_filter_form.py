"""The board keeps its drawn filter form per query and list of facilities: a coordinator
reloading the board is not made to wait for thirteen widgets drawn again, and what the
form shows is never older than the facilities or the query it echoes."""

from unittest import mock

from django.forms.boundfield import BoundField

from tests.factories import FacilityFactory

BOARD = "/board/"
original_as_widget = BoundField.as_widget


def board(client, query=None) -> tuple[int, str]:
    """The board's HTML, and how many form widgets were drawn for it."""
    with mock.patch.object(
        BoundField, "as_widget", autospec=True, side_effect=original_as_widget
    ) as drawn:
        response = client.get(BOARD, query or {})
    assert response.status_code == 200
    return drawn.call_count, response.content.decode()


def test_reloading_the_board_does_not_draw_the_filter_form_again(cast, client_for):
    coordinator = client_for(cast.carol)

    first, _ = board(coordinator, {"sex": "female"})
    again, body = board(coordinator, {"sex": "female"})

    assert first >= 13
    assert again == 0
    assert '<option value="female" selected>' in body


def test_each_query_shows_its_own_choices(cast, client_for):
    coordinator = client_for(cast.carol)
    board(coordinator, {"sex": "female"})

    _, body = board(coordinator, {"sex": "male"})

    assert '<option value="male" selected>' in body
    assert '<option value="female" selected>' not in body


def test_a_facility_added_or_renamed_shows_in_the_filter_at_once(cast, client_for):
    coordinator = client_for(cast.carol)
    facility = FacilityFactory(name_en="Tumen detention centre", province="Jilin")
    _, before = board(coordinator)

    facility.name_en = "Tumen border detention centre"
    facility.save()
    FacilityFactory(name_en="Kunming holding centre", province="Yunnan")
    _, after = board(coordinator)

    assert "Tumen detention centre" in before
    assert "Tumen border detention centre" in after
    assert "Tumen detention centre" not in after
    assert '<option value="Yunnan">Yunnan</option>' in after


def test_a_filter_that_cannot_be_read_is_drawn_with_its_error_every_time(cast, client_for):
    coordinator = client_for(cast.carol)

    for _ in range(2):
        drawn, body = board(coordinator, {"detained_after": "not a date"})
        assert drawn >= 13
        assert "Enter a valid date." in body
    _, clean = board(coordinator)
    assert "Enter a valid date." not in clean
