"""Synthetic appeal letters for the cases ``seed_synthetic`` writes, at scale.

About one letter for every two people (500,000 for a million), in the shape real work
leaves: a third of people and of groups are written about, one to three letters each, to
the directory's recipients in their preferred language; old letters were answered or
closed without an answer, recent ones are still drafts, approved or awaiting a reply.
Each letter's lifecycle is one the services allow (approved after it was written, sent
after approval, answered after sending, never in the future; a follow-up two weeks
after sending), checked by ``tests/casework_dev/synthetic/test_letters.py``.

Why around ``letter_generate``: it renders the document through the sandbox and attaches
PDF and DOCX files, a tenth of a second a letter. Here each template and recipient's
document is rendered once by the same service for a model case of the seed, then given
each letter's own references and its case's pseudonym or group name, and sealed with the
field-encryption keys as a real letter is; its date line is the day of the seeding; a
group letter keeps the members it speaks of, as ``letter_generate`` does. No
history rows and no files are written; no letter names a person (no consent on record
allows it), and none is about a restricted case.
"""

import datetime
import json
import random
from collections.abc import Iterator
from typing import NamedTuple

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from casework.accounts.enums import Role
from casework.cases.bulk import rows_insert
from casework.cases.encryption import encrypt
from casework.cases.models import (
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    Group,
    GroupMembership,
    Person,
)
from casework.letters.context import case_facts
from casework.letters.enums import (
    FOLLOW_UP_AFTER_DAYS,
    CaseKind,
    Channel,
    LetterStatus,
    Response,
)
from casework.letters.models import Letter, LetterTemplate, Recipient
from casework.letters.services import letter_document_render
from casework_dev.synthetic.cases import Seeded, columns_check, synthetic_accounts

LETTER_COLUMNS = (
    "id",
    "reference",
    "template_id",
    "language",
    "person_id",
    "group_id",
    "recipient_id",
    "legal_bases",
    "additional_facts",
    "deadline",
    "names_person",
    "document_sealed",
    "batch_id",
    "status",
    "created_by_id",
    "created_at",
    "approved_by_id",
    "approved_at",
    "sent_on",
    "channel",
    "response",
    "response_on",
    "response_note",
    "follow_up_on",
)
COPY_COLUMNS = ("id", "letter_id", "recipient_id")
_Copy = Letter.copies_to.through
MEMBER_COLUMNS = ("id", "letter_id", "person_id")
_Member = Letter.members.through

# Share of people and of groups written about, and how many letters each then gets.
WRITTEN_ABOUT = 0.34
LETTERS_EACH = ((1, 60), (2, 30), (3, 10))
# One letter in five is copied to a second recipient.
COPIED = 0.2
# By the letter's age in days: what became of it.
STATUSES_BY_AGE = (
    (3, ((LetterStatus.DRAFT, 60), (LetterStatus.APPROVED, 40))),
    (
        45,
        (
            (LetterStatus.DRAFT, 5),
            (LetterStatus.APPROVED, 5),
            (LetterStatus.SENT, 60),
            (LetterStatus.RESPONSE_RECEIVED, 30),
        ),
    ),
    (
        None,
        (
            (LetterStatus.DRAFT, 2),
            (LetterStatus.SENT, 3),
            (LetterStatus.RESPONSE_RECEIVED, 55),
            (LetterStatus.NO_RESPONSE, 40),
        ),
    ),
)
ANSWERS = [r for r in Response.values if r != Response.NONE]
# People read per batch: bounds the memory of a million-person seed.
BATCH = 20_000
# Stands for the letter's own reference while a model document is rendered.
MODEL_REFERENCE = "L-" + REFERENCE_ALPHABET[0] * REFERENCE_LENGTH


def letters_seed(seeded: Seeded) -> dict[str, int]:
    """Letters for the people and groups just seeded; returns what was written."""
    for model, columns in (
        (Letter, LETTER_COLUMNS),
        (_Copy, COPY_COLUMNS),
        (_Member, MEMBER_COLUMNS),
    ):
        columns_check(model, columns, where=__name__.replace(".", "/") + ".py")
    templates = list(LetterTemplate.objects.filter(active=True))
    recipients = list(Recipient.objects.active().order_by("pk"))
    if not templates or not recipients or not seeded.persons:
        return {"letters": 0}
    writer = _LetterWriter(seeded, templates, recipients)
    for cases in _cases(seeded):
        writer.write(cases)
    _sequences_reset()
    return {"letters": writer.letters}


