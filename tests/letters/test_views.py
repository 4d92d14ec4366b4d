"""The letters pages seen from outside: who may see, write and download what."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django.utils.formats import date_format

from casework.accounts.enums import AccessAction
from casework.accounts.models import AccessLogEntry
from casework.letters.enums import BatchStatus, LetterStatus
from casework.letters.models import Letter, LetterBatch, Recipient
from casework.letters.services import letter_generate
from casework.letters.tasks import letter_batch_generate
from tests.factories import GroupFactory, PersonFactory
from tests.letters.conftest import build_trafficked_person, build_yanji_group
from tests.letters.files import pdf_text


def write(user, recipient, formats=("txt",), **case):
    return letter_generate(
        user=user, template_slug="follow-up-no-response", language="en",
        recipient=recipient, formats=formats, **case,
    )  # fmt: skip


def test_an_advocate_writes_a_group_letter_with_copies_from_the_form(
    cast, client_for, yanji, minister, copies
):
    client = client_for(cast.dana)
    page = client.get(f"/letters/new?case={yanji.group.reference}")
    assert page.status_code == 200
    assert page.context["form"].initial["deadline"] == yanji.planned_on
    response = client.post(
        f"/letters/new?case={yanji.group.reference}",
        {
            "template": "group-imminent-return",
            "language": "",  # the recipient's own: Chinese for the ministry
            "recipient": minister.pk,
            "copies_to": [r.pk for r in copies],
            "deadline": yanji.planned_on.isoformat(),
        },
    )
    letter = Letter.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/letters/{letter.reference}/"
    assert (letter.language, letter.group, letter.status) == ("zh", yanji.group, "draft")
    assert list(letter.copies_to.order_by("title")) == copies
    assert sorted(letter.files.values_list("format", flat=True)) == ["docx", "pdf", "txt"]
    page = client.get(f"/letters/{letter.reference}/").content.decode()
    assert "紧急：5名朝鲜人面临被强制遣返的危险" in page
    download = client.get(f"/letters/{letter.reference}/download.pdf")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (f'attachment; filename="{letter.reference}-zh.pdf"')
    assert "5名朝鲜人" in pdf_text(download.content)


def test_bad_input_is_explained_and_nothing_is_written(cast, client_for, yanji, minister):
    response = client_for(cast.dana).post(
        f"/letters/new?case={yanji.group.reference}",
        {"template": "trafficking-victim", "language": "en", "recipient": minister.pk},
    )
    assert response.status_code == 200
    # The trafficking letter is written for one person; the group form does not offer it.
    assert (
        "trafficking-victim is not one of the available choices"
        in (response.context["form"].errors["template"][0])
    )
    assert Letter.objects.count() == 0


def test_outsiders_get_404_and_roles_without_letters_get_403(cast, client_for, minister):
    restricted = build_trafficked_person(restricted=True, caseworkers=[cast.alice])
    # Alice is assigned but has no right to write letters.
    assert (
        client_for(cast.alice).get(f"/letters/new?case={restricted.reference}").status_code == 403
    )
    # Everyone else does not see the restricted case at all.
    for user in (cast.dana, cast.carol, cast.oscar):
        assert client_for(user).get(f"/letters/new?case={restricted.reference}").status_code == 404
    assert client_for(cast.dana).get("/letters/new?case=P-NOSUCH").status_code == 404


def test_a_group_holding_someone_elses_restricted_case_is_refused(cast, client_for, minister):
    yanji = build_yanji_group()
    hidden = PersonFactory(restricted=True, caseworkers=[cast.alice])
    yanji.group.memberships.create(person=hidden)
    response = client_for(cast.dana).get(f"/letters/new?case={yanji.group.reference}")
    assert response.status_code == 403


def test_a_letter_is_as_visible_as_its_case(cast, client_for, minister):
    mine = PersonFactory(caseworkers=[cast.alice])
    letter = write(cast.dana, minister, person=mine)
    assert client_for(cast.alice).get(f"/letters/{letter.reference}/").status_code == 200
    assert client_for(cast.oscar).get(f"/letters/{letter.reference}/").status_code == 404
    assert (
        client_for(cast.oscar).get(f"/letters/{letter.reference}/download.txt").status_code == 404
    )
    assert [row.reference for row in client_for(cast.oscar).get("/letters/").context["page"]] == []
    # A caseworker reads letters but does not move them.
    response = client_for(cast.alice).post(f"/letters/{letter.reference}/approve")
    assert response.status_code == 403


def test_a_coordinator_approves_and_an_advocate_marks_sent_through_the_pages(
    cast, client_for, yanji, minister
):
    letter = write(cast.dana, minister, group=yanji.group)
    today = timezone.localdate()
    client = client_for(cast.dana)
    response = client.post(
        f"/letters/{letter.reference}/sent", {"sent_on": today, "channel": "fax"}, follow=True
    )
    assert "A letter that is &#x27;draft&#x27; cannot become &#x27;sent&#x27;." in (
        response.content.decode()
    )
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT

    client_for(cast.carol).post(f"/letters/{letter.reference}/approve")
    client = client_for(cast.dana)
    response = client.post(f"/letters/{letter.reference}/sent", {"channel": "fax"}, follow=True)
    assert "sent_on: This field is required." in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == LetterStatus.APPROVED

    response = client.post(
        f"/letters/{letter.reference}/sent", {"sent_on": today, "channel": "fax"}, follow=True
    )
    letter.refresh_from_db()
    assert (letter.status, letter.sent_on, letter.channel) == (LetterStatus.SENT, today, "fax")
    follow_up = yanji.planned_on - datetime.timedelta(days=1)
    assert f"follow up on {date_format(follow_up, 'DATE_FORMAT')}" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 30])
def test_the_letter_list_runs_a_bounded_number_of_queries(
    cast, client_for, minister, django_assert_max_num_queries, rows
):
    for n in range(rows):
        # Letters on groups and on people: each row shows its case's reference.
        case = {"group": GroupFactory(people=[PersonFactory()])} if n % 2 else {}
        write(cast.dana, minister, formats=(), **(case or {"person": PersonFactory()}))
    client = client_for(cast.dana)
    with django_assert_max_num_queries(9):
        response = client.get("/letters/")
    assert len(response.context["page"].object_list) == rows
    references = {letter.case.reference for letter in response.context["page"].object_list}
    assert all(reference in response.content.decode() for reference in references)


def test_bulk_generation_writes_one_letter_per_recipient_and_reports_progress(
    cast, client_for, yanji, django_capture_on_commit_callbacks
):
    recipients = list(Recipient.objects.filter(country="CN").order_by("pk")[:5]) + list(
        Recipient.objects.filter(country="UN").order_by("pk")[:5]
    )
    client = client_for(cast.dana)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(
            f"/letters/new?case={yanji.group.reference}",
            {
                "template": "group-imminent-return",
                "language": "",
                "recipient": recipients[0].pk,
                "copies_to": [r.pk for r in recipients[1:]],
                "one_per_recipient": "on",
            },
        )
    batch = LetterBatch.objects.get()
    assert response["Location"] == f"/letters/batches/{batch.pk}/"
    assert len(queued) == 1
    progress = client.get(f"/letters/batches/{batch.pk}/progress").content.decode()
    assert "0 of 10" in progress and 'hx-trigger="load delay:1s"' in progress

    letter_batch_generate(batch_id=batch.pk)  # what the worker runs
    letter_batch_generate(batch_id=batch.pk)  # a second delivery changes nothing
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.total) == (BatchStatus.DONE, 10, 10)
    letters = Letter.objects.filter(batch=batch)
    assert sorted(letters.values_list("recipient_id", flat=True)) == sorted(
        r.pk for r in recipients
    )
    # Each letter in its recipient's preferred language.
    assert all(letter.language == letter.recipient.language for letter in letters)
    assert {letter.language for letter in letters} == {"zh", "en", "ko"}
    assert all(letter.files.count() == 3 for letter in letters)
    progress = client.get(f"/letters/batches/{batch.pk}/progress").content.decode()
    assert "10 of 10" in progress and "hx-trigger" not in progress
    assert progress.count("/letters/L-") == 10
    assert client_for(cast.oscar).get(f"/letters/batches/{batch.pk}/").status_code == 404


def test_render_letter_writes_the_file_through_the_same_code(cast, yanji, minister, tmp_path):
    out = tmp_path / "letter.pdf"
    call_command(
        "render_letter", "--template", "group-imminent-return", "--case", yanji.group.reference,
        "--recipient", str(minister.pk), "--lang", "ko", "--format", "pdf", "-o", str(out),
    )  # fmt: skip
    assert "긴급: 강제송환 위기에 처한 북한 주민 5명" in pdf_text(out.read_bytes())
    assert Letter.objects.count() == 0
    entry = AccessLogEntry.objects.get(action=AccessAction.GENERATED_LETTER)
    assert (entry.user, entry.reference) == (None, yanji.group.reference)


def test_render_letter_as_a_user_follows_their_access(cast, minister, tmp_path):
    restricted = build_trafficked_person(restricted=True, caseworkers=[cast.alice])
    out = tmp_path / "letter.txt"

    def render(template="trafficking-victim", *extra):
        call_command(
            "render_letter", "--template", template, "--case", restricted.reference,
            "--recipient", str(minister.pk), "--lang", "en", "--format", "txt",
            "-o", str(out), *extra,
        )  # fmt: skip

    with pytest.raises(CommandError, match=f"dana may not write on {restricted.reference}"):
        render("trafficking-victim", "--user", "dana")
    with pytest.raises(CommandError, match="No active template 'nope' in language 'en'"):
        render("nope")
    assert not out.exists()
    render()
    assert "Protection for Magnolia" in out.read_text()


def test_the_group_page_lists_its_letters(cast, client_for, yanji, minister):
    from casework.letters import services

    letter = services.letter_generate(
        user=cast.dana, template_slug="group-imminent-return", language="en",
        recipient=minister, group=yanji.group, formats=(),
    )  # fmt: skip

    page = client_for(cast.carol).get(f"/cases/{yanji.group.reference}/").content.decode()
    outsider_page = client_for(cast.carol).get(f"/cases/{yanji.members[0].reference}/")

    assert letter.reference in page
    assert letter.reference not in outsider_page.content.decode()
