"""Vocabularies of the case records (README.md, "Vocabulary"), after HURIDOCS's standard
formats."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    """What each status means for a case (custody, risk, staleness, badge, headline):
    ``casework/cases/state.py``."""

    AT_LARGE = "at_large", _("At large (in hiding)")
    DETAINED = "detained", _("Detained")
    TRANSFERRED = "transferred", _("Transferred")
    AT_RISK_OF_RETURN = "at_risk_of_return", _("At risk of return")
    RETURNED = "returned", _("Returned (forcibly repatriated)")
    RELEASED = "released", _("Released")
    IN_SAFE_COUNTRY = "in_safe_country", _("In a safe country")
    DISAPPEARED = "disappeared", _("Disappeared")
    DECEASED = "deceased", _("Deceased")
    UNKNOWN = "unknown", pgettext_lazy("status", "Unknown")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact day")
    MONTH = "month", pgettext_lazy("date precision", "Month")
    YEAR = "year", pgettext_lazy("date precision", "Year")
    APPROXIMATE = "approximate", _("Approximate")


class Confidence(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    REPORTED = "reported", _("Reported")
    UNVERIFIED = "unverified", _("Unverified")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Unknown")


class AgeBand(models.TextChoices):
    INFANT = "infant", _("Infant (under 2)")
    CHILD = "child", _("Child (2–17)")
    ADULT = "adult", _("Adult (18–59)")
    ELDERLY = "elderly", _("Elderly (60+)")
    UNKNOWN = "unknown", _("Unknown")


class Vulnerability(models.TextChoices):
    CHILD = "child", _("Child")
    INFANT = "infant", _("Infant / born in detention")
    ELDERLY = "elderly", _("Elderly")
    PREGNANT = "pregnant", _("Pregnant")
    SERIOUS_ILLNESS = "serious_illness", _("Serious illness")
    TRAFFICKING_VICTIM = "trafficking_victim", _("Trafficking victim")
    OTHER = "other", _("Other")


class SourceKind(models.TextChoices):
    FAMILY = "family", _("Family member")
    ACTIVIST = "activist", _("Activist")
    RESCUE_NETWORK = "rescue_network", _("Rescue network")
    NGO = "ngo", _("NGO")
    MEDIA = "media", _("Media")
    OFFICIAL = "official", _("Official")
    OTHER = "other", _("Other")


class Reliability(models.TextChoices):
    RELIABLE = "reliable", _("Reliable")
    USUALLY_RELIABLE = "usually_reliable", _("Usually reliable")
    UNTESTED = "untested", _("Not yet tested")
    DOUBTFUL = "doubtful", _("Doubtful")


class Consent(models.TextChoices):
    PRIVATE = "private", _("Private tracking only")
    PRIVATE_LETTERS = "private_letters", _("May be named in private letters to officials")
    PUBLIC = "public", _("May be made public")


class SpokenLanguage(models.TextChoices):
    """The language a family contact reads (not the interface's languages)."""

    ENGLISH = "en", _("English")
    KOREAN = "ko", _("Korean")
    CHINESE = "zh-hans", _("Chinese")


class Country(models.TextChoices):
    CHINA = "CN", _("China")
    NORTH_KOREA = "KP", _("North Korea")
    SOUTH_KOREA = "KR", _("South Korea")
    RUSSIA = "RU", _("Russia")
    LAOS = "LA", _("Laos")
    VIETNAM = "VN", _("Vietnam")
    THAILAND = "TH", _("Thailand")
    MONGOLIA = "MN", _("Mongolia")
    OTHER = "XX", _("Other")


# A status as a group's roll-up counts it ("6 detained, 2 returned"): the label without its
# explanation, in lower case.
STATUS_SHORT = {
    Status.AT_LARGE: pgettext_lazy("status, short", "at large"),
    Status.DETAINED: pgettext_lazy("status, short", "detained"),
    Status.TRANSFERRED: pgettext_lazy("status, short", "transferred"),
    Status.AT_RISK_OF_RETURN: pgettext_lazy("status, short", "at risk of return"),
    Status.RETURNED: pgettext_lazy("status, short", "returned"),
    Status.RELEASED: pgettext_lazy("status, short", "released"),
    Status.IN_SAFE_COUNTRY: pgettext_lazy("status, short", "in a safe country"),
    Status.DISAPPEARED: pgettext_lazy("status, short", "disappeared"),
    Status.DECEASED: pgettext_lazy("status, short", "deceased"),
    Status.UNKNOWN: pgettext_lazy("status, short", "unknown"),
}
