from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

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
        return f"{obj.display_title} — {obj.display_institution}"


class RecipientMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Recipient) -> str:
        return f"{obj.display_title} — {obj.display_institution}"


class LetterForm(forms.Form):
    """What to write, to whom, in which language; the service does the rest."""

    template = forms.ChoiceField(label=pgettext_lazy("appeal", "Letter"))
    # The letter's language: its labels follow the interface, its values never change.
    language = forms.ChoiceField(
        label=_("Language of the letter"),
        choices=[("", _("The recipient's preferred language")), *Language.choices],
        required=False,
    )
    recipient = RecipientChoiceField(
        queryset=Recipient.objects.none(), label=pgettext_lazy("letter", "To")
    )
    copies_to = RecipientMultipleChoiceField(
        queryset=Recipient.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Copies to"),
    )
    legal_bases = forms.MultipleChoiceField(
        label=_("Legal bases"),
        choices=LegalBasis.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for the usual bases of the letter chosen."),
    )
    additional_facts = forms.CharField(
        label=_("Additional facts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One paragraph per line. Never a source's identity."),
    )
    deadline = forms.DateField(
        required=False,
        widget=DateInput(),
        label=_("Please act before"),
        help_text=_("Filled from the planned transfer or return date when one is known."),
    )
    one_per_recipient = forms.BooleanField(
        required=False,
        label=_("Write a separate letter to each recipient (runs in the background)"),
    )

    def __init__(self, *args, is_group: bool, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [CaseKind.ANY, CaseKind.GROUP if is_group else CaseKind.PERSON]
        templates = LetterTemplate.objects.filter(active=True, case_kind__in=kinds).order_by(
            "slug", "language"
        )
        # Each letter by its title in the interface language when it has a version in
        # it, else in English, else in its first language.
        preferred = [get_language() or Language.ENGLISH, Language.ENGLISH]
        titles: dict[str, str] = {}
        ranks: dict[str, int] = {}
        for template in templates:
            rank = next(
                (i for i, code in enumerate(preferred) if template.language == code),
                len(preferred),
            )
            if template.slug not in titles or rank < ranks[template.slug]:
                titles[template.slug], ranks[template.slug] = template.title, rank
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
                self.add_error(
                    "language",
                    gettext("This letter has no %(language)s version.")
                    % {"language": Language(needed).label},
                )
        return data


class MarkSentForm(forms.Form):
    sent_on = forms.DateField(widget=DateInput(), label=_("Sent on"))
    channel = forms.ChoiceField(label=_("Sent by"), choices=Channel.choices)
    follow_up_on = forms.DateField(widget=DateInput(), required=False, label=_("Follow up on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sent_on"].initial = timezone.localdate()
        self.fields["follow_up_on"].help_text = ngettext(
            "Empty: %(days)s day after sending, or the day before the deadline if sooner.",
            "Empty: %(days)s days after sending, or the day before the deadline if sooner.",
            FOLLOW_UP_AFTER_DAYS,
        ) % {"days": FOLLOW_UP_AFTER_DAYS}


class ResponseForm(forms.Form):
    response = forms.ChoiceField(
        label=pgettext_lazy("letter", "Response"), choices=Response.choices
    )
    response_on = forms.DateField(widget=DateInput(), label=_("Received on"))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    follow_up_on = forms.DateField(widget=DateInput(), required=False, label=_("Follow up on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["response_on"].initial = timezone.localdate()


class RecipientAdminForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Kinds of case"),
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
        label=_("Default legal bases"),
        choices=LegalBasis.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = LetterTemplate
        fields = [
            "slug", "language", "title", "topic", "case_kind", *LetterTemplate.SECTIONS,
            "default_legal_bases", "active",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asks"].help_text = gettext(
            "Placeholders: %(placeholders)s. Tags: {%% if %%} and {%% for %%}. One paragraph "
            "per line; '- ' starts a bullet."
        ) % {
            "placeholders": "; ".join(
                f"{{{{ {name} }}}} = {text}" for name, text in PLACEHOLDERS.items()
            )
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
