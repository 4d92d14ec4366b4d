from django import forms
from django.utils.translation import gettext_lazy as _


class ErasureRequestForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"),
        max_length=12,
        help_text=_("The person's reference, e.g. P-7K3QX."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()