class _Case(NamedTuple):
    """What a letter says of its case."""

    pk: int
    is_group: bool
    name: str  # the pseudonym, or the group's name
    reference: str
    opened: datetime.date | None
    members: tuple[int, ...] = ()  # a group's members, whom its letters are written from


def _cases(seeded: Seeded) -> Iterator[list[_Case]]:
    """The seeded people, then groups, a batch at a time: what a letter names of them.

    Restricted cases are left out, and groups holding one: only their assigned
    caseworkers may write about them, and caseworkers do not write letters."""
    for model, ids, is_group, name in (
        (Person, seeded.persons, False, "pseudonym"),
        (Group, seeded.groups, True, "name"),
    ):
        for start in range(ids.start, ids.stop, BATCH):
            batch = model.objects.filter(pk__gte=start, pk__lt=min(start + BATCH, ids.stop))
            if is_group:
                batch = batch.exclude(memberships__person__restricted=True)
            else:
                batch = batch.filter(restricted=False)
            rows = list(batch.order_by("pk").values_list("pk", name, "reference", "created_at"))
            members: dict[int, list[int]] = {}
            if is_group:
                memberships = GroupMembership.objects.filter(group_id__in=[row[0] for row in rows])
                for group_id, person_id in memberships.order_by("pk").values_list(
                    "group_id", "person_id"
                ):
                    members.setdefault(group_id, []).append(person_id)
            yield [
                _Case(
                    pk,
                    is_group,
                    text,
                    ref,
                    timezone.localtime(at).date(),
                    tuple(members.get(pk, ())),
                )
                for pk, text, ref, at in rows
            ]


