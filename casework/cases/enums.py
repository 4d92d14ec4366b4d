"""Vocabularies of the case records (README.md, "Vocabulary"), after HURIDOCS's standard
formats."""

from django.db import models


class Status(models.TextChoices):
    """What each status means for a case (custody, risk, staleness, badge, headline):
    ``casework/cases/state.py``."""

    AT_LARGE = "at_large", "At large (in hiding)"
    DETAINED = "detained", "Detained"
    TRANSFERRED = "transferred", "Transferred"
    AT_RISK_OF_RETURN = "at_risk_of_return", "At risk of return"
    RETURNED = "returned", "Returned (forcibly repatriated)"
    RELEASED = "released", "Released"
    IN_SAFE_COUNTRY = "in_safe_country", "In a safe country"
    DISAPPEARED = "disappeared", "Disappeared"
    DECEASED = "deceased", "Deceased"
    UNKNOWN = "unknown", "Unknown"


class DatePrecision(models.TextChoices):
    DAY = "day", "Exact day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    APPROXIMATE = "approximate", "Approximate"


class Confidence(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    REPORTED = "reported", "Reported"
    UNVERIFIED = "unverified", "Unverified"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    UNKNOWN = "unknown", "Unknown"


class AgeBand(models.TextChoices):
    INFANT = "infant", "Infant (under 2)"
    CHILD = "child", "Child (2–17)"
    ADULT = "adult", "Adult (18–59)"
    ELDERLY = "elderly", "Elderly (60+)"
    UNKNOWN = "unknown", "Unknown"


class Vulnerability(models.TextChoices):
    CHILD = "child", "Child"
    INFANT = "infant", "Infant / born in detention"
    ELDERLY = "elderly", "Elderly"
    PREGNANT = "pregnant", "Pregnant"
    SERIOUS_ILLNESS = "serious_illness", "Serious illness"
    TRAFFICKING_VICTIM = "trafficking_victim", "Trafficking victim"
    OTHER = "other", "Other"


class SourceKind(models.TextChoices):
    FAMILY = "family", "Family member"
    ACTIVIST = "activist", "Activist"
    RESCUE_NETWORK = "rescue_network", "Rescue network"
    NGO = "ngo", "NGO"
    MEDIA = "media", "Media"
    OFFICIAL = "official", "Official"
    OTHER = "other", "Other"


class Reliability(models.TextChoices):
    RELIABLE = "reliable", "Reliable"
    USUALLY_RELIABLE = "usually_reliable", "Usually reliable"
    UNTESTED = "untested", "Not yet tested"
    DOUBTFUL = "doubtful", "Doubtful"


class Consent(models.TextChoices):
    PRIVATE = "private", "Private tracking only"
    PRIVATE_LETTERS = "private_letters", "May be named in private letters to officials"
    PUBLIC = "public", "May be made public"


class SpokenLanguage(models.TextChoices):
    """The language a family contact reads (not the interface's languages)."""

    ENGLISH = "en", "English"
    KOREAN = "ko", "Korean"
    CHINESE = "zh-hans", "Chinese"


class Country(models.TextChoices):
    CHINA = "CN", "China"
    NORTH_KOREA = "KP", "North Korea"
    SOUTH_KOREA = "KR", "South Korea"
    RUSSIA = "RU", "Russia"
    LAOS = "LA", "Laos"
    VIETNAM = "VN", "Vietnam"
    THAILAND = "TH", "Thailand"
    MONGOLIA = "MN", "Mongolia"
    OTHER = "XX", "Other"
