"""A public release, entered as a caseworker would, gives back the figures it published.

The release: Human Rights Watch, early September 2017, on North Koreans detained in
China, as reported by Yonhap News Agency on 8 September 2017 ("China detains at least
41 N. Korean defectors over past 2 months"):
- 51 North Koreans detained between July 2016 and June 2017;
- at least 41 more detained in July and August 2017, most of them in Yunnan and
  Jilin provinces, "and an undetermined number of their guides";
- 92 in all, including a newborn, 11 children and four elderly women;
- at least 37 forcibly returned since July 2016.

The release does not say in which period the 37 returned had been detained, nor the
day of each detention; here they are among the first period's 51, and the days are
spread over each period. Every figure below is the release's.
"""

import datetime
from collections import Counter

import pytest
import time_machine

from casework.board.reports import Period, report_build
from casework.board.selectors import board_persons
from casework.cases.enums import AgeBand, Confidence, Sex, Status, Vulnerability
from tests.factories import FacilityFactory, GroupFactory, PersonFactory, record

d = datetime.date
RELEASED_ON = d(2017, 9, 3)
FIRST = Period(d(2016, 7, 1), d(2017, 6, 30))
SINCE = Period(d(2017, 7, 1), d(2017, 8, 31))


def at(day: datetime.date):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC), tick=False
    )


@pytest.fixture
def release(db):
    """The 92 people of the release, recorded through the services."""
    shenyang = FacilityFactory(name_en="Shenyang police station", province="Liaoning")
    dandong = FacilityFactory(
        name_en="Dandong border defence", province="Liaoning", border_point=True
    )
    yanji = FacilityFactory(name_en="Yanji detention centre", province="Jilin")
    tumen = FacilityFactory(name_en="Tumen border post", province="Jilin", border_point=True)
    changbai = FacilityFactory(name_en="Changbai police station", province="Jilin")
    banna = FacilityFactory(name_en="Xishuangbanna detention centre", province="Yunnan")

    made = Counter()

    def people(n, *, children=0, infants=0, elderly_women=0):
        """``n`` people, the first ones children, babies or elderly women."""
        kinds = (
            [(AgeBand.CHILD, Sex.UNKNOWN, Vulnerability.CHILD)] * children
            + [(AgeBand.INFANT, Sex.UNKNOWN, Vulnerability.INFANT)] * infants
            + [(AgeBand.ELDERLY, Sex.FEMALE, Vulnerability.ELDERLY)] * elderly_women
        )
        kinds += [(AgeBand.ADULT, Sex.FEMALE, None)] * (n - len(kinds))
        result = []
        for age, sex, vulnerability in kinds:
            made["people"] += 1
            result.append(
                PersonFactory(
                    pseudonym=f"Release {made['people']}",
                    age_band=age,
                    sex=sex,
                    vulnerable=[vulnerability] if vulnerability else [],
                )
            )
        return result

    def group(members, status, on, **kwargs):
        team = GroupFactory(people=members)
        record(group=team, status=status, on=on, **kwargs)
        return team

    # July 2016 – June 2017: 51 detained; 37 of them returned by the release's date.
    with at(RELEASED_ON):
        # A family caught in Shenyang in March 2017, moved to the border and returned:
        # counted under Liaoning, where they were arrested.
        family = people(8, children=1, infants=1)
        group(family, Status.DETAINED, d(2017, 3, 15), facility=shenyang)
        group(family, Status.TRANSFERRED, d(2017, 4, 20), facility=dandong)
        group(family, Status.RETURNED, d(2017, 5, 2), facility=dandong)
        # Twelve caught in Dandong in September 2016 on an unverified report; returned.
        dandong_group = people(12, children=2, elderly_women=1)
        group(
            dandong_group,
            Status.DETAINED,
            d(2016, 9, 5),
            facility=dandong,
            confidence=Confidence.UNVERIFIED,
        )
        group(dandong_group, Status.RETURNED, d(2016, 11, 1), facility=dandong)
        # Seventeen caught around Yanji in January 2017, returned through Tumen.
        yanji_group = people(17, children=2, elderly_women=1)
        group(yanji_group, Status.DETAINED, d(2017, 1, 10), facility=yanji)
        group(yanji_group, Status.TRANSFERRED, d(2017, 2, 1), facility=tumen)
        group(yanji_group, Status.RETURNED, d(2017, 2, 20), facility=tumen)
        # Fourteen held in Jilin since spring 2017; one of them moved to Tumen in July,
        # which is not a new detention in July.
        held = people(14)
        group(held, Status.DETAINED, d(2017, 4, 28), facility=yanji)
        record(held[0], Status.TRANSFERRED, d(2017, 7, 18), facility=tumen)

        # July and August 2017: 41 more, most in Yunnan and Jilin; none returned yet.
        yunnan = people(25, children=4, elderly_women=1)
        group(yunnan, Status.DETAINED, d(2017, 7, 22), facility=banna)
        changbai_group = people(16, children=2, elderly_women=1)
        group(changbai_group, Status.DETAINED, d(2017, 8, 9), facility=changbai)
    assert made["people"] == 92
    return {"yunnan": yunnan, "changbai": changbai_group, "tumen": tumen}


