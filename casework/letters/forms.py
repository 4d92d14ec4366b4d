from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.cases.forms import DateInput
from casework.letters.enums import (
    FOLLOW_UP_AFTER_DAYS,
    CaseKind,
    Channel,
    Language,
    LegalBasis,
    Response,
    Topic,
)
from casework.letters.models import LetterTemplate, Recipient
from casework.letters.sandbox import PLACEHOLDERS
from casework.letters.services import letter_template_check


class RecipientChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Recipient) -> str:
        return f"{obj.title} — {obj.institution}"


class RecipientMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Recipient) -> str:
        return f"{obj.title} — {obj.institution}"


class LetterForm(forms.Form):
    """What to write, to whom, in which language; the service does the rest."""

    template = forms.ChoiceField(label="Letter")
    language = forms.ChoiceField(
        choices=[("", "The recipient's preferred language"), *Language.choices],
        required=False,
    )
    recipient = RecipientChoiceField(queryset=Recipient.objects.none(), label="To")
    copies_to = RecipientMultipleChoiceField(
        queryset=Recipient.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Copies to",
    )
    legal_bases = forms.MultipleChoiceField(
        choices=LegalBasis.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked for the usual bases of the letter chosen.",
    )
    additional_facts = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One paragraph per line. Never a source's identity.",
    )
    deadline = forms.DateField(
        required=False,
        widget=DateInput(),
        label="Please act before",
        help_text="Filled from the planned transfer or return date when one is known.",
    )
    one_per_recipient = forms.BooleanField(
        required=False,
        label="Write a separate letter to each recipient (runs in the background)",
    )

    def __init__(self, *args, is_group: bool, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [CaseKind.ANY, CaseKind.GROUP if is_group else CaseKind.PERSON]
        templates = LetterTemplate.objects.filter(active=True, case_kind__in=kinds).order_by(
            "slug", "language"
        )
        titles: dict[str, str] = {}
        for template in templates:
            if template.language == Language.ENGLISH or template.slug not in titles:
                titles[template.slug] = template.title
        self.fields["template"].choices = sorted(titles.items(), key=lambda kv: kv[1])
        recipients = Recipient.objects.active()
        self.fields["recipient"].queryset = recipients
        self.fields["copies_to"].queryset = recipients

    def clean(self):
        data = super().clean()
        language = data.get("language")
        slug = data.get("template")
        recipient = data.get("recipient")
        if slug and recipient and not data.get("one_per_recipient"):
            needed = language or recipient.language
            if not LetterTemplate.objects.filter(slug=slug, language=needed, active=True).exists():
                self.add_error("language", f"This letter has no {Language(needed).label} version.")
        return data


class MarkSentForm(forms.Form):
    sent_on = forms.DateField(widget=DateInput(), label="Sent on")
    channel = forms.ChoiceField(choices=Channel.choices)
    follow_up_on = forms.DateField(
        widget=DateInput(),
        required=False,
        label="Follow up on",
        help_text=f"Empty: {FOLLOW_UP_AFTER_DAYS} days after sending, or the day before the "
        "deadline if sooner.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sent_on"].initial = timezone.localdate()


class ResponseForm(forms.Form):
    response = forms.ChoiceField(choices=Response.choices)
    response_on = forms.DateField(widget=DateInput(), label="Received on")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    follow_up_on = forms.DateField(widget=DateInput(), required=False, label="Follow up on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["response_on"].initial = timezone.localdate()


class RecipientAdminForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Kinds of case",
    )

    class Meta:
        model = Recipient
        fields = [
            "title", "institution", "country", "language", "audience", "topics",
            "postal_address", "email", "fax", "salutation", "salutation_ko", "salutation_zh",
            "title_ko", "institution_ko", "title_zh", "institution_zh", "active",
        ]  # fmt: skip


class LetterTemplateAdminForm(forms.ModelForm):
    """Refuses a template the sandbox would not render, section by section."""

    default_legal_bases = forms.MultipleChoiceField(
        choices=LegalBasis.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = LetterTemplate
        fields = [
            "slug", "language", "title", "topic", "case_kind", *LetterTemplate.SECTIONS,
            "default_legal_bases", "active",
        ]  # fmt: skip
        help_texts = {
            "asks": "Placeholders: "
            + "; ".join(f"{{{{ {name} }}}} = {text}" for name, text in PLACEHOLDERS.items())
            + ". Tags: {% if %} and {% for %}. One paragraph per line; '- ' starts a bullet."
        }

    def clean(self):
        data = super().clean()
        candidate = LetterTemplate(
            **{name: data.get(name) or "" for name in LetterTemplate.SECTIONS},
            default_legal_bases=data.get("default_legal_bases") or [],
        )
        try:
            letter_template_check(candidate)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return data
