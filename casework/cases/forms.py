from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.accounts.enums import Role
from casework.accounts.models import User
from casework.cases.enums import Confidence
from casework.cases.models import CustodyEvent, Facility, Group, Person, Source
from casework.cases.services import custody_event_check

CUSTODY_EVENT_FIELDS = (
    "status",
    "occurred_on",
    "date_precision",
    "facility",
    "place",
    "source",
    "confidence",
    "planned_on",
    "note",
)


class DateInput(forms.DateInput):
    input_type = "date"


def validation_error_to_form(form: forms.BaseForm, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form, field by field where it can."""
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class CustodyEventForm(forms.ModelForm):
    """What happened, when, where, by whose account. Validated by the service itself."""

    class Meta:
        model = CustodyEvent
        fields = CUSTODY_EVENT_FIELDS
        widgets = {
            "occurred_on": DateInput(),
            "planned_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"status": "What happened", "occurred_on": "When"}

    def __init__(self, *args, persons=None, group: Group | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.persons = list(persons) if persons is not None else None
        self.group = group
        self.fields["facility"].queryset = Facility.objects.order_by("province", "name_en")
        self.fields["source"].queryset = Source.objects.order_by("reference")

    def event_persons(self) -> list[Person]:
        if self.persons is not None:
            return self.persons
        person = getattr(self.instance, "person", None)
        return [person] if person is not None else []

    def clean(self):
        data = super().clean()
        if any(name in self.errors for name in ("status", "occurred_on", "date_precision")):
            return data
        # Check the rest even when another field is missing, so every problem shows at once.
        checked = {name: data.get(name) for name in CUSTODY_EVENT_FIELDS if name != "note"}
        checked["place"] = checked["place"] or ""
        checked["confidence"] = checked["confidence"] or Confidence.REPORTED
        try:
            custody_event_check(persons=self.event_persons(), group=self.group, **checked)
        except ValidationError as exc:
            validation_error_to_form(self, exc)
        return data

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in CUSTODY_EVENT_FIELDS}


class PersonForm(forms.ModelForm):
    """Checks that need no database: a birth year or date of birth that cannot be."""

    class Meta:
        model = Person
        fields = (
            "pseudonym",
            "sex",
            "age_band",
            "birth_year",
            "restricted",
            "follow_up_on",
            *Person.IDENTITY_FIELDS,
        )

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year is not None and not 1900 <= year <= timezone.localdate().year:
            raise ValidationError(
                f"Give a birth year between 1900 and {timezone.localdate().year}."
            )
        return year

    def clean_date_of_birth(self):
        born = self.cleaned_data.get("date_of_birth")
        if born is not None and born > timezone.localdate():
            raise ValidationError("The date of birth lies in the future.")
        return born


class AssignCaseworkerForm(forms.Form):
    caseworker = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True, groups__name=Role.CASEWORKER)
        .select_related("team")
        .order_by("username"),
        help_text="The caseworker who will follow the selected cases.",
    )
