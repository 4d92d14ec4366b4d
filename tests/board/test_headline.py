"""Every figure on the board against the hand-counted world of conftest.py."""

import datetime

from django.utils.formats import date_format

from casework.board.selectors import (
    board_at_risk,
    board_by_arrest_province,
    board_by_province,
    board_charts,
    board_headline,
    board_persons,
    board_stale,
)
from tests.board.conftest import day
from tests.factories import change

SINCE = datetime.date(2024, 7, 1)


def pseudonyms(people):
    return [p.pseudonym for p in people]


def test_the_coordinator_headline_since_july_2024_counts_the_visible_records(world, cast):
    headline = board_headline(board_persons(cast.carol), start=SINCE)

    # Ri, Bae, Pak, Eom, Um, Seo were detained since July 2024; Oh in 2015; Shin is
    # restricted to oscar; Han was never detained.
    assert headline.total.n == 6
    assert headline.total.at_least is True  # Eom's detention is unverified, month only
    assert {f.key: (f.n, f.at_least) for f in headline.outcomes} == {
        "returned": (1, True),  # Um's fate is unknown: he may be returned or held
        "in_custody": (3, True),  # Bae, Pak, Eom
        "in_safe_country": (1, True),  # Seo
        "fate_unknown": (1, False),  # Um
    }
    assert {f.key: (f.n, f.at_least) for f in headline.including} == {
        "children": (1, False),
        "infants": (1, False),
        "elderly_women": (1, False),
    }
    assert headline.text(suppress=False) == (
        f"Since {day(2024, 7, 1)}: at least 6 people detained, of whom at least one forcibly "
        "returned, at least 3 still in detention, at least one reached a safe country and "
        "one whose fate is unknown, including one child, one baby born in detention and "
        "one elderly woman."
    )


def test_all_records_add_the_2015_detention_and_its_release(world, cast):
    headline = board_headline(board_persons(cast.carol))

    assert headline.total.n == 7
    assert {f.key: f.n for f in headline.outcomes} == {
        "returned": 1,
        "in_custody": 3,
        "released": 1,
        "in_safe_country": 1,
        "fate_unknown": 1,
    }
    assert headline.period == "In all records"


def test_a_caseworker_counts_only_their_visible_cases(world, cast):
    alice = board_headline(board_persons(cast.alice), start=SINCE)
    # Ri, Bae, Um (Han never detained).
    assert alice.total.n == 3
    assert alice.total.at_least is False
    assert {f.key: f.n for f in alice.outcomes} == {
        "returned": 1,
        "in_custody": 1,
        "fate_unknown": 1,
    }
    assert {f.key: f.n for f in alice.including} == {
        "children": 1,
        "infants": 0,
        "elderly_women": 0,
    }

    bob = board_headline(board_persons(cast.bob))
    assert bob.total.n == 3  # Pak, Eom, Oh
    assert {f.key: (f.n, f.at_least) for f in bob.outcomes} == {
        "returned": (0, False),
        "in_custody": (2, False),
        "released": (1, False),
    }

    oscar = board_headline(board_persons(cast.oscar))
    assert oscar.total.n == 1  # only his restricted case, Shin


def test_a_person_of_unknown_age_makes_the_vulnerability_figures_lower_bounds(world, cast):
    change(world.seo, age_band="unknown")

    headline = board_headline(board_persons(cast.carol), start=SINCE)

    assert [(f.key, f.at_least) for f in headline.including] == [
        ("children", True),
        ("infants", True),
        ("elderly_women", True),
    ]


def test_at_risk_panel_lists_border_and_planned_returns_newest_first(world, cast):
    count, rows = board_at_risk(board_persons(cast.carol))

    assert count == 2
    assert pseudonyms(rows) == ["Border Bae", "Planned Pak"]
    count, rows = board_at_risk(board_persons(cast.oscar))
    assert pseudonyms(rows) == ["Secret Shin"]


def test_stale_panel_lists_longest_silence_first(world, cast, today):
    count, rows = board_stale(board_persons(cast.carol), today)

    # Oh (released, 90 days), Eom and Pak (detained, 7), Ri (returned, 60), Um (unknown,
    # 30); Bae was heard 5 days ago, Seo 171 days ago (365 allowed), Han 29 days ago.
    assert count == 5
    assert pseudonyms(rows) == ["Old Oh", "Elder Eom", "Returned Ri", "Unknown Um", "Planned Pak"]


def test_people_by_place_now_follow_their_current_facility_or_their_fate(world, cast):
    # Ri was returned, Seo reached a safe country (no facility recorded); Um, Oh and
    # Han are at no known facility.
    assert board_by_province(board_persons(cast.carol)) == [
        ("Unknown place", 3),
        ("Abroad, country unknown", 1),
        ("Jilin", 1),
        ("Liaoning", 1),
        ("Returned to North Korea", 1),
        ("Yunnan", 1),
    ]


def test_people_detained_by_province_of_arrest_follow_where_their_detention_began(world, cast):
    # Everyone ever detained: Ri, Bae, Um, Oh and Seo arrested at Yanji (Jilin), Pak at
    # Suizhong (Liaoning), Eom in Yunnan; Han was never detained.
    assert board_by_arrest_province(board_persons(cast.carol)) == [
        ("Jilin", 5),
        ("Liaoning", 1),
        ("Yunnan", 1),
    ]


def test_status_month_by_month_and_transitions(world, cast, today):
    charts = board_charts(board_persons(cast.carol), start=SINCE, today=today)

    # Months read as the language's YEAR_MONTH_FORMAT ("July 2024", "2024년 7월").
    assert charts.months[0] == date_format(datetime.date(2024, 7, 1), "YEAR_MONTH_FORMAT")
    assert charts.months[-1] == date_format(datetime.date(2025, 6, 1), "YEAR_MONTH_FORMAT")
    june = {label: counts[-1] for label, counts in charts.by_status.items()}
    # Oh was released in 2015 and stays released; Han went into hiding in June 2025.
    assert june == {
        "At large": 1,
        "Detained": 2,
        "Transferred": 1,
        "Returned": 1,
        "Released": 1,
        "In a safe country": 1,
        "Unknown": 1,
    }
    july = {label: counts[0] for label, counts in charts.by_status.items()}
    assert july["Detained"] == 1  # Seo, detained 15 July 2024
    assert july["Released"] == 1  # Oh
    assert july["At large"] == 0
    assert sorted(charts.transitions) == sorted(
        [
            ("Detained → Returned", 1),
            ("Detained → Transferred", 1),
            ("Detained → Unknown", 1),
            ("At large → Detained", 1),
            ("Detained → Released", 1),
            ("Released → In a safe country", 1),
        ]
    )


def test_a_closed_period_counts_only_detentions_inside_it(world, cast):
    headline = board_headline(
        board_persons(cast.carol),
        start=datetime.date(2024, 8, 1),
        stop=datetime.date(2024, 12, 31),
    )
    # Ri (1 Aug), Eom (Sept, unverified), Um (1 Dec); Seo was detained on 15 July.
    assert headline.total.n == 3
    assert headline.text(suppress=True) == (
        f"Between {day(2024, 8, 1)} and {day(2024, 12, 31)}: at least 3 people detained, of whom "
        "at least one forcibly returned, at least one still in detention and fewer than 3 "
        "whose fate is unknown, including fewer than 3 elderly women."
    )
