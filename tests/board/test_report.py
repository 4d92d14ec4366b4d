"""The report for publication (``/board/report/``): periods side by side, figures as of
a day, by province of arrest; the same figures as the board's on the same filters."""

import csv
import datetime
import io

import pytest

from casework.accounts.enums import AccessAction
from casework.accounts.models import AccessLogEntry
from casework.board.reports import Period, report_build
from casework.board.selectors import board_persons
from casework.cases.enums import Status
from tests.factories import record

REPORT = "/board/report/"
d = datetime.date


def report_of(user, *periods, as_of):
    return report_build(board_persons(user), [Period(*p) for p in periods], as_of)


def params(*periods, as_of, **extra):
    query = {"as_of": as_of.isoformat(), **extra}
    for i, (start, stop) in enumerate(periods, start=1):
        query[f"start_{i}"] = start.isoformat()
        query[f"stop_{i}"] = stop.isoformat()
    return query


def test_a_coordinator_makes_a_report_for_two_periods(world, cast, client_for):
    response = client_for(cast.carol).get(
        REPORT,
        params(
            (d(2024, 7, 1), d(2024, 12, 31)), (d(2025, 1, 1), d(2025, 6, 30)), as_of=d(2025, 6, 30)
        ),
    )
    assert response.status_code == 200
    report = response.context["report"]
    first, second = report.periods
    # Ri (Aug), Eom (Sept), Um (Dec), Seo (July) began custody in the second half of 2024;
    # Bae (June) and Pak (May) in 2025. Shin is restricted, Oh was detained in 2015.
    assert first.headline.total.n == 4
    assert second.headline.total.n == 2
    assert report.combined.headline.total.n == 6
    assert "In all these periods, as of" in response.context["paragraph"]


def test_figures_as_of_a_past_day_ignore_later_news(world, cast):
    # As of 1 September 2024 Ri (returned on 1 October) was still detained.
    before = report_of(cast.carol, (d(2024, 7, 1), d(2024, 8, 31)), as_of=d(2024, 9, 1))
    now = report_of(cast.carol, (d(2024, 7, 1), d(2024, 8, 31)), as_of=d(2025, 6, 30))
    outcomes_then = {f.key: f.n for f in before.periods[0].headline.outcomes}
    outcomes_now = {f.key: f.n for f in now.periods[0].headline.outcomes}
    # Ri detained 1 Aug, Seo detained 15 July and released 20 August.
    assert outcomes_then == {"returned": 0, "in_custody": 1, "released": 1}
    assert outcomes_now["returned"] == 1
    assert outcomes_now["in_safe_country"] == 1
    assert "in_custody" in outcomes_now and outcomes_now["in_custody"] == 0


def test_the_table_counts_by_province_of_arrest(world, cast):
    report = report_of(cast.carol, (d(2025, 5, 1), d(2025, 6, 30)), as_of=d(2025, 6, 30))
    section = report.periods[0]
    # Bae was arrested in Yanji (Jilin) and is now at the Tumen border post (Jilin);
    # Pak was arrested in Suizhong (Liaoning).
    assert section.provinces == ["Jilin", "Liaoning"]
    rows = {row.key: row for row in section.table()}
    assert rows["in_custody"].cells == [1, 1]
    assert rows["children"].cells == [1, 0]
    assert rows["infants"].cells == [0, 1]
    assert rows["total"].total == 2


def test_events_are_counted_in_the_period_they_happened(world, cast):
    first = report_of(cast.carol, (d(2024, 7, 1), d(2024, 12, 31)), as_of=d(2025, 6, 30))
    second = report_of(cast.carol, (d(2025, 1, 1), d(2025, 6, 30)), as_of=d(2025, 6, 30))
    whole = report_of(cast.carol, (d(2024, 7, 1), d(2025, 6, 30)), as_of=d(2025, 6, 30))
    assert first.periods[0].events == {
        "newly_detained": 4,
        "transferred": 0,
        "returned": 1,
        "released": 1,
        "reached_safety": 0,
        "died": 0,
    }
    # Bae's transfer in June is an event of 2025, not a new detention.
    assert second.periods[0].events["transferred"] == 1
    assert second.periods[0].events["newly_detained"] == 2
    assert second.periods[0].events["reached_safety"] == 1
    for key, n in whole.periods[0].events.items():
        assert n == first.periods[0].events[key] + second.periods[0].events[key], key


def test_the_board_and_the_report_agree_on_a_period(world, cast, client_for):
    client = client_for(cast.carol)
    board = client.get(
        "/board/", {"detained_after": "2024-07-01", "detained_before": "2024-12-31"}
    ).context["headline"]
    report = client.get(
        REPORT, params((d(2024, 7, 1), d(2024, 12, 31)), as_of=d(2025, 6, 30))
    ).context["report"]
    headline = report.periods[0].headline
    assert headline.total.n == board.total.n
    assert [(f.key, f.n, f.at_least) for f in headline.outcomes] == [
        (f.key, f.n, f.at_least) for f in board.outcomes
    ]
    assert [(f.key, f.n) for f in headline.including] == [(f.key, f.n) for f in board.including]


