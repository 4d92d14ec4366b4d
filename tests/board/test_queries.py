"""The board, the filtered list and the exports run a bounded number of queries."""

import datetime

import pytest

from casework.cases.enums import Status, Vulnerability
from tests.factories import FacilityFactory, GroupFactory, PersonFactory, record

# Measured: the board 25 queries when its figures come from the tallies (a coordinator)
# or from a caseworker's records, 20 with a filter the tallies cannot answer; an export
# 10; the summary 5 to 8 (with a period or an as-of day, two more find the groups'
# unidentified others); at 1 and 31 rows alike.
BOARD_QUERIES = 30
EXPORT_QUERIES = 10
SUMMARY_QUERIES = 8


def people(n: int, caseworker):
    facility = FacilityFactory(name_en="Tumen", province="Jilin", border_point=True)
    persons = [
        PersonFactory(caseworkers=[caseworker], vulnerable=[Vulnerability.CHILD]) for _ in range(n)
    ]
    group = GroupFactory(people=persons)
    for i, person in enumerate(persons):
        record(person, Status.DETAINED, datetime.date(2024, 1 + i % 12, 1), facility=facility)
        record(
            person,
            Status.RETURNED if i % 2 else Status.AT_RISK_OF_RETURN,
            datetime.date(2025, 1 + i % 12, 2),
            group=group,
            facility=facility,
        )
    return persons


@pytest.mark.parametrize("n", [1, 31])
@pytest.mark.parametrize("name", ["carol", "alice"])
@pytest.mark.parametrize(
    "url, params, limit",
    [
        ("/board/", {}, BOARD_QUERIES),
        (
            "/board/",
            {
                "status": "at_risk",
                "province": "Jilin",
                "stale": "true",
                "vulnerability": "child",
                "detained_after": "2024-01-01",
            },
            BOARD_QUERIES,
        ),
        # A period: new detentions (custody episode starts), counted from records.
        (
            "/board/",
            {"detained_after": "2024-03-01", "detained_before": "2024-08-31"},
            BOARD_QUERIES,
        ),
        (
            "/board/export.csv",
            {"detained_after": "2024-01-01", "detained_before": "2024-12-31"},
            EXPORT_QUERIES,
        ),
        ("/board/summary.txt", {"detained_after": "2024-01-01"}, SUMMARY_QUERIES),
        # A province of arrest: tallied, the changes of status counted from records.
        ("/board/", {"arrest_province": "Jilin", "status": "in_custody"}, BOARD_QUERIES),
        ("/board/export.csv", {"province": "Jilin"}, EXPORT_QUERIES),
        ("/board/export.csv", {"arrest_province": "Jilin"}, EXPORT_QUERIES),
        ("/board/export.xlsx", {"province": "Jilin"}, EXPORT_QUERIES),
        ("/board/summary.txt", {}, SUMMARY_QUERIES),
    ],
)
def test_query_counts(cast, client_for, django_assert_max_num_queries, n, name, url, params, limit):
    people(n, cast.alice)
    client = client_for(getattr(cast, name))
    with django_assert_max_num_queries(limit):
        response = client.get(url, params)
        if hasattr(response, "streaming_content"):
            body = b"".join(response.streaming_content)
            assert body.count(b"\n") == n + 1
    assert response.status_code == 200
