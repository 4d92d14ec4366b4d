"""The case pages, the quick update, the admin and the files page for a Korean reader.

Each test reads a page as a user whose language is Korean and finds the Korean words of
docs/glossary.md, and none of the English ones it replaces. Facility names are shown in
Korean script (``Facility.name_ko``) and provinces in Korean (지린성)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from casework.cases.enums import DatePrecision, Status
from casework.cases.models import Facility, date_with_precision
from casework.cases.places import province_display
from casework.cases.selectors import facility_for_name
from casework.documents.services import document_upload
from tests.factories import FacilityFactory, GroupFactory, PersonFactory, record


@pytest.fixture
def korean(cast):
    """Every cast member reads Korean, and the test's requests are answered in it."""
    for user in vars(cast).values():
        user.language = "ko"
        user.save(update_fields=["language"])
    with translation.override("ko"):
        yield


@pytest.fixture
def tumen(db) -> Facility:
    return FacilityFactory(
        name_en="Tumen Border Defence Detention Centre",
        name_ko="투먼 변방구류소",
        name_zh="图们边防拘留所",
        city="Tumen",
        province="Jilin",
        border_point=True,
    )


def page(client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def absent(content: str, *english: str) -> None:
    found = [text for text in english if text in content]
    assert not found, f"English left on a Korean page: {found}"


def test_a_korean_person_page_reads_in_korean_with_the_facility_in_korean_script(
    cast, korean, tumen, client_for
):
    azalea = PersonFactory(pseudonym="Azalea", caseworkers=[cast.alice])
    record(azalea, Status.DETAINED, datetime.date(2017, 6, 2), facility=tumen)

    content = page(client_for(cast.alice), reverse("cases:detail", args=[azalea.reference]))

    for korean_words in (
        "현재",
        "마지막 소식",
        "구금 경과 기록",
        "구금 중",
        "신원 정보와 가족",
        "무슨 일이 있었습니까?",
        "국경·송환 지점",
        "투먼 변방구류소",
        "지린성",
        "2017년 6월 2일",
    ):
        assert korean_words in content, korean_words
    absent(
        content,
        "Last heard",
        "Custody timeline",
        "Identity and family",
        "What happened?",
        "border point",
        "Tumen Border Defence Detention Centre",
        "Jilin",
        "Detained",
        "Record</button>",
    )


def test_a_korean_group_page_counts_its_members_in_korean(cast, korean, tumen, client_for):
    azalea = PersonFactory(pseudonym="Azalea", caseworkers=[cast.alice])
    begonia = PersonFactory(pseudonym="Begonia", caseworkers=[cast.alice])
    group = GroupFactory(name="Tumen group of two", people=[azalea, begonia])
    record(None, Status.DETAINED, datetime.date(2017, 6, 2), group=group, facility=tumen)

    content = page(client_for(cast.alice), reverse("cases:detail", args=[group.reference]))

    for korean_words in (
        "구금 중 2명",
        "구성원 2명",
        "공동 경과 기록",
        "2명 중 2명",
        "투먼 변방구류소, 지린성",
        "구성원 (선택하지 않으면 전원)",
    ):
        assert korean_words in content, korean_words
    absent(content, "2 detained", "2 members", "Shared timeline", "Members", "2 of 2", "Jilin")


def test_the_korean_case_list_and_its_empty_search(cast, korean, tumen, client_for):
    azalea = PersonFactory(pseudonym="Azalea", caseworkers=[cast.alice])
    record(azalea, Status.AT_RISK_OF_RETURN, datetime.date(2017, 6, 2), facility=tumen)
    client = client_for(cast.alice)

    content = page(client, reverse("cases:list"))
    for korean_words in ("내 사례", "참조번호 또는 가명", "마지막 소식", "강제송환 위기", "지린성"):
        assert korean_words in content, korean_words
    absent(content, "My cases", "Last heard", "Vulnerabilities", "At risk of return", "at risk<")

    content = page(client, reverse("cases:list"), q="Zinnia")
    assert "볼 수 있는 사례 가운데 “Zinnia”에 맞는 사례가 없습니다." in content
    absent(content, "No case you may see")


def test_the_quick_update_refuses_in_korean(cast, korean, client_for):
    azalea = PersonFactory(pseudonym="Azalea", caseworkers=[cast.alice])
    client = client_for(cast.alice)

    response = client.post(
        reverse("cases:update", args=[azalea.reference]),
        {
            "version": azalea.version,
            "status": Status.RETURNED,
            "occurred_on": "2017-06-02",
            "date_precision": DatePrecision.DAY,
            "confidence": "reported",
            "facility": "Nowhere Detention Centre",
        },
    )
    content = response.content.decode()

    assert response.status_code == 400
    assert "강제송환은 그것을 알린 제보자를 밝혀야 합니다." in content
    assert "알 수 없는 구금 시설 “Nowhere Detention Centre”입니다." in content
    absent(content, "A return must name the source", "Unknown facility")


def test_a_facility_picked_as_a_korean_reader_sees_it_is_found(cast, korean, tumen, client_for):
    azalea = PersonFactory(pseudonym="Azalea", caseworkers=[cast.alice])
    record(azalea, Status.DETAINED, datetime.date(2017, 6, 1))
    shown = str(tumen)
    assert shown == "투먼 변방구류소, 지린성"
    assert facility_for_name(shown) == tumen

    response = client_for(cast.alice).post(
        reverse("cases:update", args=[azalea.reference]),
        {
            "version": type(azalea).objects.get(pk=azalea.pk).version,
            "status": Status.TRANSFERRED,
            "occurred_on": "2017-06-02",
            "date_precision": DatePrecision.DAY,
            "confidence": "reported",
            "facility": shown,
        },
    )

    assert response.status_code == 302
    assert azalea.custody_events.timeline().last().facility == tumen


@pytest.mark.parametrize(
    ("precision", "english", "korean"),
    [
        (DatePrecision.DAY, "2 Jun 2017", "2017년 6월 2일"),
        (DatePrecision.MONTH, "June 2017", "2017년 6월"),
        (DatePrecision.APPROXIMATE, "around June 2017", "2017년 6월경"),
        (DatePrecision.YEAR, "2017", "2017년"),
    ],
)
def test_a_precise_date_follows_the_language(precision, english, korean, settings):
    day = datetime.date(2017, 6, 2)
    with translation.override("ko"):
        assert date_with_precision(day, precision) == korean
    with translation.override("en"):
        if precision == DatePrecision.DAY:
            # English DATE_FORMAT is the core area's ("j M Y"); read whatever it is.
            from django.utils.formats import date_format

            english = date_format(day, "DATE_FORMAT")
        assert date_with_precision(day, precision) == english


def test_the_korean_timeline_dates_each_event_in_korean(cast, korean, client_for):
    azalea = PersonFactory(pseudonym="Azalea", caseworkers=[cast.alice])
    record(azalea, Status.DETAINED, datetime.date(2017, 3, 1), date_precision="month", place="X")
    record(azalea, Status.AT_LARGE, datetime.date(2017, 6, 1), date_precision="approximate")

    content = page(client_for(cast.alice), reverse("cases:detail", args=[azalea.reference]))

    assert "2017년 3월" in content and "2017년 6월경" in content
    absent(content, "March 2017", "around June 2017", "place unknown", "by alice on")


def test_provinces_and_facility_names_have_their_korean_and_fall_back_to_english(korean):
    assert province_display("Jilin") == "지린성"
    assert province_display("Liaoning") == "랴오닝성"
    assert province_display("Yunnan") == "윈난성"
    assert province_display("Atlantis") == "Atlantis"
    unnamed = Facility(name_en="Hunchun Detention Centre", province="Jilin")
    assert unnamed.display_name == "Hunchun Detention Centre"
    assert str(unnamed) == "Hunchun Detention Centre, 지린성"
    with translation.override("en"):
        assert str(unnamed) == "Hunchun Detention Centre, Jilin"


def test_the_korean_admin_person_list_and_change_form(cast, korean, tumen, client_for):
    azalea = PersonFactory(pseudonym="Azalea", caseworkers=[cast.alice])
    record(azalea, Status.DETAINED, datetime.date(2017, 6, 2), facility=tumen)
    client = client_for(cast.carol)

    content = page(client, reverse("admin:cases_person_changelist"))
    for korean_words in (
        "현재 상태",
        "현재 성(省)",
        "마지막 소식",
        "취약성",
        "구금 중",
        "투먼 변방구류소 ⚠ 국경",
        "2017년 6월 2일",
        "선택한 대상자의 구금 경과 기록",
    ):
        assert korean_words in content, korean_words
    absent(
        content,
        "current province",
        "last heard",
        "Record an event for the selected people",
        "⚠ border",
    )

    change_url = reverse("admin:cases_person_change", args=[azalea.pk])
    content = page(client, change_url)
    for korean_words in ("가명", "후속 조치 및 접근", "출생 연도", "구금 경과"):
        assert korean_words in content, korean_words
    absent(content, "Follow-up and access", "Pseudonym:", "Birth year")


def test_the_korean_files_page(cast, korean, client_for):
    azalea = PersonFactory(pseudonym="Azalea")
    upload = SimpleUploadedFile(
        "scan.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
    )
    document_upload(person=azalea, uploaded_by=cast.carol, file=upload)

    content = page(client_for(cast.carol), reverse("documents:list", args=[azalea.reference]))

    for korean_words in ("Azalea의 파일", "종류", "문서", "내려받기", "파일 추가", "올리기"):
        assert korean_words in content, korean_words
    absent(content, "Files of", "Download", "Add a file", "Upload</button>", ">Document<")


def test_the_kept_quick_update_fields_are_kept_per_language(cast, client_for):
    """The empty quick update's fields are drawn once and kept: an English reader's copy
    is not what a Korean reader then gets."""
    azalea = PersonFactory(pseudonym="Azalea", caseworkers=[cast.alice])
    client = client_for(cast.alice)
    url = reverse("cases:detail", args=[azalea.reference])
    with translation.override("en"):
        assert "Where (facility)" in page(client, url)

    cast.alice.language = "ko"
    cast.alice.save(update_fields=["language"])
    with translation.override("ko"):
        content = page(client, url)

    assert "어디서 (구금 시설)" in content
    absent(content, "Where (facility)", "What happened")
