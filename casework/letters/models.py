import datetime
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.cases.encryption import EncryptedTextField, decrypt_bytes, encrypt_bytes
from casework.cases.models import Group, Person, ReferencedModel
from casework.letters.enums import (
    Audience,
    BatchStatus,
    CaseKind,
    Channel,
    Format,
    Language,
    LetterStatus,
    RecipientCountry,
    Response,
    Topic,
)


class RecipientQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


def _interface_letter_language() -> str:
    """The letter language matching the reader's interface language ("en" if none)."""
    active = (get_language() or "").lower()
    for language in (Language.KOREAN, Language.CHINESE):
        if active.startswith(language):
            return language
    return Language.ENGLISH


class Recipient(models.Model):
    """An institution or office letters go to — never a private person.

    Titles and salutations are kept per letter language, so an English letter to the
    Ministry of Public Security says "Dear Minister" and a Chinese one "尊敬的部长".
    """

    title = models.CharField(_("role or title (English)"), max_length=200)
    institution = models.CharField(_("institution (English)"), max_length=200)
    title_ko = models.CharField(_("role or title (Korean)"), max_length=200, blank=True)
    institution_ko = models.CharField(_("institution (Korean)"), max_length=200, blank=True)
    title_zh = models.CharField(_("role or title (Chinese)"), max_length=200, blank=True)
    institution_zh = models.CharField(_("institution (Chinese)"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=RecipientCountry.choices)
    postal_address = models.TextField(
        _("postal address"), blank=True, help_text=_("As it is printed on the envelope.")
    )
    email = models.EmailField(_("email"), blank=True)
    fax = models.CharField(_("fax"), max_length=50, blank=True)
    salutation = models.CharField(_("salutation (English)"), max_length=100, blank=True)
    salutation_ko = models.CharField(_("salutation (Korean)"), max_length=100, blank=True)
    salutation_zh = models.CharField(_("salutation (Chinese)"), max_length=100, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    audience = models.CharField(
        _("audience"),
        max_length=10,
        choices=Audience.choices,
        default=Audience.OFFICIAL,
        help_text=_("Decides which family consent allows naming a person in a letter to them."),
    )
    topics = models.JSONField(
        _("kinds of case"),
        default=list,
        blank=True,
        help_text=_("The kinds of case written to them."),
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RecipientQuerySet.as_manager()

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["country", "institution", "title"]
        constraints = [
            models.UniqueConstraint(fields=["title", "institution"], name="recipient_unique")
        ]

    def __str__(self) -> str:
        return f"{self.display_title}, {self.display_institution}"

    @property
    def display_title(self) -> str:
        """The title in the reader's language where it is recorded (the interface's, not
        a letter's: a letter uses ``title_in`` its own language)."""
        return self.title_in(_interface_letter_language())

    @property
    def display_institution(self) -> str:
        return self.institution_in(_interface_letter_language())

    def title_in(self, language: str) -> str:
        return getattr(self, f"title_{language}", "") or self.title

    def institution_in(self, language: str) -> str:
        return getattr(self, f"institution_{language}", "") or self.institution

    def salutation_in(self, language: str) -> str:
        field = "salutation" if language == Language.ENGLISH else f"salutation_{language}"
        return getattr(self, field, "")


class LetterTemplate(models.Model):
    """A structured letter in one language; sections hold placeholders of a whitelist.

    Saved only after ``rendering.template_check`` accepted every section (see the admin
    form and ``services.letter_template_save``).
    """

    SECTIONS = ("subject", "asks", "facts", "risk", "legal_basis", "closing")

    slug = models.SlugField(
        _("slug"), max_length=60, help_text=_("Same slug for every language version.")
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    title = models.CharField(
        _("title"), max_length=200, help_text=_("What the letter is for, for the list.")
    )
    topic = models.CharField(_("kind of case"), max_length=20, choices=Topic.choices)
    case_kind = models.CharField(
        _("written for"), max_length=10, choices=CaseKind.choices, default=CaseKind.ANY
    )
    subject = models.CharField(_("subject"), max_length=300)
    asks = models.TextField(_("asks"), help_text=_("Lines starting with '- ' become bullets."))
    facts = models.TextField(_("facts"))
    risk = models.TextField(_("risk on return"))
    legal_basis = models.TextField(
        _("legal basis"),
        blank=True,
        help_text=_("Use {% for basis in legal_bases %}… to list the bases chosen."),
    )
    closing = models.TextField(_("closing"))
    default_legal_bases = models.JSONField(_("default legal bases"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        ordering = ["slug", "language"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="template_unique_language")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_language_display()})"

    def sections(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.SECTIONS}


# What ``letters/letter_list.html`` shows of a letter; a column it shows and this does
# not name would be read once per row (a test counts the list's queries).
LIST_COLUMNS = (
    "reference",
    "language",
    "status",
    "sent_on",
    "follow_up_on",
    "template__title",
    "recipient__title",
    "recipient__institution",
    "person__reference",
    "group__reference",
)


class LetterQuerySet(models.QuerySet):
    def for_case(self, *, person: Person | None = None, group: Group | None = None):
        if person is not None:
            return self.filter(person=person)
        return self.filter(group=group)

    def awaiting_response(self, *, days: int, today: datetime.date | None = None):
        """Sent at least ``days`` days ago and still without an answer (for reminders)."""
        today = today or timezone.localdate()
        return self.filter(
            status=LetterStatus.SENT, sent_on__lte=today - datetime.timedelta(days=days)
        )

    def follow_up_due(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.filter(
            status__in=[LetterStatus.SENT, LetterStatus.NO_RESPONSE], follow_up_on__lte=today
        )

    def newest_first(self):
        return self.order_by("-created_at", "-id")

    def without_contents(self):
        """Leave the sealed letter (which may name the person) unread and undecrypted:
        lists show none of it."""
        return self.defer("document_sealed")

    def for_list(self):
        """The list's columns and no others: the sealed letter and the people's
        identities stay unread, and each row's four related records are made from the
        one or two fields the list shows of them, not from every column."""
        listed = self.select_related("template", "recipient", "person", "group")
        # The recipient's names in the reader's language too (``Recipient.display_title``).
        language = _interface_letter_language()
        if language != Language.ENGLISH:
            in_language = (f"recipient__title_{language}", f"recipient__institution_{language}")
            listed = listed.only(*LIST_COLUMNS, *in_language)
        else:
            listed = listed.only(*LIST_COLUMNS)
        return listed.newest_first()


class Letter(ReferencedModel):
    """One letter to one main recipient (with copies), for one person or one group.

    ``document`` keeps the rendered letter (its paragraphs, encrypted), so the preview and every
    file say the same thing and an approved letter never changes under the approver.
    ``status`` and the dates beside it are written only by the lifecycle functions of
    ``services``.
    """

    reference_prefix = "L"

    template = models.ForeignKey(
        LetterTemplate,
        on_delete=models.PROTECT,
        related_name="letters",
        verbose_name=_("letter template"),
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
        verbose_name=_("person"),
    )
    group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
        verbose_name=_("group"),
    )
    recipient = models.ForeignKey(
        Recipient, on_delete=models.PROTECT, related_name="letters", verbose_name=_("recipient")
    )
    copies_to = models.ManyToManyField(
        Recipient, blank=True, related_name="letters_copied", verbose_name=_("copies to")
    )
    # A group letter is written from every member's record, restricted ones included:
    # whoever reads it must be allowed to see each of them (``permissions``). Kept as
    # written, so that a member who leaves the group later still guards the letter.
    members = models.ManyToManyField(
        Person,
        blank=True,
        related_name="group_letters",
        verbose_name=_("members"),
        help_text=_("For a group letter: the members it was written from."),
    )
    legal_bases = models.JSONField(_("legal bases"), default=list, blank=True)
    additional_facts = models.TextField(_("additional facts"), blank=True)
    deadline = models.DateField(_("please act before"), null=True, blank=True)
    names_person = models.BooleanField(
        _("names the person"),
        default=False,
        help_text=_("The letter carries a legal name (consent and role allowed it)."),
    )
    # The rendered paragraphs as JSON, encrypted like identity fields: a letter that
    # names a person carries the legal name.
    document_sealed = EncryptedTextField(blank=True, editable=False)
    batch = models.ForeignKey(
        "LetterBatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="letters",
        verbose_name=_("batch"),
    )

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=LetterStatus.choices,
        default=LetterStatus.DRAFT,
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    sent_on = models.DateField(_("sent on"), null=True, blank=True, editable=False)
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, blank=True, editable=False
    )
    response = models.CharField(
        pgettext_lazy("letter", "response"),
        max_length=20,
        choices=Response.choices,
        blank=True,
        editable=False,
    )
    response_on = models.DateField(_("response received on"), null=True, blank=True, editable=False)
    response_note = models.TextField(_("response note"), blank=True, editable=False)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True, editable=False)

    objects = LetterQuerySet.as_manager()
    # One history row per lifecycle step: who approved, who marked it sent, when.
    history = HistoricalRecords(excluded_fields=["document_sealed"])

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-created_at", "-id"]
        permissions = [("approve_letter", "Can approve letters")]
        # The list, newest first, all or by status: a page is read from the index.
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="letter_newest"),
            models.Index(fields=["status", "-created_at", "-id"], name="letter_status_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False, group__isnull=True))
                | (Q(person__isnull=True, group__isnull=False)),
                name="letter_one_case",
            )
        ]

    def __str__(self) -> str:
        # Never the subject: it may carry a legal name, and this string lands in logs.
        return f"{self.reference} ({self.template.title})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("letters:detail", args=[self.reference])

    @property
    def document(self) -> dict:
        return json.loads(self.document_sealed) if self.document_sealed else {}

    @document.setter
    def document(self, value: dict) -> None:
        self.document_sealed = json.dumps(value, ensure_ascii=False)

    @property
    def case(self) -> Person | Group:
        return self.person if self.person_id else self.group

    @property
    def case_reference(self) -> str:
        return self.case.reference


