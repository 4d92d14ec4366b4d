from django import forms


class ErasureRequestForm(forms.Form):
    reference = forms.CharField(
        max_length=12,
        help_text="The person's reference, e.g. P-7K3QX.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()
