"""Writes to letters. The views, the admin, the command and the tasks call these.

``letter_generate`` is the one way a letter comes into being; ``_letter_move`` is the one
place its status changes, called by ``letter_approve``, ``letter_mark_sent``,
``letter_record_response`` and ``letter_mark_no_response``.
"""

import datetime
import json
import logging
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from casework.accounts import roles
from casework.accounts.enums import AccessAction
from casework.accounts.models import User
from casework.accounts.services import access_log_record
from casework.cases.models import Group, Person
from casework.letters import rendering, sandbox
from casework.letters.context import case_facts, deadline_default, letter_context
from casework.letters.enums import (
    FOLLOW_UP_AFTER_DAYS,
    BatchStatus,
    CaseKind,
    Channel,
    Format,
    LegalBasis,
    LetterStatus,
    Response,
)
from casework.letters.models import (
    BATCH_QUEUE_UNREACHABLE,
    Letter,
    LetterBatch,
    LetterFile,
    LetterTemplate,
    Recipient,
)
from casework.letters.permissions import letter_write_check

logger = logging.getLogger(__name__)

# The default directory and templates, as data (the data migration keeps its own copy).
DEFAULTS_DIR = Path(settings.BASE_DIR) / "fixtures"

# The lifecycle: which status may follow which.
TRANSITIONS: dict[str, set[str]] = {
    LetterStatus.DRAFT: {LetterStatus.APPROVED},
    LetterStatus.APPROVED: {LetterStatus.SENT},
    LetterStatus.SENT: {LetterStatus.RESPONSE_RECEIVED, LetterStatus.NO_RESPONSE},
    LetterStatus.NO_RESPONSE: {LetterStatus.RESPONSE_RECEIVED},
    LetterStatus.RESPONSE_RECEIVED: set(),
}


# Each lifecycle step's change reason, as the history stores it ("approved by carol",
# in English) and as ``change_reason_display`` shows it, in the reader's language.
CHANGE_REASONS = {
    "written": pgettext_lazy("letter history", "written by %(user)s"),
    "approved": pgettext_lazy("letter history", "approved by %(user)s"),
    "marked sent": pgettext_lazy("letter history", "marked sent by %(user)s"),
    "response recorded": pgettext_lazy("letter history", "response recorded by %(user)s"),
    "no response": pgettext_lazy("letter history", "no response by %(user)s"),
}


def change_reason_display(reason: str) -> str:
    """A stored change reason in the reader's language; one this does not know, as is."""
    step, by, user = (reason or "").rpartition(" by ")
    if by and step in CHANGE_REASONS:
        return CHANGE_REASONS[step] % {"user": user}
    return reason


def letter_template_for(*, slug: str, language: str) -> LetterTemplate:
    try:
        return LetterTemplate.objects.get(slug=slug, language=language, active=True)
    except LetterTemplate.DoesNotExist as exc:
        raise ValidationError(
            {
                "template": _("No active template '%(slug)s' in language '%(language)s'.")
                % {"slug": slug, "language": language}
            }
        ) from exc


def _case_kind_check(template: LetterTemplate, *, person, group) -> None:
    if template.case_kind == CaseKind.GROUP and group is None:
        raise ValidationError({"template": _("This template is written for a group.")})
    if template.case_kind == CaseKind.PERSON and person is None:
        raise ValidationError({"template": _("This template is written for one person.")})


def _legal_bases_check(legal_bases: list[str]) -> list[str]:
    unknown = [b for b in legal_bases if b not in LegalBasis.values]
    if unknown:
        raise ValidationError(
            {"legal_bases": _("Unknown legal basis: %(bases)s.") % {"bases": ", ".join(unknown)}}
        )
    return list(dict.fromkeys(legal_bases))


def letter_files_attach(*, letter: Letter, formats=tuple(Format.values)) -> list[LetterFile]:
    """(Re)render the letter's files from its stored document and attach them."""
    files = []
    for file_format in formats:
        content = rendering.document_file(letter.document, file_format)
        LetterFile.objects.filter(letter=letter, format=file_format).delete()
        item = LetterFile(letter=letter, format=file_format)
        item.file.save(
            f"{letter.reference}-{letter.language}.{file_format}.sealed",
            ContentFile(LetterFile.seal(content)),
        )
        files.append(item)
    return files