def _letter_file_path(instance: "LetterFile", filename: str) -> str:
    # The letter's random reference, never a name, goes into the path.
    return f"letters/{instance.letter.reference}/{filename}"


class LetterFile(models.Model):
    """A rendered file attached to a letter, encrypted at rest and served only by a
    permission-checked view that decrypts it.

    Under the field-encryption keys and rotated with them (``casework/letters/files.py``
    lists them); removed with an erased person (``casework/letters/erasure.py``)."""

    letter = models.ForeignKey(
        Letter, on_delete=models.CASCADE, related_name="files", verbose_name=_("letter")
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    file = models.FileField(_("file"), upload_to=_letter_file_path, max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("letter file")
        verbose_name_plural = _("letter files")
        ordering = ["letter", "format"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "format"], name="letter_file_once")
        ]

    def __str__(self) -> str:
        return f"{self.letter.reference}.{self.format}"

    @staticmethod
    def seal(content: bytes) -> bytes:
        """Encrypt with the field-encryption keys: the file may carry a legal name."""
        return encrypt_bytes(content)

    def content(self) -> bytes:
        """The file as rendered (decrypted; files written before encryption are plain)."""
        with self.file.open("rb") as handle:
            data = handle.read()
        if not self.file.name.endswith(".sealed"):
            return data
        return decrypt_bytes(data, label=f"the {self.format} file of letter #{self.letter_id}")