def test_a_caseworker_counts_only_the_cases_they_may_see(world, cast):
    # Shin (restricted, oscar's) was detained on 20 June 2025.
    period = (d(2025, 6, 1), d(2025, 6, 30))
    assert report_of(cast.oscar, period, as_of=d(2025, 6, 30)).periods[0].headline.total.n >= 1
    carol = report_of(cast.carol, period, as_of=d(2025, 6, 30)).periods[0].headline.total.n
    alice = report_of(cast.alice, period, as_of=d(2025, 6, 30)).periods[0].headline.total.n
    assert carol == 1  # Bae
    assert alice == 1  # Bae is alice's; Shin is not hers to see


@pytest.mark.parametrize(
    "query, message",
    [
        ({"as_of": "2025-06-30", "start_1": "2025-06-01"}, "Give both the first and the last day."),
        (
            {"as_of": "2025-06-30", "start_1": "2025-06-10", "stop_1": "2025-06-01"},
            "The period ends before it begins.",
        ),
        (
            {"as_of": "2025-06-01", "start_1": "2025-05-01", "stop_1": "2025-06-10"},
            "The period ends after the as-of day",
        ),
        ({"as_of": "2025-07-01", "start_1": "2025-05-01", "stop_1": "2025-06-10"}, "in the future"),
        (
            {
                "as_of": "2025-06-30",
                "start_1": "2025-01-01",
                "stop_1": "2025-03-31",
                "start_2": "2025-03-01",
                "stop_2": "2025-06-30",
            },
            "overlap",
        ),
        ({"as_of": "2025-06-30"}, "Choose at least one period."),
        ({"as_of": "yesterday", "start_1": "2025-05-01", "stop_1": "2025-06-10"}, "valid date"),
    ],
)
def test_bad_input_gets_a_clear_message_and_no_figures(world, cast, client_for, query, message):
    response = client_for(cast.carol).get(REPORT, query)
    assert response.status_code == 200
    assert "report" not in response.context
    assert message in response.content.decode()


def test_an_unbound_report_page_suggests_periods_and_counts_nothing(
    world, cast, client_for, django_assert_max_num_queries
):
    client = client_for(cast.carol)
    client.get(REPORT)
    with django_assert_max_num_queries(8):
        response = client.get(REPORT)
    assert response.status_code == 200
    assert "report" not in response.context
    # The twelve months to the end of last month, then since (today is 30 June 2025).
    assert 'value="2024-06-01"' in response.content.decode()
    assert 'value="2025-05-31"' in response.content.decode()


def test_the_report_runs_a_bounded_number_of_queries(
    world, cast, client_for, django_assert_max_num_queries
):
    query = params(
        (d(2024, 1, 1), d(2024, 6, 30)),
        (d(2024, 7, 1), d(2024, 12, 31)),
        (d(2025, 1, 1), d(2025, 6, 30)),
        as_of=d(2025, 6, 30),
    )
    client = client_for(cast.carol)
    client.get(REPORT)
    # Two queries a period, whatever the number of people, on top of the page's own.
    with django_assert_max_num_queries(8 + 2 * 3):
        assert client.get(REPORT, query).status_code == 200


def test_small_counts_are_suppressed_unless_asked(world, cast, client_for):
    client = client_for(cast.carol)
    query = params((d(2025, 5, 1), d(2025, 6, 30)), as_of=d(2025, 6, 30))
    suppressed = client.get(REPORT, query)
    assert "fewer than 3 people detained" in suppressed.context["paragraph"]
    assert "&lt;3" in suppressed.content.decode()
    exact = client.get(REPORT, {**query, "exact": "1"})
    assert "2 people detained" in exact.context["paragraph"]


def test_a_user_without_the_board_gets_403(world, cast, client_for):
    from tests.factories import UserFactory

    nobody = UserFactory(username="nobody", role=None)
    query = params((d(2025, 5, 1), d(2025, 6, 30)), as_of=d(2025, 6, 30))
    assert client_for(nobody).get(REPORT, query).status_code == 403
    assert client_for(nobody).get("/board/report.csv", query).status_code == 403


def test_the_exports_hold_the_table_and_are_logged(world, cast, client_for, settings):
    client = client_for(cast.carol)
    query = params((d(2025, 5, 1), d(2025, 6, 30)), as_of=d(2025, 6, 30), exact="1")
    response = client.get("/board/report.csv", query)
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "Jilin,Liaoning,Total" in text
    assert "Still in detention,1,1,2" in text.replace("still in detention", "Still in detention")
    entry = AccessLogEntry.objects.filter(action=AccessAction.EXPORTED).latest("pk")
    assert entry.detail.startswith("report.csv?")
    xlsx = client.get("/board/report.xlsx", query)
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_later_news_recorded_does_not_move_a_report_as_of_an_earlier_day(world, cast, today):
    period = (d(2025, 5, 1), d(2025, 6, 29))
    yesterday = today - datetime.timedelta(days=1)

    def figures(as_of):
        headline = report_of(cast.carol, period, as_of=as_of).periods[0].headline
        return {f.key: (f.n, f.at_least) for f in [headline.total, *headline.outcomes]}

    before = figures(yesterday)
    record(world.pak, Status.RETURNED, today)
    assert figures(yesterday) == before
    assert figures(today)["returned"] == (1, False)
    assert before["returned"] == (0, False)


