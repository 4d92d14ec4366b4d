"""Reminders in the reader's language: each email in its recipient's (``User.language``,
else the site's default), the inbox in the reader's, and plurals that agree."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format

from casework.cases.enums import Status
from casework.reminders.enums import RuleKind
from casework.reminders.models import Reminder, ReminderRule
from casework.reminders.services import digest_send, reminders_sweep
from tests.factories import FacilityFactory, PersonFactory, record

pytestmark = pytest.mark.django_db

HEARD = datetime.date(2026, 3, 2)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9)), tick=False)


def latin_words(message) -> list[str]:
    """The words in Latin letters left in an email once what is never translated is
    taken out: links, case references and the product's name. A Korean email has none."""
    text = f"{message.subject}\n{message.body}"
    text = re.sub(r"https?://\S+", "", text)
    text = re.sub(r"\b[PG]-[0-9A-Z]+\b", "", text)
    text = text.replace("Casework", "")
    return re.findall(r"[A-Za-z]{2,}", text)


def speaking(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return user


def mail_to(address: str):
    [message] = [m for m in mail.outbox if m.to == [address]]
    return message


@pytest.fixture
def carla(emails):
    """A second coordinator, so that one sweep escalates to a Korean and an English one."""
    second = type(emails.carol).objects.create(username="carla", email="carla@example.org")
    second.groups.add(*emails.carol.groups.all())
    return second


def test_one_sweep_writes_to_each_recipient_in_their_own_language(korean, rules, emails, carla):
    cast = emails
    speaking(cast.alice, "ko")
    speaking(cast.carol, "ko")
    speaking(carla, "en")
    # bob's language is blank: the site's default, English.
    followed = PersonFactory(caseworkers=[cast.alice, cast.bob], follow_up_on=HEARD)
    at_risk = PersonFactory(caseworkers=[cast.alice])
    record(
        at_risk, Status.DETAINED, HEARD, by=cast.alice, facility=FacilityFactory(border_point=True)
    )

    # Whatever language the process happens to be in, each email is in its reader's.
    with at(HEARD), translation.override("ko"):
        reminders_sweep()

    korean_reminder = mail_to("alice@example.org")
    assert korean_reminder.subject == f"[Casework] 후속 조치 예정일 도래: {followed.reference}"
    assert "확인이 필요한 사례가 있습니다." in korean_reminder.body
    assert f"사례 참조번호: {followed.reference}" in korean_reminder.body
    assert "사유: 후속 조치 예정일 도래" in korean_reminder.body
    assert "자세한 내용은 Casework에서 확인하십시오." in korean_reminder.body
    assert latin_words(korean_reminder) == []

    english_reminder = mail_to("bob@example.org")
    assert english_reminder.subject == f"[Casework] Follow-up date reached: {followed.reference}"
    assert "A case needs your attention." in english_reminder.body
    assert "Why: Follow-up date reached" in english_reminder.body

    korean_escalation = mail_to("carol@example.org")
    assert korean_escalation.subject == f"[Casework] 긴급: 강제송환 위기: {at_risk.reference}"
    assert (
        "대상자가 곧 강제송환될 수 있습니다. 지금 바로 조치해 주십시오." in korean_escalation.body
    )
    assert "사유: 강제송환 위기 (긴급 알림)" in korean_escalation.body
    assert f"/cases/{at_risk.reference}/" in korean_escalation.body
    assert latin_words(korean_escalation) == []

    english_escalation = mail_to("carla@example.org")
    assert english_escalation.subject == (
        f"[Casework] URGENT: at risk of return: {at_risk.reference}"
    )
    assert "A person may be sent back soon. Please act now." in english_escalation.body
    assert "Why: At risk of return (escalation)" in english_escalation.body
    # Still references only: nobody's name in any language.
    for message in mail.outbox:
        for person in (followed, at_risk):
            assert person.pseudonym not in message.subject + message.body


def test_the_daily_digest_is_in_each_coordinators_language(korean, rules, emails, carla):
    cast = emails
    speaking(cast.carol, "ko")
    detained, returned = PersonFactory(), PersonFactory()
    day = HEARD + datetime.timedelta(days=20)
    with at(day):
        record(detained, Status.DETAINED, day, by=cast.alice)
        record(returned, Status.RETURNED, day, by=cast.alice)
        assert digest_send() == 2

    korean_digest = mail_to("carol@example.org")
    assert korean_digest.subject == "[Casework] 2026년 3월 22일 일일 요약 알림"
    assert "Casework 최근 24시간 현황 (열람할 수 있는 사례 기준):" in korean_digest.body
    assert "새로 구금된 대상자: 1명" in korean_digest.body
    assert f"강제송환된 대상자: 1명\n  http://127.0.0.1:8000/cases/{returned.reference}/" in (
        korean_digest.body
    )
    assert "긴급 알림: 0건" in korean_digest.body
    assert "내 알림함: http://127.0.0.1:8000/inbox/" in korean_digest.body
    assert latin_words(korean_digest) == []

    english_digest = mail_to("carla@example.org")
    with translation.override("en"):
        named_day = date_format(day, "DATE_FORMAT")
    assert english_digest.subject == f"[Casework] Daily digest {named_day}"
    assert "2026" in named_day and "-" not in named_day
    assert "New detentions: 1" in english_digest.body
    assert "Your inbox: http://127.0.0.1:8000/inbox/" in english_digest.body


def test_a_user_without_a_language_reads_emails_in_the_sites(korean, settings, rules, emails):
    settings.LANGUAGE_CODE = "ko"
    cast = emails
    assert cast.alice.language == ""
    PersonFactory(caseworkers=[cast.alice], follow_up_on=HEARD)
    with at(HEARD):
        reminders_sweep()
    assert "확인이 필요한 사례가 있습니다." in mail_to("alice@example.org").body


def test_a_korean_readers_inbox_is_in_korean(korean, client_for, rules, cast):
    alice = speaking(cast.alice, "ko")
    quiet = PersonFactory(caseworkers=[alice], pseudonym="Plum Blossom")
    record(quiet, Status.DETAINED, HEARD, by=alice)
    followed = PersonFactory(caseworkers=[alice], follow_up_on=HEARD + datetime.timedelta(days=8))
    reminders_sweep(today=HEARD + datetime.timedelta(days=8))
    assert Reminder.objects.filter(recipient=alice).count() == 2

    # The language is the reader's; until the interface's own middleware sets it from
    # ``User.language``, the test sets it as that middleware will.
    ten_march = time_machine.travel(datetime.datetime(2026, 3, 10, 9), tick=False)
    with ten_march, translation.override("ko"):
        html = client_for(alice).get("/inbox/").content.decode()

    assert "<h1>알림함</h1>" in html
    assert f'<a href="/cases/{followed.reference}/">{followed.reference}</a>' in html
    assert "후속 조치 예정일 도래" in html
    # The reason is worded when it is read, not when the sweep wrote the reminder.
    assert "8일째 소식 없음" in html
    raised = timezone.localtime(Reminder.objects.filter(recipient=alice).first().created_at)
    assert f"<td>{raised.year}년 {raised.month}월 {raised.day}일</td>" in html
    assert ">완료</button>" in html
    assert ">미루기</button>" in html
    assert '<option value="1">1일</option>' in html
    assert '<option value="14">14일</option>' in html
    assert 'aria-label="처리 대기 2건"' in html
    for english in (
        "Follow-up date reached",
        "No news for",
        ">Done<",
        ">Snooze<",
        " day<",
        " days<",
        " pending",
        ">Why<",
        ">Raised<",
    ):
        assert english not in html


def test_an_empty_inbox_says_so_in_korean(korean, client_for, cast):
    speaking(cast.bob, "ko")
    with translation.override("ko"):
        html = client_for(cast.bob).get("/inbox/").content.decode()
    assert "처리할 알림이 없습니다." in html
    assert "Nothing is due" not in html


def test_rules_read_as_plurals_agree_in_english(rules):
    stale = rules[(RuleKind.STALE, Status.DETAINED)]
    letter = rules[(RuleKind.LETTER_UNANSWERED, "")]
    with translation.override("en"):
        stale.days, letter.days = 1, 1
        assert str(stale) == "No news for 1 day while detained"
        assert str(letter) == "Letter without response for 1 day"
        stale.days, letter.days = 2, 2
        assert str(stale) == "No news for 2 days while detained"
        assert str(letter) == "Letter without response for 2 days"


def test_rules_read_in_korean(korean, rules):
    letter = rules[(RuleKind.LETTER_UNANSWERED, "")]
    with translation.override("ko"):
        assert str(letter) == f"{letter.days}일째 회신 없는 호소 서한"
        assert str(rules[(RuleKind.PLANNED_DATE, "")]) == "예정된 이송 또는 송환 날짜 도래"
        assert str(ReminderRule(kind=RuleKind.STALE)) == "N일째 소식 없음"


def test_the_snooze_choices_agree_in_english(client_for, rules, cast):
    person = PersonFactory(caseworkers=[cast.alice], follow_up_on=HEARD)
    reminders_sweep(today=HEARD)
    html = client_for(cast.alice).get("/inbox/").content.decode()
    assert person.reference in html
    assert '<option value="1">1 day</option>' in html
    assert '<option value="3">3 days</option>' in html


def test_a_refused_snooze_says_why_in_korean(korean, client_for, rules, cast):
    PersonFactory(caseworkers=[cast.alice], follow_up_on=HEARD)
    reminders_sweep(today=HEARD)
    reminder = Reminder.objects.get(recipient=cast.alice)
    response = client_for(speaking(cast.alice, "ko")).post(
        f"/inbox/{reminder.pk}/snooze", {"days": "2"}
    )
    assert response.status_code == 400
    assert response.content.decode() == "미룰 기간을 선택하십시오: 1, 3, 7, 14일 중 하나."
