from django import forms

from casework.documents.models import DocumentKind


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(choices=DocumentKind.choices, initial=DocumentKind.DOCUMENT)
    file = forms.FileField(
        help_text="A PDF, or a JPEG, PNG or WebP photo; the content is checked, not the name.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}
        ),
    )
