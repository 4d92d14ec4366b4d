from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import to_historic

from casework.accounts import roles
from casework.accounts.selectors import users_with_perm
from casework.cases.enums import Confidence
from casework.cases.models import CustodyEvent, Group, Person, Source
from casework.cases.selectors import facility_for_name, sources_for_text
from casework.cases.services import (
    StaleVersionError,
    case_version_check,
    caseworkers_assignable_check,
    custody_event_check,
    unidentified_others_check,
)
from casework.cases.widgets import InlineCheckboxes, InlineSelect

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
            "status": InlineSelect,
            "date_precision": InlineSelect,
            "confidence": InlineSelect,
            "occurred_on": DateInput(),
            "planned_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"status": gettext_lazy("What happened"), "occurred_on": gettext_lazy("When")}

    def __init__(self, *args, persons=None, group: Group | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.persons = list(persons) if persons is not None else None
        self.group = group

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


class CaseVersionForm(forms.ModelForm):
    """A case's admin form carries the version of the case it was opened on
    (``expected_version``) and is refused if the case changed since, instead of each of
    two people editing it overwriting the other without knowing. A past version opened
    to be restored carries the case's current version: restoring is a deliberate
    overwrite, refused only if the case changed after that page was opened.

    The check locks the case's row; the admin validates and saves a case in one
    transaction, so the lock holds until the service has saved it."""

    stale_message = ""
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return  # a new case has no version to compare
        field = self.fields["expected_version"]
        field.required = True
        if to_historic(self.instance) is None:
            field.initial = self.instance.version
        else:
            current = type(self.instance).objects.filter(pk=self.instance.pk)
            field.initial = current.values_list("version", flat=True).first()

    def clean(self):
        data = super().clean()
        expected = data.get("expected_version")
        if self.instance.pk is not None and expected is not None:
            try:
                case_version_check(case=self.instance, expected_version=expected)
            except StaleVersionError:
                raise ValidationError(self.stale_message, code="stale") from None
        return data


class PersonForm(CaseVersionForm):
    """Checks that need no database: a birth year or date of birth that cannot be."""

    stale_message = gettext_lazy(
        "This person was changed by someone else while you were editing. Nothing was "
        "saved: reload the page to see their changes, then make yours again."
    )

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
                _("Give a birth year between 1900 and %(year)s.")
                % {"year": timezone.localdate().year}
            )
        return year

    def clean_date_of_birth(self):
        born = self.cleaned_data.get("date_of_birth")
        if born is not None and born > timezone.localdate():
            raise ValidationError(_("The date of birth lies in the future."))
        return born

    def clean_assigned_caseworkers(self):
        """Present when the admin shows the field (to those who may assign): a caseworker
        added here must be active, as in the assign action; one already assigned whose
        account has since been closed may stay, so that the case can still be saved."""
        chosen = self.cleaned_data["assigned_caseworkers"]
        kept = set(self.instance.assigned_caseworkers.all()) if self.instance.pk else set()
        caseworkers_assignable_check(user for user in chosen if user not in kept)
        return chosen


class UnidentifiedOthersChecked:
    """A group form's number of unidentified others, checked by the service's rule
    (``unidentified_others_check``) and refused with its words, not the field's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unidentified_others"].validators = []

    def clean_unidentified_others(self):
        try:
            return unidentified_others_check(self.cleaned_data["unidentified_others"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["unidentified_others"]) from None


class GroupForm(UnidentifiedOthersChecked, CaseVersionForm):
    stale_message = gettext_lazy(
        "This group was changed by someone else while you were editing. Nothing was "
        "saved: reload the page to see their changes, then make yours again."
    )

    class Meta:
        model = Group
        fields = ("name", "unidentified_others", "notes")


class GroupOthersForm(UnidentifiedOthersChecked, forms.ModelForm):
    """The group page's form for the others detained with the group whom no record
    names. Saved by ``group_update``, which refuses it if the group changed since the
    page was opened (``version``)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Group
        fields = ("unidentified_others",)
        widgets = {"unidentified_others": forms.NumberInput(attrs={"min": 0})}


