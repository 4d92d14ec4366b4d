"""Every demo template renders for a demo-like group and person, in English, Korean and
Chinese, as PDF, DOCX and plain text, with the same paragraphs everywhere."""

import pytest
from django.utils.html import escape

from casework.cases.enums import Status
from casework.letters import rendering
from casework.letters.enums import Format
from casework.letters.models import LetterTemplate
from casework.letters.services import letter_generate
from casework_dev.bench.letters import sample_document
from tests.factories import record
from tests.letters.conftest import (
    SOURCE_IDENTITY,
    build_baby,
    build_trafficked_person,
    build_yanji_group,
    days,
)
from tests.letters.files import docx_paragraphs, pdf_fonts, pdf_text

DEMO_SLUGS = [
    "group-imminent-return",
    "trafficking-victim",
    "child-born-in-detention",
    "follow-up-no-response",
]
# A phrase of each template's subject or first ask, per language, that must survive
# the trip through the PDF (fonts embedded, text extractable).
SUBJECT_WORDS = {
    ("group-imminent-return", "en"): "North Koreans at imminent risk of forced return",
    ("group-imminent-return", "ko"): "강제송환 위기에 처한 북한 주민 5명",
    ("group-imminent-return", "zh"): "5名朝鲜人面临被强制遣返的危险",
    ("trafficking-victim", "en"): "a North Korean victim of trafficking",
    ("trafficking-victim", "ko"): "인신매매 피해자",
    ("trafficking-victim", "zh"): "人口贩运受害者",
    ("child-born-in-detention", "en"): "North Korean",
    ("child-born-in-detention", "ko"): "북한",
    ("child-born-in-detention", "zh"): "朝鲜",
    ("follow-up-no-response", "en"): "still at risk of forced return",
    ("follow-up-no-response", "ko"): "여전히 강제송환 위기에 처한",
    ("follow-up-no-response", "zh"): "仍面临被强制遣返的危险",
}


def in_order(haystack: str, needles: list[str]) -> bool:
    """Each needle is found after the previous one."""
    position = 0
    for needle in needles:
        found = haystack.find(needle, position)
        if found < 0:
            return False
        position = found + len(needle)
    return True


def cases_for(slug, yanji, magnolia, baby):
    kind = LetterTemplate.objects.filter(slug=slug).values_list("case_kind", flat=True).first()
    return {
        "group": [{"group": yanji.group}],
        "person": [{"person": magnolia}],
        "any": [{"group": yanji.group}, {"person": baby}],
    }[kind]


def test_the_four_demo_templates_exist_in_three_languages(db):
    found = set(LetterTemplate.objects.values_list("slug", "language"))
    assert found == {(slug, lang) for slug in DEMO_SLUGS for lang in ("en", "ko", "zh")}


@pytest.mark.parametrize("language", ["en", "ko", "zh"])
@pytest.mark.parametrize("slug", DEMO_SLUGS)
def test_a_demo_template_renders_in_every_format_with_the_same_paragraphs(
    cast, minister, copies, slug, language
):
    yanji = build_yanji_group()
    magnolia = build_trafficked_person()
    baby = build_baby()
    for case in cases_for(slug, yanji, magnolia, baby):
        letter = letter_generate(
            user=cast.dana, template_slug=slug, language=language, recipient=minister,
            copies_to=copies, **case,
        )  # fmt: skip
        paragraphs = rendering.document_paragraphs(letter.document)
        files = {f.format: f.content() for f in letter.files.all()}
        assert set(files) == set(Format.values)

        # DOCX: the same paragraphs, in the same order.
        assert docx_paragraphs(files["docx"]) == paragraphs
        # Plain text: every paragraph, in order.
        text = files["txt"].decode("utf-8")
        assert in_order(text, paragraphs)
        # Preview: every paragraph, escaped, in order.
        html = rendering.document_html(letter.document)
        assert in_order(html, [escape(p) for p in paragraphs])
        # PDF: the language's own script comes out of the PDF as text.
        extracted = pdf_text(files["pdf"], layout=True)
        assert SUBJECT_WORDS[(slug, language)] in extracted
        assert letter.reference in extracted
        # No blank placeholder, no source, no legal name (the advocate may not reveal).
        assert "{{" not in text and "{%" not in text
        for content in (text, html, extracted, "\n".join(docx_paragraphs(files["docx"]))):
            assert SOURCE_IDENTITY not in content
            assert "Choe Legal-Name" not in content


