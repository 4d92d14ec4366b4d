from django import forms
from django.utils.translation import gettext_lazy as _

from casework.documents.models import DocumentKind


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=DocumentKind.choices, initial=DocumentKind.DOCUMENT
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, or a JPEG, PNG or WebP photo; the content is checked, not the name."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}
        ),
    )