class AssignCaseworkerForm(forms.Form):
    caseworker = forms.ModelChoiceField(
        queryset=users_with_perm(roles.FOLLOW_CASE).select_related("team").order_by("username"),
        label=gettext_lazy("Caseworker"),
        help_text=gettext_lazy("The caseworker who will follow the selected cases."),
    )


class FacilityNameField(forms.CharField):
    """A facility typed or picked from the browser's list, matched on its full name."""

    def clean(self, value):
        name = super().clean(value).strip()
        if not name:
            return None
        facility = facility_for_name(name)
        if facility is None:
            raise ValidationError(
                _(
                    "Unknown facility “%(name)s”. Pick one from the list, or leave it empty "
                    "and write the place as free text."
                )
                % {"name": name}
            )
        return facility


class SourceNameField(forms.CharField):
    """A source typed as shown ("label (S-…)"), as its bare reference, or picked from the
    list that static/js/source_picker.js fills as one types. There may be thousands of
    sources, so the page never lists them all and the text is resolved by one query."""

    def clean(self, value):
        text = super().clean(value).strip()
        if not text:
            return None
        sources = sources_for_text(text)
        if len(sources) > 1:
            raise ValidationError(
                _(
                    "Several sources are called “%(text)s”. Pick one from the list, or type "
                    "its reference (S-…)."
                )
                % {"text": text}
            )
        if not sources:
            raise ValidationError(
                _(
                    "Unknown source “%(text)s”. Pick one from the list as you type, or type "
                    "its reference (S-…)."
                )
                % {"text": text}
            )
        return sources[0]


class QuickUpdateForm(CustodyEventForm):
    """The case page's "what happened" form, for a person or a group."""

    facility = FacilityNameField(
        required=False,
        label=gettext_lazy("Where (facility)"),
        widget=forms.TextInput(attrs={"list": "facility-names", "autocomplete": "off"}),
    )
    source = SourceNameField(
        required=False,
        max_length=200,
        label=gettext_lazy("Source"),
        widget=forms.TextInput(
            attrs={
                "list": "source-names",
                "autocomplete": "off",
                "placeholder": gettext_lazy("Type its label or S-reference"),
            }
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    members = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=InlineCheckboxes,
        label=gettext_lazy("Members (none ticked: all)"),
        error_messages={"invalid_choice": gettext_lazy("%(value)s is not a member of this group.")},
    )

    class Meta(CustodyEventForm.Meta):
        labels = {**CustodyEventForm.Meta.labels, "place": gettext_lazy("Or a place (free text)")}

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is None:
            del self.fields["members"]
        else:
            field = self.fields["members"]
            field.queryset = members  # what a submitted choice is checked against
            self.members_all = list(members)
            # The boxes are drawn from the members read here, not by a second query.
            field.choices = [(p.pk, field.label_from_instance(p)) for p in self.members_all]

    def members_field(self):
        """The group's member boxes (a group's form only): drawn apart from the other
        fields, which are the same on every case's empty form."""
        return self["members"] if "members" in self.fields else None

    def source_options(self) -> list[str]:
        """The datalist's starting options: only the source chosen, when there is one."""
        if self.is_bound:
            chosen = None if self.errors.get("source") else self.cleaned_data.get("source")
        else:
            chosen = self.get_initial_for_field(self.fields["source"], "source")
        return [str(chosen)] if isinstance(chosen, Source) else []

    def event_persons(self) -> list[Person]:
        if "members" in self.fields:
            chosen = self.cleaned_data.get("members")
            return list(chosen) if chosen else self.members_all
        return super().event_persons()

    def clean(self):
        if "members" in self.fields and "members" in self.errors:
            return self.cleaned_data
        return super().clean()


class SourceIdentityForm(forms.ModelForm):
    """A source's identity alone: it is edited only where it was revealed (and logged),
    never in the source's own form, which everyone who records events may open."""

    class Meta:
        model = Source
        fields = ["identity"]
