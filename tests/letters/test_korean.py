"""The letter pages in Korean, the letters in their own language.

A Korean user reads the list, the form (and its errors), a letter's page and a batch's
progress in Korean; the letter itself stays in the language it was written in — English,
Korean or Chinese — whoever reads or writes it.
"""

import re

import pytest
from django.conf import settings as django_settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from casework.letters import rendering, wording
from casework.letters.enums import BatchStatus, Language
from casework.letters.models import Letter, LetterBatch, LetterTemplate
from casework.letters.services import letter_generate
from tests.letters.conftest import build_trafficked_person

HANGUL = re.compile("[가-힣]")
CATALOGUE = django_settings.BASE_DIR / "locale" / "ko" / "LC_MESSAGES" / "django.mo"


@pytest.fixture
def korean(settings):
    """Korean for the whole test: the account's language (which the middleware reads) and
    the active language (for the code that runs outside a request)."""
    settings.LOCALE_PATHS = [django_settings.BASE_DIR / "locale"]
    assert CATALOGUE.exists(), "compile the catalogue first: manage.py compilemessages -l ko"
    with translation.override("ko"):
        yield


def in_korean(user):
    user.language = "ko"
    user.save(update_fields=["language"])
    return user


def main(response) -> str:
    """The page's own part (the header and menu belong to another area)."""
    html = response.content.decode()
    messages = re.search(r'<ul class="messages".*?</ul>', html, re.S)
    content = re.search(r'<main id="main">(.*)</main>', html, re.S).group(1)
    return (messages.group(0) if messages else "") + content


def article(html: str) -> str:
    """The letter as the preview shows it."""
    return re.search(r'<article class="letter-document.*?</article>', html, re.S).group(0)


def write(user, recipient, language, **case):
    return letter_generate(
        user=user, template_slug="group-imminent-return", language=language,
        recipient=recipient, formats=("txt",), **case,
    )  # fmt: skip


def test_the_letters_list_is_in_korean(korean, cast, client_for, yanji, minister):
    write(cast.dana, minister, "zh", group=yanji.group)
    page = main(client_for(in_korean(cast.dana)).get("/letters/"))
    for word in (
        "서한", "상태", "전체", "필터", "수신인", "사례", "후속 조치", "초안", "중국어",
    ):  # fmt: skip
        assert word in page, word
    for word in (">Letters<", ">Status<", ">Any<", ">Filter<", ">To<", "Follow up", ">Draft<"):
        assert word not in page, word
    assert ">Chinese<" not in page
    # The stored status is unchanged: only its label is translated.
    assert 'value="draft"' in page


def test_the_new_letter_form_is_in_korean_and_keeps_its_values(
    korean, cast, client_for, yanji, minister
):
    response = client_for(in_korean(cast.dana)).get(f"/letters/new?case={yanji.group.reference}")
    page = main(response)
    for word in (
        f"{yanji.group.reference} 관련 새 서한", "서한 언어", "수신인이 선호하는 언어",
        "사본 수신인", "법적 근거", "고문방지협약 제3조", "조치 요청 기한", "추가 사실",
        "수신인마다 서한을 따로 작성", "초안 작성", "취소", "이름 대신 인원수와 구성만",
    ):  # fmt: skip
        assert word in page, word
    # The letter language's labels are translated; its values are the same codes.
    for value, label in (("en", "영어"), ("ko", "한국어"), ("zh", "중국어")):
        assert f'<option value="{value}">{label}</option>' in page
    # Each letter by its Korean title, as the Korean template calls it.
    assert "강제송환 위기에 처한 그룹" in page
    for word in (
        "New letter", "Copies to", "Write the draft", "Cancel", ">English<", ">Korean<",
        ">Chinese<", "Convention against Torture", "The recipient&#x27;s preferred language",
        "Please act before", "Group at imminent risk of forced return",
    ):  # fmt: skip
        assert word not in page, word