def test_the_board_headline_as_of_a_day_agrees_with_the_report(world, cast, client_for):
    client = client_for(cast.carol)
    query = {"detained_after": "2024-07-01", "detained_before": "2024-08-31", "as_of": "2024-09-01"}
    board = client.get("/board/", query)
    headline = board.context["headline"]
    report = report_of(cast.carol, (d(2024, 7, 1), d(2024, 8, 31)), as_of=d(2024, 9, 1))
    expected = report.periods[0].headline
    assert [(f.key, f.n) for f in headline.outcomes] == [(f.key, f.n) for f in expected.outcomes]
    assert headline.total.n == expected.total.n == 2
    assert "as of" in board.context["summary"]
    # The tile for "still in detention" lists the person detained then (Ri), though she
    # has been returned since.
    in_custody = next(f for f in headline.outcomes if f.key == "in_custody")
    listed = client.get("/board/", in_custody.params).context["object_list"]
    assert [p.pseudonym for p in listed] == ["Returned Ri"]


@pytest.mark.parametrize(
    "query, message",
    [
        ({"as_of": "2025-07-01"}, "The as-of day is in the future."),
        ({"as_of": "2025-06-01", "status": "at_risk"}, "known for today only"),
        (
            {
                "as_of": "2025-01-01",
                "detained_after": "2024-07-01",
                "detained_before": "2025-03-01",
            },
            "ends after the as-of day",
        ),
        (
            {"detained_after": "2025-03-01", "detained_before": "2025-01-01"},
            "ends before it begins",
        ),
    ],
)
def test_the_board_refuses_filters_that_cannot_hold_together(
    world, cast, client_for, query, message
):
    response = client_for(cast.carol).get("/board/", query)
    assert response.status_code == 200
    assert any(message in error for error in response.context["filter_errors"])
    # Nothing publishable is printed from filters that could not be read.
    page = response.content.decode()
    assert "no people detained" not in page
    assert "No summary while a filter cannot be read" in page
    summary = client_for(cast.carol).get("/board/summary.txt", query)
    assert summary.status_code == 400


def test_a_korean_coordinator_reads_the_report_in_korean(world, cast, client_for, speaking):
    with speaking(cast.carol, "ko"):
        response = client_for(cast.carol).get(
            REPORT, params((d(2025, 5, 1), d(2025, 6, 30)), as_of=d(2025, 6, 30), exact="1")
        )
        page = response.content.decode()
        assert "공개용 통계 보고" in page
        assert "체포된 성(省)별" in page
        assert "지린성" in page and "랴오닝성" in page
        assert "(2025년 6월 30일 기준)" in response.context["paragraph"]
        csv_text = (
            client_for(cast.carol)
            .get(
                "/board/report.csv",
                params((d(2025, 5, 1), d(2025, 6, 30)), as_of=d(2025, 6, 30), exact="1"),
            )
            .content.decode("utf-8-sig")
        )
        assert "2025년 6월 30일 기준 수치" in csv_text
        assert "지린성,랴오닝성,합계" in csv_text


def test_each_figure_states_its_rule_on_the_board_and_the_report(world, cast, client_for):
    client = client_for(cast.carol)
    for response in (
        client.get("/board/"),
        client.get(REPORT, params((d(2025, 5, 1), d(2025, 6, 30)), as_of=d(2025, 6, 30))),
    ):
        page = response.content.decode()
        for key in ("total", "outcomes", "at_least", "others", "including", "province"):
            assert f'data-rule="{key}"' in page
        assert "a transfer is not a new detention" in page


def test_the_board_export_as_of_a_day_holds_the_status_of_that_day(world, cast, client_for):
    query = {"detained_after": "2024-07-01", "detained_before": "2024-08-31", "as_of": "2024-09-01"}
    response = client_for(cast.carol).get("/board/export.csv", query)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    statuses = {row["pseudonym"]: row["status"] for row in rows}
    # Ri has been returned since; on 1 September 2024 she was detained. Seo was released.
    assert statuses == {"Returned Ri": "Detained", "Safe Seo": "Released"}


def test_the_export_log_records_the_report_s_parameters_and_nothing_else(world, cast, client_for):
    query = params((d(2025, 5, 1), d(2025, 6, 30)), as_of=d(2025, 6, 30), note="Kim Legal 3")
    response = client_for(cast.carol).get("/board/report.csv", query)
    assert response.status_code == 200
    entry = AccessLogEntry.objects.filter(action=AccessAction.EXPORTED).latest("pk")
    assert entry.detail == ("report.csv?as_of=2025-06-30&start_1=2025-05-01&stop_1=2025-06-30")