def test_the_group_letter_gives_numbers_and_composition_in_each_language(cast, yanji, minister):
    texts = {
        lang: rendering.document_text(
            letter_generate(
                user=cast.dana, template_slug="group-imminent-return", language=lang,
                recipient=minister, group=yanji.group,
            ).document
        )
        for lang in ("en", "ko", "zh")
    }  # fmt: skip
    assert "5 people from North Korea (3 women, 1 man and 1 child)" in texts["en"]
    assert "a child, an elderly person and a pregnant woman" in texts["en"]
    assert "Jilin" in texts["en"] and "Yanji detention centre" in texts["en"]
    assert "5명(여성 3명, 남성 1명, 아동 1명)" in texts["ko"]
    assert "지린성 연길 구류소" in texts["ko"]
    assert "5名朝鲜人（女性3人、男性1人、儿童1人）" in texts["zh"]
    assert "吉林省延吉看守所" in texts["zh"]
    for member in yanji.members:
        assert member.pseudonym not in texts["en"]


def test_the_deadline_comes_from_the_planned_return_date(cast, yanji, minister):
    letter = letter_generate(
        user=cast.dana, template_slug="group-imminent-return", language="en",
        recipient=minister, group=yanji.group,
    )  # fmt: skip
    assert letter.deadline == yanji.planned_on
    planned = f"{yanji.planned_on.day} {yanji.planned_on:%B %Y}"
    assert letter.document["deadline_line"] == f"Please act before: {planned}"
    assert f"as early as {planned}" in rendering.document_text(letter.document)


def test_a_planned_date_already_past_sets_no_deadline(cast, minister):
    person = build_trafficked_person()
    record(person, Status.AT_RISK_OF_RETURN, days(-5), planned_on=days(-1))
    letter = letter_generate(
        user=cast.dana, template_slug="trafficking-victim", language="en",
        recipient=minister, person=person,
    )  # fmt: skip
    assert letter.deadline is None
    assert letter.document["deadline_line"] == ""
    planned = days(-1)
    assert f"planned for {planned.day} {planned:%B %Y}" in rendering.document_text(letter.document)


def test_the_copies_are_listed_in_the_recipients_language(cast, yanji, minister, copies):
    letter = letter_generate(
        user=cast.dana, template_slug="group-imminent-return", language="zh",
        recipient=minister, copies_to=copies, group=yanji.group,
    )  # fmt: skip
    assert letter.document["recipient"][:2] == ["公安部部长", "中华人民共和国公安部"]
    assert letter.document["salutation"] == "尊敬的部长："
    assert letter.document["copies"] == [
        "外交部部长, 中华人民共和国外交部",
        "联合国难民事务高级专员, 联合国难民署",
    ]


@pytest.mark.parametrize(
    ("language", "fonts"),
    [
        ("en", {"Noto-Sans", "Noto-Sans-Bold"}),
        ("ko", {"NanumGothic", "NanumGothic-Bold"}),
        # Chinese: text in a Song face, bold in a Hei face, Latin and digits in Noto.
        (
            "zh",
            {"AR-PL-UMing-CN-Light", "WenQuanYi-Micro-Hei-Bold", "Noto-Serif", "Noto-Sans-Bold"},
        ),
    ],
)
def test_a_letter_embeds_its_own_languages_font_and_no_other(language, fonts):
    # Subsetting each embedded font is the slowest step of a letter: an English letter
    # takes the small Latin font, and page numbers come in the letter's own font.
    assert pdf_fonts(rendering.document_pdf(sample_document(language))) == fonts


def test_a_chinese_character_the_song_face_lacks_still_prints():
    # A name may hold a character outside AR PL UMing CN (叕 is one): it is set in Noto
    # Sans CJK SC rather than lost as an empty box.
    document = sample_document("zh") | {"recipient": ["金叕先生", "中华人民共和国公安部"]}
    content = rendering.document_pdf(document)
    assert "金叕先生" in pdf_text(content)
    assert "Noto-Sans-CJK-SC" in pdf_fonts(content)