def test_the_new_letter_forms_errors_are_in_korean(korean, cast, client_for, yanji, minister):
    LetterTemplate.objects.filter(slug="group-imminent-return", language="zh").update(active=False)
    client = client_for(in_korean(cast.dana))
    url = f"/letters/new?case={yanji.group.reference}"
    page = main(client.post(url, {"template": "group-imminent-return", "language": "zh"}))
    assert "필수 항목입니다." in page  # no recipient chosen: Django's own catalogue
    assert "This field is required." not in page
    page = main(
        client.post(
            url,
            {"template": "group-imminent-return", "language": "zh", "recipient": minister.pk},
        )
    )
    assert "이 서한에는 중국어 버전이 없습니다." in page
    assert "This letter has no" not in page and "Chinese" not in page
    assert Letter.objects.count() == 0


def test_a_letters_page_is_in_korean_and_the_letter_in_its_own_language(
    korean, cast, client_for, yanji, minister
):
    chinese = write(cast.dana, minister, "zh", group=yanji.group)
    english = write(cast.dana, minister, "en", group=yanji.group)
    client = client_for(in_korean(cast.dana))

    page = main(client.get(f"/letters/{english.reference}/"))
    letter = article(page)
    around = page.replace(letter, "")
    for word in (
        f"서한 {english.reference}", "기본 정보", "수신인", "조치 요청 기한", "실명 기재",
        "아니요", "다음 단계", "코디네이터의 승인을 기다리고 있습니다.", "내려받기",
        "일반 텍스트", "변경 기록", "초안", "영어",
    ):  # fmt: skip
        assert word in around, word
    for word in (
        "Facts", "Next step", "Download", "History", "Plain text", "Waiting for a coordinator",
        "Names the person", "Please act before", ">Draft<", "(English)", "written by",
    ):  # fmt: skip
        assert word not in around, word
    assert "dana 작성" in around  # the history's step, stored in English
    assert "Subject: " in letter and "Please act before: " in letter
    assert not HANGUL.search(letter), "the English letter took Korean words"

    page = main(client.get(f"/letters/{chinese.reference}/"))
    assert "중국어" in page and "Chinese" not in page
    letter = article(page)
    assert "紧急：5名朝鲜人面临被强制遣返的危险" in letter and "事由" in letter
    assert not HANGUL.search(letter), "the Chinese letter took Korean words"


def test_a_letter_written_by_a_korean_user_stays_in_its_language(
    korean, cast, client_for, yanji, minister
):
    client = client_for(in_korean(cast.dana))
    for language in ("en", "zh"):
        response = client.post(
            f"/letters/new?case={yanji.group.reference}",
            {"template": "group-imminent-return", "language": language, "recipient": minister.pk},
        )
        assert response.status_code == 302
    english, chinese = Letter.objects.order_by("pk")
    assert "초안을 작성했습니다" in main(client.get(english.get_absolute_url()))
    english_text = rendering.document_text(english.document)
    chinese_text = rendering.document_text(chinese.document)
    assert "Subject: " in english_text and "5 people" in english_text
    assert "at risk of return" in english_text  # the status, in the letter's own words
    assert "事由：" in chinese_text and "5名朝鲜人" in chinese_text
    assert not HANGUL.search(english_text) and not HANGUL.search(chinese_text)


def test_a_letters_words_do_not_follow_the_interface_language(korean):
    assert translation.get_language() == "ko"
    assert wording.status_words("at_risk_of_return", "en") == "at risk of return"
    assert wording.status_words("detained", "zh") == "被拘留"
    assert wording.LABELS["en"]["subject"] == "Subject"


def test_the_lifecycle_messages_are_in_korean(korean, cast, client_for, yanji, minister):
    letter = write(cast.dana, minister, "en", group=yanji.group)
    dana = client_for(in_korean(cast.dana))
    today = timezone.localdate()
    page = main(
        dana.post(f"/letters/{letter.reference}/sent", {"sent_on": today, "channel": "fax"},
                  follow=True)
    )  # fmt: skip
    assert "'초안' 상태의 서한은 '발송됨' 상태가 될 수 없습니다." in page.replace("&#x27;", "'")
    assert "cannot become" not in page

    carol = client_for(in_korean(cast.carol))
    page = main(carol.post(f"/letters/{letter.reference}/approve", follow=True))
    assert f"{letter.reference} 서한을 승인했습니다." in page
    for word in ("발송일", "발송 방법", "후속 조치일", "팩스", "발송됨으로 표시", "승인자"):
        assert word in page, word
    assert "Mark sent" not in page and "Sent on" not in page and ">Fax<" not in page

    dana = client_for(cast.dana)
    page = main(
        dana.post(f"/letters/{letter.reference}/sent", {"sent_on": today, "channel": "fax"},
                  follow=True)
    )  # fmt: skip
    letter.refresh_from_db()
    follow_up = letter.follow_up_on
    assert f"후속 조치일: {follow_up.year}년 {follow_up.month}월 {follow_up.day}일" in page
    assert f"{today.year}년 {today.month}월 {today.day}일, 팩스" in page
    for word in ("회신 기록", "회신 없음으로 처리", "회신일", "긍정적", "형식적 회신"):
        assert word in page, word
    assert "marked sent" not in page and "Record the response" not in page


