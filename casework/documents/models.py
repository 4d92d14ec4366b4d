from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.cases.encryption import EncryptedCharField


class DocumentKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    PHOTO = "photo", _("Photo")


class Document(models.Model):
    """A file on a case: stored encrypted, under a generated name, outside the web root.

    The name it was uploaded under can identify someone ("kim-passport.jpg"), so it is
    kept encrypted and never used for the stored file, a URL or a download's filename.
    """

    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices)
    original_name = EncryptedCharField(_("original name"), max_length=255, blank=True)
    stored_name = models.CharField(max_length=80, unique=True, editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    extension = models.CharField(max_length=10, editable=False)
    size = models.PositiveIntegerField(_("size"), editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return gettext("%(kind)s #%(number)s of %(person)s") % {
            "kind": self.get_kind_display(),
            "number": self.pk,
            "person": self.person.reference,
        }

    @property
    def download_name(self) -> str:
        return f"{self.person.reference}-{self.kind}-{self.pk}.{self.extension}"