def letter_document_render(
    *,
    facts,
    template: LetterTemplate,
    recipient: Recipient,
    copies_to: list[Recipient],
    user: User | None,
    legal_bases: list[str],
    deadline: datetime.date | None,
    additional_facts: str,
    letter_reference: str,
) -> tuple[dict, bool]:
    """The letter's document and whether it names a person; writes nothing.

    Shared by ``letter_generate`` and the ``render_letter`` command. Written in the
    template's language whatever the interface language of the user who asked.
    """
    with translation.override(rendering.DJANGO_LANGUAGE[template.language]):
        context, named = letter_context(
            facts=facts,
            recipient=recipient,
            language=template.language,
            user=user,
            legal_bases=legal_bases,
            deadline=deadline,
            additional_facts=additional_facts,
        )
        document = rendering.document_build(
            template=template,
            context=context,
            recipient=recipient,
            copies_to=copies_to,
            letter_reference=letter_reference,
        )
    return document, named


@transaction.atomic
def letter_generate(
    *,
    user: User,
    template_slug: str,
    language: str,
    recipient: Recipient,
    person: Person | None = None,
    group: Group | None = None,
    copies_to: list[Recipient] | None = None,
    legal_bases: list[str] | None = None,
    additional_facts: str = "",
    deadline: datetime.date | None = None,
    batch: LetterBatch | None = None,
    formats=tuple(Format.values),
    facts=None,
) -> Letter:
    """Write a draft letter on a person or a group to one recipient (plus copies).

    Steps: check the user may write on this case (404/403); pick the template of that
    slug and language; gather the case's plain facts (``facts`` may be passed in to
    share them across a batch); the deadline defaults to the planned transfer or return
    date; render the document through the sandbox; save the draft; attach the files;
    log the generation (reference and template only, never a name).
    """
    if (person is None) == (group is None):
        raise ValidationError(_("A letter is about one person or one group."))
    letter_write_check(user, person=person, group=group)
    template = letter_template_for(slug=template_slug, language=language)
    _case_kind_check(template, person=person, group=group)
    copies_to = [r for r in (copies_to or []) if r.pk != recipient.pk]
    legal_bases = _legal_bases_check(
        template.default_legal_bases if legal_bases is None else legal_bases
    )
    facts = facts or case_facts(person=person, group=group)
    if deadline is None:
        deadline = deadline_default(facts)
    letter = Letter(
        template=template,
        language=language,
        person=person,
        group=group,
        recipient=recipient,
        legal_bases=legal_bases,
        additional_facts=additional_facts.strip(),
        deadline=deadline,
        batch=batch,
        created_by=user,
    )
    letter._change_reason = f"written by {user.username}"
    letter.save()  # draws the reference the document prints
    letter.copies_to.set(copies_to)
    if facts.is_group:
        # Whom the letter is written from: each must be visible to whoever reads it.
        letter.members.set(facts.persons)
    letter.document, letter.names_person = letter_document_render(
        facts=facts,
        template=template,
        recipient=recipient,
        copies_to=copies_to,
        user=user,
        legal_bases=legal_bases,
        deadline=deadline,
        additional_facts=additional_facts,
        letter_reference=letter.reference,
    )
    # An update, not a save: the history keeps one row for the writing of the draft.
    Letter.objects.filter(pk=letter.pk).update(
        document_sealed=letter.document_sealed, names_person=letter.names_person
    )
    letter_files_attach(letter=letter, formats=formats)
    access_log_record(
        user=user,
        action=AccessAction.GENERATED_LETTER,
        reference=facts.reference,
        detail=f"{letter.reference} {template.slug}/{language} to recipient {recipient.pk}"
        + (" (names the person)" if letter.names_person else ""),
    )
    return letter