def test_the_batch_page_is_in_korean(korean, cast, client_for, yanji):
    batch = LetterBatch.objects.create(
        template_slug="group-imminent-return", group=yanji.group, created_by=cast.dana,
        total=3, done=1, status=BatchStatus.RUNNING,
    )  # fmt: skip
    client = client_for(in_korean(cast.dana))
    page = main(client.get(f"/letters/batches/{batch.pk}/"))
    assert f"{yanji.group.reference} 관련 서한 3통 작성 중" in page
    assert "3통 중 1통" in page and "진행 중" in page
    for word in ("Writing", "1 of 3", "Running"):
        assert word not in page, word

    LetterBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.FAILED, error="The task queue could not be reached"
    )
    page = client.get(f"/letters/batches/{batch.pk}/progress").content.decode()
    assert "중단됨: 작업 대기열에 연결할 수 없었습니다." in page and "실패" in page
    assert "Stopped" not in page and "task queue" not in page and "Failed" not in page
    # Stored in English, whatever the reader's language.
    assert LetterBatch.objects.get(pk=batch.pk).error == "The task queue could not be reached"


def test_the_case_pages_letters_are_in_korean(korean, cast, yanji, minister):
    letter = write(cast.dana, minister, "ko", group=yanji.group)
    html = render_to_string(
        "letters/_case_letters.html", {"letters": [letter], "case": yanji.group}
    )
    assert "서한" in html and "수신인 공안부 부장" in html and "초안" in html
    assert "Letters" not in html and " to " not in html and "No letters yet" not in html


def test_the_recipient_directory_in_the_admin_is_in_korean(korean, cast, client_for, minister):
    page = client_for(in_korean(cast.erin)).get(f"/admin/letters/recipient/{minister.pk}/change/")
    html = page.content.decode()
    for word in (
        "직위 또는 직함(영어)", "인사말(중국어)", "주소", "한국어 및 중국어 표기",
        "공개 범위", "선호 언어", "당국자(비공개 서한)", "사례 유형", "임박한 강제송환",
    ):  # fmt: skip
        assert word in html, word
    for word in ("Salutations", "role or title (English)", "Officials (private letter)",
                 "Kinds of case", "Imminent forced return"):  # fmt: skip
        assert word not in html, word


def test_the_letter_languages_are_named_in_the_interface_language(korean):
    assert [str(label) for label in Language.labels] == ["영어", "한국어", "중국어"]
    assert Language.values == ["en", "ko", "zh"]
    with translation.override("en"):
        assert [str(label) for label in Language.labels] == ["English", "Korean", "Chinese"]


def test_a_korean_readers_letter_list_shows_recipients_in_korean_within_the_same_queries(
    korean, cast, client_for, yanji, minister, django_assert_max_num_queries
):
    """The recipients' Korean names are read with the rows, not once per row."""
    for _ in range(30):
        write(cast.dana, minister, "en", group=yanji.group)
    client = client_for(in_korean(cast.dana))

    with django_assert_max_num_queries(9):
        page = main(client.get("/letters/"))

    assert page.count(minister.title_ko) == 30
    assert minister.title not in page


def test_a_refusal_to_write_a_letter_is_in_korean(korean, cast, client_for, minister):
    restricted = build_trafficked_person(restricted=True, caseworkers=[cast.alice])
    response = client_for(in_korean(cast.alice)).get(f"/letters/new?case={restricted.reference}")
    assert response.status_code == 403
    assert "사용자의 역할로는 서한을 쓸 수 없습니다." in response.content.decode()
