from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm as BasePasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from casework.reminders.outbox import language_of


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code of your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class ReauthForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        required=False,
        help_text=_("The 6-digit code of your authenticator app, or a recovery code."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if settings.DEMO_MODE:
            del self.fields["token"]
        else:
            self.fields["token"].required = True


class PasswordResetForm(BasePasswordResetForm):
    """Django's reset form, whose email speaks the account owner's language."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        user = context.get("user")
        language = language_of(user)
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