def _letter_move(letter: Letter, to: str, *, by: User, reason: str, **fields) -> Letter:
    """The only writer of ``Letter.status``: refuses a move the lifecycle does not allow."""
    current = Letter.objects.select_for_update().get(pk=letter.pk)
    if to not in TRANSITIONS[current.status]:
        raise ValidationError(
            {
                "status": _("A letter that is '%(current)s' cannot become '%(next)s'.")
                % {
                    "current": current.get_status_display().lower(),
                    "next": LetterStatus(to).label.lower(),
                }
            }
        )
    current.status = to
    for name, value in fields.items():
        setattr(current, name, value)
    current._change_reason = f"{reason} by {by.username}"
    current.save()
    letter.refresh_from_db()
    return letter


@transaction.atomic
def letter_approve(*, letter: Letter, by: User) -> Letter:
    """A coordinator approves a draft; only an approved letter may be sent."""
    if not by.has_perm(roles.APPROVE_LETTER):
        raise PermissionDenied(_("Only a coordinator may approve letters."))
    return _letter_move(
        letter, LetterStatus.APPROVED, by=by, reason="approved",
        approved_by=by, approved_at=timezone.now(),
    )  # fmt: skip


@transaction.atomic
def letter_mark_sent(
    *,
    letter: Letter,
    by: User,
    sent_on: datetime.date,
    channel: str,
    follow_up_on: datetime.date | None = None,
) -> Letter:
    """Record the sending. The follow-up falls ``FOLLOW_UP_AFTER_DAYS`` later, or the
    day before the deadline when that comes sooner, unless the user chose a date."""
    errors = {}
    if channel not in Channel.values:
        errors["channel"] = _("Choose how the letter was sent.")
    if sent_on is None:
        errors["sent_on"] = _("Say when the letter was sent.")
    elif sent_on > timezone.localdate():
        errors["sent_on"] = _("The letter cannot have been sent in the future.")
    if follow_up_on is not None and sent_on is not None and follow_up_on < sent_on:
        errors["follow_up_on"] = _("The follow-up cannot come before the sending.")
    if errors:
        raise ValidationError(errors)
    if follow_up_on is None:
        follow_up_on = sent_on + datetime.timedelta(days=FOLLOW_UP_AFTER_DAYS)
        if letter.deadline and sent_on < letter.deadline - datetime.timedelta(days=1):
            follow_up_on = min(follow_up_on, letter.deadline - datetime.timedelta(days=1))
    return _letter_move(
        letter, LetterStatus.SENT, by=by, reason="marked sent",
        sent_on=sent_on, channel=channel, follow_up_on=follow_up_on,
    )  # fmt: skip


@transaction.atomic
def letter_record_response(
    *,
    letter: Letter,
    by: User,
    response: str,
    response_on: datetime.date,
    note: str = "",
    follow_up_on: datetime.date | None = None,
) -> Letter:
    errors = {}
    if response not in Response.values:
        errors["response"] = _("Choose what the response was.")
    if response_on is None:
        errors["response_on"] = _("Say when the response came.")
    elif letter.sent_on and response_on < letter.sent_on:
        errors["response_on"] = _("A response cannot come before the letter was sent.")
    elif response_on > timezone.localdate():
        errors["response_on"] = _("The response date lies in the future.")
    if errors:
        raise ValidationError(errors)
    return _letter_move(
        letter, LetterStatus.RESPONSE_RECEIVED, by=by, reason="response recorded",
        response=response, response_on=response_on, response_note=note.strip(),
        follow_up_on=follow_up_on,
    )  # fmt: skip


@transaction.atomic
def letter_mark_no_response(*, letter: Letter, by: User, follow_up_on=None) -> Letter:
    """Close the wait: nothing came back. A late answer can still be recorded. The
    follow-up date stays (or moves to ``follow_up_on``): a follow-up letter is due."""
    return _letter_move(
        letter, LetterStatus.NO_RESPONSE, by=by, reason="no response",
        response=Response.NONE, follow_up_on=follow_up_on or letter.follow_up_on,
    )  # fmt: skip