class _LetterWriter:
    """Draws letters from the seed's random generator (same seed, same letters) and
    writes them a batch of cases at a time. Its advocates write them and one synthetic
    coordinator approves them (both roles the services require)."""

    def __init__(self, seeded: Seeded, templates, recipients) -> None:
        self.rng = seeded.rng
        self.until = seeded.until
        self.recipients = recipients
        self.by_language = {}
        for template in templates:
            self.by_language.setdefault(template.language, []).append(template)
        self.references = set(Letter.objects.values_list("reference", flat=True))
        self.next_letter = (Letter.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        self.next_copy = (_Copy.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        self.next_member = (_Member.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        self.writers = synthetic_accounts(
            Role.ADVOCATE, "synthetic-advocate", max(2, len(seeded.persons) // 50_000)
        )
        self.approver = synthetic_accounts(Role.COORDINATOR, "synthetic-coordinator", 1)[0]
        self.models = {
            False: _model_case(Person, seeded.persons),
            True: _model_case(Group, seeded.groups),
        }
        self.documents: dict[tuple[int, int, bool], tuple[str, _Case]] = {}
        self.letters = 0

    def write(self, cases: list[_Case]) -> None:
        letters, copies, members = [], [], []
        counts, weights = zip(*LETTERS_EACH, strict=True)
        for case in cases:
            if self.rng.random() >= WRITTEN_ABOUT or self.models[case.is_group] is None:
                continue
            k = self.rng.choices(counts, weights)[0]
            span = max(0, (self.until - case.opened).days)
            for created in sorted(
                case.opened + datetime.timedelta(self.rng.randint(0, span)) for _ in range(k)
            ):
                letter_id = self.next_letter
                self.next_letter += 1
                recipient = self.rng.choice(self.recipients)
                letters.append(self._letter(letter_id, case, recipient, created))
                for person_id in case.members:
                    members.append((self.next_member, letter_id, person_id))
                    self.next_member += 1
                if self.rng.random() < COPIED:
                    copied = self.rng.choice(self.recipients)
                    if copied.pk != recipient.pk:
                        copies.append((self.next_copy, letter_id, copied.pk))
                        self.next_copy += 1
        with transaction.atomic():
            rows_insert(Letter, LETTER_COLUMNS, letters)
            rows_insert(_Copy, COPY_COLUMNS, copies)
            rows_insert(_Member, MEMBER_COLUMNS, members)
        self.letters += len(letters)

    def _letter(self, pk: int, case: _Case, recipient: Recipient, created: datetime.date) -> tuple:
        rng = self.rng
        template = self._template(recipient, case.is_group)
        reference = self._reference()
        age = (self.until - created).days
        status = _pick(rng, next(s for limit, s in STATUSES_BY_AGE if limit is None or age < limit))
        approved_at = sent_on = channel = response_on = follow_up_on = None
        response = ""
        if status != LetterStatus.DRAFT:
            approved_on = created + datetime.timedelta(rng.randint(0, min(2, age)))
            approved_at = self._moment(approved_on, afternoon=True)
        if status in (LetterStatus.SENT, LetterStatus.RESPONSE_RECEIVED, LetterStatus.NO_RESPONSE):
            days_left = (self.until - approved_on).days
            sent_on = approved_on + datetime.timedelta(rng.randint(0, min(3, days_left)))
            channel = rng.choice(Channel.values)
            follow_up_on = sent_on + datetime.timedelta(FOLLOW_UP_AFTER_DAYS)
            if status == LetterStatus.RESPONSE_RECEIVED and sent_on >= self.until:
                status = LetterStatus.SENT  # no day left for an answer
        if status == LetterStatus.RESPONSE_RECEIVED:
            response = rng.choice(ANSWERS)
            days_left = (self.until - sent_on).days
            response_on = sent_on + datetime.timedelta(rng.randint(1, min(60, days_left)))
            follow_up_on = None
        elif status == LetterStatus.NO_RESPONSE:
            response = Response.NONE
        document = self._document(template, recipient, case, reference)
        return (
            pk,
            reference,
            template.pk,
            template.language,
            None if case.is_group else case.pk,
            case.pk if case.is_group else None,
            recipient.pk,
            json.dumps(template.default_legal_bases),
            "",
            None,
            False,
            encrypt(document),
            None,
            status,
            rng.choice(self.writers),
            self._moment(created),
            None if approved_at is None else self.approver,
            approved_at,
            sent_on,
            channel or "",
            response,
            response_on,
            "",
            follow_up_on,
        )

    def _template(self, recipient: Recipient, is_group: bool) -> LetterTemplate:
        """A template for this kind of case, in the recipient's language where one is."""
        kinds = (CaseKind.GROUP if is_group else CaseKind.PERSON, CaseKind.ANY)
        for language in (recipient.language, "en"):
            fitting = [t for t in self.by_language.get(language, []) if t.case_kind in kinds]
            if fitting:
                return self.rng.choice(fitting)
        return self.rng.choice([t for ts in self.by_language.values() for t in ts])

    def _document(self, template, recipient, case: _Case, reference: str) -> str:
        """The model case's document for this template and recipient, made this letter's."""
        key = (template.pk, recipient.pk, case.is_group)
        if key not in self.documents:
            model = self.models[case.is_group]
            facts = case_facts(**{"group" if case.is_group else "person": model})
            document, _ = letter_document_render(
                facts=facts,
                template=template,
                recipient=recipient,
                copies_to=[],
                user=None,
                legal_bases=template.default_legal_bases,
                deadline=None,
                additional_facts="",
                letter_reference=MODEL_REFERENCE,
            )
            name = model.name if case.is_group else model.pseudonym
            model_case = _Case(model.pk, case.is_group, name, model.reference, None)
            self.documents[key] = (json.dumps(document, ensure_ascii=False), model_case)
        text, model_case = self.documents[key]
        return (
            text.replace(MODEL_REFERENCE, reference)
            .replace(model_case.reference, case.reference)
            .replace(model_case.name, case.name)
        )

    def _reference(self) -> str:
        choice = self.rng.choice
        while True:
            ref = "L-" + "".join(choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
            if ref not in self.references and ref != MODEL_REFERENCE:
                self.references.add(ref)
                return ref

    def _moment(self, day: datetime.date, *, afternoon: bool = False):
        """A time of that working day, as the database takes it; an approval comes in
        the afternoon, so never before a letter written that morning."""
        hour = self.rng.randint(13, 18) if afternoon else self.rng.randint(8, 12)
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
        moment = min(moment, timezone.now())
        return connection.ops.adapt_datetimefield_value(moment)


def _pick(rng: random.Random, weighted) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _model_case(model, ids: range):
    """The first of the seeded cases that letters may be written about."""
    cases = model.objects.filter(pk__gte=ids.start, pk__lt=ids.stop)
    if model is Group:
        cases = cases.exclude(memberships__person__restricted=True)
    else:
        cases = cases.filter(restricted=False)
    return cases.order_by("pk").first() if ids else None


def _sequences_reset() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Letter, _Copy, _Member]):
                cursor.execute(sql)
            for model in (Letter, _Copy, _Member):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
