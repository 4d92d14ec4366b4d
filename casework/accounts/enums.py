from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The Django groups that carry permissions; names are part of the public interface."""

    CASEWORKER = "Caseworker"
    COORDINATOR = "Coordinator"
    ADVOCATE = "Advocate"
    ADMINISTRATOR = "Administrator"


class AccessAction(models.TextChoices):
    OPENED_CASE = "opened_case", _("Opened a case")
    REVEALED_IDENTITY = "revealed_identity", _("Revealed an identity")
    EXPORTED = "exported", _("Exported records")
    GENERATED_LETTER = "generated_letter", _("Generated a letter")
    RESET_PASSWORD = "reset_password", _("Reset the password of an account")
    RESET_TWO_FACTOR = "reset_two_factor", _("Reset the two-factor login of an account")
    # A case (or letter) asked for by reference and not shown: it does not exist or the
    # user may not see it. The entry does not say which; the user saw the same 404.
    REFUSED = "refused", _("Was refused a case")