@transaction.atomic
def letter_batch_create(
    *,
    user: User,
    template_slug: str,
    language: str,
    recipients: list[Recipient],
    person: Person | None = None,
    group: Group | None = None,
    legal_bases: list[str] | None = None,
    additional_facts: str = "",
    deadline: datetime.date | None = None,
) -> LetterBatch:
    """Queue one letter per recipient; the task reports progress on the batch row."""
    if (person is None) == (group is None):
        raise ValidationError(_("A letter is about one person or one group."))
    letter_write_check(user, person=person, group=group)
    if not recipients:
        raise ValidationError({"recipients": _("Choose at least one recipient.")})
    for needed in sorted({language or r.language for r in recipients}):
        template = letter_template_for(slug=template_slug, language=needed)
        _case_kind_check(template, person=person, group=group)
    if not recipients:
        raise ValidationError({"recipients": _("Choose at least one recipient.")})
    batch = LetterBatch.objects.create(
        template_slug=template_slug,
        language=language,
        person=person,
        group=group,
        legal_bases=_legal_bases_check(
            template.default_legal_bases if legal_bases is None else legal_bases
        ),
        additional_facts=additional_facts,
        deadline=deadline,
        created_by=user,
        total=len(recipients),
    )
    batch.recipients.set(recipients)

    def enqueue():
        from casework.letters.tasks import letter_batch_generate

        try:
            letter_batch_generate.delay(batch_id=batch.pk)
        except Exception:  # the broker is down: say so on the batch instead of a 500
            logger.warning("Could not queue letter batch %s", batch.pk, exc_info=True)
            LetterBatch.objects.filter(pk=batch.pk).update(
                status=BatchStatus.FAILED, error=BATCH_QUEUE_UNREACHABLE
            )

    transaction.on_commit(enqueue)
    return batch


def letter_batch_run(*, batch_id: int) -> None:
    """Generate the batch's missing letters, one transaction each; safe to run twice."""
    batch = (
        LetterBatch.objects.select_related("created_by", "person", "group")
        .filter(pk=batch_id)
        .first()
    )
    if batch is None or batch.status == BatchStatus.DONE:
        return
    LetterBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING)
    done_for = set(batch.letters.values_list("recipient_id", flat=True))
    try:
        facts = case_facts(person=batch.person, group=batch.group)
        for recipient in batch.recipients.order_by("pk"):
            if recipient.pk in done_for:
                continue
            letter_generate(
                user=batch.created_by,
                template_slug=batch.template_slug,
                language=batch.language or recipient.language,
                recipient=recipient,
                person=batch.person,
                group=batch.group,
                legal_bases=batch.legal_bases,
                additional_facts=batch.additional_facts,
                deadline=batch.deadline,
                batch=batch,
                facts=facts,
            )
            LetterBatch.objects.filter(pk=batch.pk).update(done=F("done") + 1)
    except Exception as exc:
        # The message names the kind of failure only: it is shown to the user.
        LetterBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.FAILED, error=f"{type(exc).__name__}"[:300]
        )
        raise
    LetterBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.DONE, done=batch.letters.count()
    )


def letter_template_check(template: LetterTemplate) -> None:
    """Raise ``ValidationError`` by section when a template may not be rendered."""
    sandbox.template_check(template.sections())
    _legal_bases_check(template.default_legal_bases or [])


def _defaults(name: str) -> list[dict]:
    return json.loads((DEFAULTS_DIR / name).read_text(encoding="utf-8"))


def recipients_seed_demo() -> int:
    """Load the default recipient directory (public institutions, never private persons)
    of fixtures/letter_recipients.json, keyed by title and institution; returns how many."""
    rows = _defaults("letter_recipients.json")
    for row in rows:
        key = {"title": row["title"], "institution": row["institution"]}
        Recipient.objects.update_or_create(**key, defaults=row)
    return len(rows)


def letter_templates_seed_demo() -> int:
    """Load the default appeal templates of fixtures/letter_templates.json, keyed by slug
    and language; returns how many."""
    rows = _defaults("letter_templates.json")
    for row in rows:
        key = {"slug": row["slug"], "language": row["language"]}
        LetterTemplate.objects.update_or_create(**key, defaults=row)
    return len(rows)
