"""The board, its exports and its summary in the reader's language.

A Korean reader sees Korean words and none of the English ones; an English reader
sees what the board always said. Figures and dates follow the language too.
"""

import csv
import datetime
import io
import json
import re

import pytest
from django.utils import translation
from openpyxl import load_workbook

from casework.board.exports import IDENTITY_COLUMNS, PSEUDONYMOUS_COLUMNS
from casework.board.selectors import board_charts, board_headline, board_persons
from casework.cases.enums import Status, Vulnerability
from tests.board.test_queries import BOARD_QUERIES, EXPORT_QUERIES, SUMMARY_QUERIES, people
from tests.factories import PersonFactory, record

BOARD = "/board/"
KOREAN = {"HTTP_ACCEPT_LANGUAGE": "ko"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def board_data(body: str) -> dict:
    found = re.search(r'<script id="board-data" type="application/json">(.*?)</script>', body)
    return json.loads(found.group(1))


def text_of(body: str) -> str:
    """The page's words without tags, spaces folded."""
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


class TestTheKoreanBoardPage:
    @pytest.fixture
    def page(self, world, cast, client_for, speaking):
        client = client_for(cast.carol)
        with speaking(cast.carol, "ko"):
            response = client.get(BOARD, {"detained_after": "2024-07-01"}, **KOREAN)
        assert response.status_code == 200
        return response.content.decode()

    def test_the_headline_tiles_and_panels_are_korean(self, page):
        text = text_of(page)
        assert "<h1>현황판</h1>" in page
        assert "주요 수치" in page
        # The headline: Korean word order, the counter after the noun.
        assert "2024년 7월 1일부터: 구금된 사람 최소 6명(" in text
        assert "이 중 강제송환 최소 1명, 계속 구금 중 최소 3명" in text
        assert "아동 3명 미만" in text  # suppressed small counts read "fewer than 3"
        # The tiles' captions.
        assert "6 구금된 사람" in text
        assert "1 구금 중 출생 영아" in text
        assert "1 노인 여성" in text
        assert "강제송환 위기" in page and "오랫동안 소식 없음" in page
        for english in (
            "Status board",
            "Headline",
            "people detained",
            "of whom",
            "baby born in detention",
            "Publishable summary",
            # (The status select's stored statuses are the cases area's words.)
            '<h2 id="at-risk-title">At risk',
            "No news for too long",
            "Export CSV",
            "Last heard",
        ):
            assert english not in page, english

    def test_the_filter_form_is_korean(self, page):
        for korean in (
            "필터",
            "상태",
            "모든 상태",
            "성(省)",
            "구금 시설",
            "신규 구금 기간",
            "필터 적용",
        ):
            assert korean in page, korean
        assert "생사 미상(알 수 없음 또는 행방불명)" in page
        for english in ("Apply filters", "Any status", "Newly detained between", ">Province<"):
            assert english not in page, english

    def test_the_charts_get_their_words_from_the_page_in_korean(self, page):
        data = board_data(page)
        assert data["months"][0] == "2024년 7월"
        assert data["months"][-1] == "2025년 6월"
        assert {s["status"]: s["label"] for s in data["byStatus"]}["detained"] == "구금 중"
        assert ("구금 중 → 강제송환됨", 1) in [tuple(row) for row in data["transitions"]]
        assert data["words"] == {
            "people": "인원",
            "changes": "변경 건수",
            "month": "월",
            "province": "현재 위치",
            "arrestProvince": "체포된 성(省)",
            "change": "상태 변경",
        }
        assert ["장소 미상", 1] in data["provinces"]
        assert ["북한으로 강제송환됨", 1] in data["provinces"]
        assert ["해외 (국가 미상)", 1] in data["provinces"]
        assert data["arrestProvinces"] == [["지린성", 4], ["랴오닝성", 1], ["윈난성", 1]]
        assert "July" not in json.dumps(data, ensure_ascii=False)
        assert "Detained" not in json.dumps(data, ensure_ascii=False)


def test_the_js_holds_no_words_of_its_own():
    from django.conf import settings

    script = (settings.BASE_DIR / "static" / "js" / "board.js").read_text()
    for english in ('"People"', '"Changes"', '"Detained"', '"Returned"'):
        assert english not in script


def test_the_drawn_filter_form_is_kept_per_language(world, cast, client_for, speaking):
    """The filter form is cached per query: an English drawing must not reach a Korean
    reader of the same query (nor the other way round)."""
    client = client_for(cast.carol)
    with speaking(cast.carol, "en"):
        english = client.get(BOARD, {"province": "Jilin"}, **ENGLISH).content.decode()
    with speaking(cast.carol, "ko"):
        korean = client.get(BOARD, {"province": "Jilin"}, **KOREAN).content.decode()
    assert "Newly detained between" in english
    assert "Newly detained between" not in korean and "신규 구금 기간" in korean


def test_a_filter_error_reads_in_korean(world, cast, client_for, speaking):
    client = client_for(cast.carol)
    with speaking(cast.carol, "ko"):
        response = client.get(BOARD, {"detained_after": "not a date"}, **KOREAN)
    errors = response.context["filter_errors"]
    assert errors and errors[0].startswith("신규 구금 기간: ")
    assert "Newly detained between" not in errors[0]
    body = response.content.decode()
    assert "일부 필터를 읽을 수 없어" in body
    assert "Some filters could not be read" not in body


class TestTilePlurals:
    def test_one_baby_then_two_babies_in_english(self, world, cast, client_for, speaking):
        client = client_for(cast.carol)
        with speaking(cast.carol, "en"):
            text = text_of(client.get(BOARD, **ENGLISH).content.decode())
        assert "1 baby born in detention" in text
        assert "1 elderly woman" in text
        assert "1 babies" not in text and "1 elderly women" not in text

        second = PersonFactory(pseudonym="Second Baby", vulnerable=[Vulnerability.INFANT])
        record(second, Status.DETAINED, datetime.date(2025, 6, 2))
        with speaking(cast.carol, "en"):
            text = text_of(client.get(BOARD, **ENGLISH).content.decode())
        assert "2 babies born in detention" in text
        assert "2 baby born in detention" not in text

    def test_the_figure_captions_follow_the_count(self, world, cast):
        headline = board_headline(board_persons(cast.carol))
        infants = {f.key: f for f in headline.including}["infants"]
        assert infants.n == 1 and infants.caption == "baby born in detention"
        assert headline.total.caption == "people detained"


def test_the_korean_summary_text(world, cast, client_for, speaking):
    client = client_for(cast.carol)
    with speaking(cast.carol, "ko"):
        response = client.get("/board/summary.txt", {"detained_after": "2024-07-01"}, **KOREAN)
    assert response.content.decode() == (
        "2024년 7월 1일부터: 구금된 사람 최소 6명(아동 3명 미만, 구금 중 출생 영아 3명 미만, "
        "노인 여성 3명 미만 포함). 이 중 강제송환 최소 1명, 계속 구금 중 최소 3명, "
        "안전한 나라에 도착 최소 1명, 생사 미상 3명 미만.\n"
    )


def test_the_korean_headline_of_a_closed_period_with_exact_counts(world, cast, korean_catalogue):
    with translation.override("ko"):
        headline = board_headline(
            board_persons(cast.carol),
            start=datetime.date(2024, 8, 1),
            stop=datetime.date(2024, 12, 31),
        )
        assert headline.text(suppress=False) == (
            "2024년 8월 1일부터 2024년 12월 31일까지: 구금된 사람 최소 3명(노인 여성 1명 포함). "
            "이 중 강제송환 최소 1명, 계속 구금 중 최소 1명, 생사 미상 1명."
        )


def test_chart_months_and_statuses_in_english(world, cast, today):
    with translation.override("en"):
        charts = board_charts(board_persons(cast.carol), start=datetime.date(2024, 7, 1))
    assert "2024" in charts.months[0] and "July" in charts.months[0]
    assert ("detained", "Detained") in [(s, label) for s, label, _ in charts.series]


# Exports ---------------------------------------------------------------------------


def csv_bytes(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content)


KOREAN_HEADERS = [
    "참조번호",
    "가명",
    "성별",
    "연령대",
    "상태",
    "구금 시설 또는 장소",
    "성(省)",
    "현재 위치",
    "체포된 성(省)",
    "국경·송환 지점",
    "예정된 이송 또는 송환",
    "마지막 소식",
    "확실성",
    "취약성",
    "그룹",
    "사례 담당자",
]


class TestExportsInTheReadersLanguage:
    def test_a_korean_csv_has_a_bom_and_korean_headers(self, world, cast, client_for, speaking):
        client = client_for(cast.carol)
        with speaking(cast.carol, "ko"):
            response = client.get("/board/export.csv", {"status": "at_risk"}, **KOREAN)
        # Read after the request's language is gone, as a server streams it.
        body = csv_bytes(response)
        assert body.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert rows[0] == KOREAN_HEADERS
        bae = next(row for row in rows[1:] if row[1] == "Border Bae")
        # Now and arrested in Jilin, at a border point.
        assert bae[6:10] == ["지린성", "지린성", "지린성", "예"]
        assert not any(h in rows[0] for h in PSEUDONYMOUS_COLUMNS)

    def test_an_english_csv_has_a_bom_and_the_english_keys(self, world, cast, client_for, speaking):
        client = client_for(cast.carol)
        with speaking(cast.carol, "en"):
            body = csv_bytes(client.get("/board/export.csv", {"status": "at_risk"}, **ENGLISH))
        assert body.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        assert list(rows[0]) == PSEUDONYMOUS_COLUMNS
        assert {row["border point"] for row in rows} == {"yes", ""}

    def test_the_korean_identity_headers(self, world, cast, client_for, speaking):
        client = client_for(cast.carol)
        with speaking(cast.carol, "ko"):
            body = csv_bytes(
                client.get("/board/export.csv", {"status": "returned", "identities": "1"}, **KOREAN)
            )
        header = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert header[len(PSEUDONYMOUS_COLUMNS) :] == [
            "실명 (로마자)",
            "실명 (한글)",
            "실명 (한자)",
            "생년월일",
            "출신지",
        ]
        assert len(header) == len(PSEUDONYMOUS_COLUMNS) + len(IDENTITY_COLUMNS)

    @pytest.mark.parametrize(
        "language, headers, sheet",
        [("ko", KOREAN_HEADERS, "현황판"), ("en", PSEUDONYMOUS_COLUMNS, "Board")],
    )
    def test_the_xlsx_headers(self, world, cast, client_for, speaking, language, headers, sheet):
        client = client_for(cast.carol)
        with speaking(cast.carol, language):
            response = client.get(
                "/board/export.xlsx", {"status": "at_risk"}, HTTP_ACCEPT_LANGUAGE=language
            )
        workbook = load_workbook(io.BytesIO(response.content))
        assert workbook.sheetnames == [sheet]
        rows = list(workbook.active.iter_rows(values_only=True))
        assert list(rows[0]) == headers

    def test_a_formula_like_value_stays_neutralised_in_korean(
        self, world, cast, client_for, speaking
    ):
        PersonFactory(pseudonym="=HYPERLINK(1)", caseworkers=[cast.alice])
        client = client_for(cast.carol)
        with speaking(cast.carol, "ko"):
            body = csv_bytes(client.get("/board/export.csv", **KOREAN)).decode("utf-8-sig")
        assert "'=HYPERLINK(1)" in body
        assert "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body


@pytest.mark.parametrize(
    "url, limit",
    [
        ("/board/", BOARD_QUERIES),
        ("/board/export.csv", EXPORT_QUERIES),
        ("/board/export.xlsx", EXPORT_QUERIES),
        ("/board/summary.txt", SUMMARY_QUERIES),
    ],
)
def test_korean_costs_no_more_queries(
    cast, client_for, speaking, django_assert_max_num_queries, url, limit
):
    people(31, cast.alice)
    client = client_for(cast.carol)
    with speaking(cast.carol, "ko"), django_assert_max_num_queries(limit):
        response = client.get(url, **KOREAN)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200


def test_the_documented_header_mapping_is_the_catalogues(korean_catalogue):
    """docs/exports.md maps every stable key to its Korean header, as exports write it."""
    from django.conf import settings

    from casework.board.exports import export_header

    doc = (settings.BASE_DIR / "docs" / "exports.md").read_text()
    table = dict(re.findall(r"^\| ([^|]+?) \| ([^|]+?) \|$", doc, re.MULTILINE)[1:])
    keys = PSEUDONYMOUS_COLUMNS + IDENTITY_COLUMNS
    assert list(table) == keys
    with translation.override("ko"):
        assert export_header(identities=True) == [table[key] for key in keys]
    with translation.override("en"):
        assert export_header(identities=True) == keys
