"""Vocabularies of appeal letters (after HURIDOCS's intervention format).

The labels are the interface's (translated); the letters themselves take their words
from ``wording`` in the letter's own language, never from these labels.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Language(models.TextChoices):
    """A letter's language. The labels are translated, the values never change."""

    ENGLISH = "en", _("English")
    KOREAN = "ko", _("Korean")
    CHINESE = "zh", _("Chinese")


class Audience(models.TextChoices):
    """Who reads the letter: decides which consent allows naming a person."""

    OFFICIAL = "official", _("Officials (private letter)")
    PUBLIC = "public", _("Public (open letter, press release)")


class RecipientCountry(models.TextChoices):
    CHINA = "CN", _("China")
    UNITED_NATIONS = "UN", _("United Nations")
    SOUTH_KOREA = "KR", _("South Korea")
    NORTH_KOREA = "KP", _("North Korea")
    UNITED_STATES = "US", _("United States")
    JAPAN = "JP", _("Japan")
    UNITED_KINGDOM = "GB", _("United Kingdom")
    EUROPEAN_UNION = "EU", _("European Union")
    OTHER = "XX", pgettext_lazy("recipient country", "Other")


class Topic(models.TextChoices):
    """The kinds of case a recipient is written to, and a template is written for."""

    IMMINENT_RETURN = "imminent_return", _("Imminent forced return")
    TRAFFICKING = "trafficking", _("Trafficking victims")
    CHILDREN = "children", _("Children and babies")
    FOLLOW_UP = "follow_up", pgettext_lazy("letter topic", "Follow-up")
    AFTER_RETURN = "after_return", _("After a return")


class CaseKind(models.TextChoices):
    PERSON = "person", _("A person")
    GROUP = "group", _("A group")
    ANY = "any", _("A person or a group")


class LetterStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("letter status", "Draft")
    APPROVED = "approved", pgettext_lazy("letter status", "Approved")
    SENT = "sent", pgettext_lazy("letter status", "Sent")
    RESPONSE_RECEIVED = "response_received", pgettext_lazy("letter status", "Response received")
    NO_RESPONSE = "no_response", pgettext_lazy("letter status", "No response")


class Channel(models.TextChoices):
    POST = "post", pgettext_lazy("letter channel", "Post")
    EMAIL = "email", pgettext_lazy("letter channel", "Email")
    FAX = "fax", pgettext_lazy("letter channel", "Fax")
    HAND = "hand", _("Delivered by hand")
    ONLINE_FORM = "online_form", _("Online form")


class Response(models.TextChoices):
    FAVOURABLE = "favourable", pgettext_lazy("letter response", "Favourable")
    PLEDGED = "pledged", pgettext_lazy("letter response", "Pledged to act")
    COUNTERING = "countering", pgettext_lazy("letter response", "Countering")
    MORE_INFORMATION = "more_information", _("Asked for more information")
    TOKEN = "token", pgettext_lazy("letter response", "Token reply")
    NONE = "none", pgettext_lazy("letter response", "None")


class Format(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", _("Word (DOCX)")
    TXT = "txt", _("Plain text")


class BatchStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("batch status", "Queued")
    RUNNING = "running", pgettext_lazy("batch status", "Running")
    DONE = "done", pgettext_lazy("batch status", "Done")
    FAILED = "failed", pgettext_lazy("batch status", "Failed")


class LegalBasis(models.TextChoices):
    """The bases a letter may cite. These labels name them in the interface; the
    sentences a letter prints are ``wording.LEGAL_BASIS``, in the letter's language."""

    REFUGEE_CONVENTION = (
        "refugee_convention",
        _("1951 Refugee Convention, Art. 33(1), and 1967 Protocol"),
    )
    TORTURE_CONVENTION = "torture_convention", _("Convention against Torture, Art. 3")
    CAT_CHINA_2015 = "cat_china_2015", _("Committee against Torture on China, 2015")
    SUR_PLACE = "sur_place", _("Refugees sur place")
    COI_2014 = "coi_2014", _("UN Commission of Inquiry on the DPRK, 2014")
    CHILD_RIGHTS = "child_rights", _("Convention on the Rights of the Child, Arts. 3, 7, 22")
    TRAFFICKING_PROTOCOL = (
        "trafficking_protocol",
        _("UN Trafficking Protocol, Arts. 6-8, and CEDAW"),
    )
    ICCPR_LEAVE = "iccpr_leave", _("ICCPR Art. 12(2), right to leave")


# Days after sending when a follow-up falls due unless the advocate picks a date.
FOLLOW_UP_AFTER_DAYS = 14