# Stored on a batch the task queue could not take (``LetterBatch.error`` keeps it in
# English); shown translated by ``LetterBatch.error_display``.
BATCH_QUEUE_UNREACHABLE = gettext_noop("The task queue could not be reached")


class LetterBatch(models.Model):
    """One bulk generation (one case × many recipients) and its progress, polled by htmx."""

    template_slug = models.SlugField(_("letter template"), max_length=60)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language.choices,
        blank=True,
        help_text=_("Blank: each letter in its recipient's preferred language."),
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipients = models.ManyToManyField(Recipient, related_name="+")
    legal_bases = models.JSONField(default=list, blank=True)
    additional_facts = models.TextField(blank=True)
    deadline = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("letter batch")
        verbose_name_plural = _("letter batches")

    def __str__(self) -> str:
        return f"Batch {self.pk}: {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def case_reference(self) -> str:
        return self.group.reference if self.group_id else self.person.reference

    @property
    def error_display(self) -> str:
        """The stored error for the reader: the queue's sentence translated, else the kind
        of failure (an exception's name)."""
        return gettext(self.error) if self.error == BATCH_QUEUE_UNREACHABLE else self.error

    @property
    def finished(self) -> bool:
        return self.status in (BatchStatus.DONE, BatchStatus.FAILED)
