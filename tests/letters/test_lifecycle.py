"""draft → approved (by a coordinator) → sent → response received / no response; the
service refuses every other move and sets the follow-up date."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casework.letters import services
from casework.letters.enums import Channel, LetterStatus, Response
from casework.letters.models import Letter

TODAY = timezone.localdate


@pytest.fixture
def draft(cast, yanji, minister) -> Letter:
    return services.letter_generate(
        user=cast.dana, template_slug="group-imminent-return", language="en",
        recipient=minister, group=yanji.group, formats=(),
    )  # fmt: skip


def send(letter, by, **kwargs):
    kwargs.setdefault("sent_on", TODAY())
    kwargs.setdefault("channel", Channel.FAX)
    return services.letter_mark_sent(letter=letter, by=by, **kwargs)


def test_sent_before_approved_is_refused(cast, draft):
    with pytest.raises(ValidationError) as caught:
        send(draft, cast.dana)
    assert caught.value.message_dict == {
        "status": ["A letter that is 'draft' cannot become 'sent'."]
    }
    draft.refresh_from_db()
    assert (draft.status, draft.sent_on, draft.follow_up_on) == (LetterStatus.DRAFT, None, None)


def test_only_a_coordinator_approves(cast, draft):
    with pytest.raises(PermissionDenied):
        services.letter_approve(letter=draft, by=cast.dana)
    services.letter_approve(letter=draft, by=cast.carol)
    assert (draft.status, draft.approved_by) == (LetterStatus.APPROVED, cast.carol)


def test_a_response_before_sending_and_a_second_approval_are_refused(cast, draft):
    with pytest.raises(ValidationError):
        services.letter_record_response(
            letter=draft, by=cast.dana, response=Response.TOKEN, response_on=TODAY()
        )
    services.letter_approve(letter=draft, by=cast.carol)
    with pytest.raises(ValidationError):
        services.letter_approve(letter=draft, by=cast.carol)
    with pytest.raises(ValidationError):
        services.letter_mark_no_response(letter=draft, by=cast.dana)


def test_the_follow_up_falls_the_day_before_the_planned_return(cast, draft, yanji):
    services.letter_approve(letter=draft, by=cast.carol)
    send(draft, cast.dana)
    assert draft.status == LetterStatus.SENT
    assert draft.follow_up_on == yanji.planned_on - datetime.timedelta(days=1)


def test_without_a_deadline_the_follow_up_falls_two_weeks_later(cast, draft):
    Letter.objects.filter(pk=draft.pk).update(deadline=None)
    draft.refresh_from_db()
    services.letter_approve(letter=draft, by=cast.carol)
    send(draft, cast.dana, sent_on=TODAY() - datetime.timedelta(days=1))
    assert draft.follow_up_on == TODAY() + datetime.timedelta(days=13)


def test_a_sending_in_the_future_is_refused_and_nothing_changes(cast, draft):
    services.letter_approve(letter=draft, by=cast.carol)
    with pytest.raises(ValidationError) as caught:
        send(draft, cast.dana, sent_on=TODAY() + datetime.timedelta(days=1))
    assert list(caught.value.message_dict) == ["sent_on"]
    draft.refresh_from_db()
    assert draft.status == LetterStatus.APPROVED


def test_a_response_closes_the_letter_and_a_late_answer_follows_no_response(cast, draft):
    services.letter_approve(letter=draft, by=cast.carol)
    send(draft, cast.dana)
    services.letter_mark_no_response(letter=draft, by=cast.dana)
    assert (draft.status, draft.response) == (LetterStatus.NO_RESPONSE, Response.NONE)
    # The follow-up letter is still due on the follow-up date.
    assert list(Letter.objects.follow_up_due(today=draft.follow_up_on)) == [draft]
    assert list(Letter.objects.follow_up_due(today=TODAY())) == []
    services.letter_record_response(
        letter=draft, by=cast.dana, response=Response.MORE_INFORMATION, response_on=TODAY()
    )
    assert (draft.status, draft.response) == (
        LetterStatus.RESPONSE_RECEIVED,
        Response.MORE_INFORMATION,
    )
    with pytest.raises(ValidationError):
        send(draft, cast.dana)
    reasons = list(
        draft.history.order_by("history_date").values_list("history_change_reason", flat=True)
    )
    assert reasons == [
        "written by dana",
        "approved by carol",
        "marked sent by dana",
        "no response by dana",
        "response recorded by dana",
    ]


def test_letters_sent_without_response_for_n_days(cast, yanji, minister):
    def sent_days_ago(n):
        letter = services.letter_generate(
            user=cast.dana, template_slug="group-imminent-return", language="en",
            recipient=minister, group=yanji.group, formats=(),
        )  # fmt: skip
        services.letter_approve(letter=letter, by=cast.carol)
        send(letter, cast.dana, sent_on=TODAY() - datetime.timedelta(days=n))
        return letter

    old, recent = sent_days_ago(10), sent_days_ago(3)
    answered = sent_days_ago(20)
    services.letter_record_response(
        letter=answered, by=cast.dana, response=Response.TOKEN, response_on=TODAY()
    )
    assert list(Letter.objects.awaiting_response(days=7)) == [old]
    assert set(Letter.objects.awaiting_response(days=3)) == {old, recent}


def test_a_letter_without_response_for_30_days_reminds_the_case_caseworkers(cast, draft, yanji):
    from casework.reminders.enums import RuleKind
    from casework.reminders.models import Reminder
    from casework.reminders.services import reminders_sweep

    for member in yanji.members:
        member.assigned_caseworkers.add(cast.alice)
    services.letter_approve(letter=draft, by=cast.carol)
    send(draft, cast.dana, sent_on=TODAY() - datetime.timedelta(days=31))

    reminders_sweep()
    reminders_sweep()

    reminders = Reminder.objects.filter(rule__kind=RuleKind.LETTER_UNANSWERED)
    assert reminders.count() == len(yanji.members)
    assert set(reminders.values_list("recipient", flat=True)) == {cast.alice.pk}
    assert set(reminders.values_list("due_key", flat=True)) == {f"letter:{draft.reference}"}


def test_an_answered_letter_reminds_nobody(cast, draft, yanji):
    from casework.reminders.enums import RuleKind
    from casework.reminders.models import Reminder
    from casework.reminders.services import reminders_sweep

    services.letter_approve(letter=draft, by=cast.carol)
    send(draft, cast.dana, sent_on=TODAY() - datetime.timedelta(days=31))
    services.letter_record_response(
        letter=draft, by=cast.dana, response=Response.TOKEN, response_on=TODAY()
    )

    reminders_sweep()

    assert not Reminder.objects.filter(rule__kind=RuleKind.LETTER_UNANSWERED).exists()