def report(user, as_of, *periods):
    return report_build(board_persons(user), list(periods), as_of)


def figures(section):
    headline = section.headline
    return {f.key: f.n for f in [headline.total, *headline.outcomes, *headline.including]}


def test_the_release_s_figures_as_of_its_date(release, cast):
    with at(RELEASED_ON):
        made = report(cast.carol, RELEASED_ON, FIRST, SINCE)
    first, since = made.periods
    assert figures(first) == {
        "total": 51,
        "returned": 37,
        "in_custody": 14,
        "children": 5,
        "infants": 1,
        "elderly_women": 2,
    }
    # "At least": one detention rests on an unverified report.
    assert first.headline.total.at_least
    assert figures(since) == {
        "total": 41,
        "returned": 0,
        "in_custody": 41,
        "children": 6,
        "elderly_women": 2,
        "infants": 0,
    }
    assert figures(made.combined) == {
        "total": 92,
        "returned": 37,
        "in_custody": 55,
        "children": 11,
        "infants": 1,
        "elderly_women": 4,
    }
    paragraph = made.paragraph(suppress=False)
    assert "at least 51 people detained, of whom 37 forcibly returned" in paragraph
    assert (
        "41 people detained, of whom none forcibly returned and 41 still in detention" in paragraph
    )
    assert "In all these periods, as of 3 Sep 2017: at least 92 people detained" in paragraph
    assert "11 children, one baby born in detention and 4 elderly women" in paragraph


def test_consecutive_periods_add_up_to_the_whole(release, cast):
    with at(RELEASED_ON):
        whole = report(cast.carol, RELEASED_ON, Period(FIRST.start, SINCE.stop))
        parts = report(cast.carol, RELEASED_ON, FIRST, SINCE)
    assert figures(whole.periods[0]) == figures(parts.combined)
    # The move to Tumen in July is a transfer of the first period's detainee.
    assert parts.periods[1].events["transferred"] == 1
    assert parts.periods[1].events["newly_detained"] == 41


def test_places_are_where_people_were_arrested(release, cast):
    with at(RELEASED_ON):
        made = report(cast.carol, RELEASED_ON, FIRST, SINCE)
    first, since = made.periods
    # The Shenyang family was returned through Dandong, the Yanji group through Tumen:
    # each is counted where it was arrested.
    totals = next(row for row in first.table() if row.key == "total")
    assert dict(zip(first.provinces, totals.cells, strict=True)) == {
        "Jilin": 31,
        "Liaoning": 20,
    }
    assert since.provinces == ["Yunnan", "Jilin"]


def test_later_news_leaves_the_release_s_figures_as_they_were(release, cast):
    with at(RELEASED_ON):
        before = report(cast.carol, RELEASED_ON, FIRST, SINCE)
    october = d(2017, 10, 12)
    with at(d(2017, 11, 1)):
        for person in release["yunnan"][:20]:
            record(person, Status.TRANSFERRED, d(2017, 10, 1), facility=release["tumen"])
            record(person, Status.RETURNED, october, facility=release["tumen"])
        record(release["changbai"][0], Status.RELEASED, october)
        again = report(cast.carol, RELEASED_ON, FIRST, SINCE)
        later = report(cast.carol, d(2017, 11, 1), FIRST, SINCE)
    for made_before, made_again in zip(before.sections, again.sections, strict=True):
        assert figures(made_again) == figures(made_before)
    assert figures(later.periods[1])["returned"] == 20
    assert figures(later.periods[1])["in_custody"] == 20
    assert figures(later.periods[1])["released"] == 1
    assert figures(later.combined)["returned"] == 57
    # The later period's events: the returns of October are not events of July–August.
    assert later.periods[1].events["returned"] == 0
