from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ErasureState(models.TextChoices):
    REQUESTED = "requested", _("Requested, awaiting a second administrator")
    ERASED = "erased", _("Erased")
    CANCELLED = "cancelled", _("Cancelled")


class Erasure(models.Model):
    """A request to erase a person, and once confirmed the tombstone it leaves.

    The tombstone holds no content: not the person's reference, pseudonym or any
    value, only a keyed digest of the reference (so "was P-7K3QX erased?" can be
    answered by someone holding the key), who asked, who confirmed, and when.
    Two administrators are needed: the one who confirms cannot be the one who asked.
    """

    person = models.ForeignKey(
        "cases.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reference_digest = models.CharField(max_length=64, editable=False)
    state = models.CharField(
        max_length=12, choices=ErasureState.choices, default=ErasureState.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The second administrator, who confirmed (or cancelled) the erasure."),
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        permissions = [("erase_person", "Can request and confirm the erasure of a person")]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(state="requested"),
                name="erasure_one_open_request_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(state="erased") | ~Q(decided_by=F("requested_by")),
                name="erasure_two_people",
            ),
        ]

    def __str__(self) -> str:
        return _("Erasure #%(number)s (%(state)s)") % {
            "number": self.pk,
            "state": self.get_state_display(),
        }
