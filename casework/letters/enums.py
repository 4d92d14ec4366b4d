"""Vocabularies of appeal letters (after HURIDOCS's intervention format)."""

from django.db import models


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    KOREAN = "ko", "Korean"
    CHINESE = "zh", "Chinese"


class Audience(models.TextChoices):
    """Who reads the letter: decides which consent allows naming a person."""

    OFFICIAL = "official", "Officials (private letter)"
    PUBLIC = "public", "Public (open letter, press release)"


class RecipientCountry(models.TextChoices):
    CHINA = "CN", "China"
    UNITED_NATIONS = "UN", "United Nations"
    SOUTH_KOREA = "KR", "South Korea"
    NORTH_KOREA = "KP", "North Korea"
    UNITED_STATES = "US", "United States"
    JAPAN = "JP", "Japan"
    UNITED_KINGDOM = "GB", "United Kingdom"
    EUROPEAN_UNION = "EU", "European Union"
    OTHER = "XX", "Other"


class Topic(models.TextChoices):
    """The kinds of case a recipient is written to, and a template is written for."""

    IMMINENT_RETURN = "imminent_return", "Imminent forced return"
    TRAFFICKING = "trafficking", "Trafficking victims"
    CHILDREN = "children", "Children and babies"
    FOLLOW_UP = "follow_up", "Follow-up"
    AFTER_RETURN = "after_return", "After a return"


class CaseKind(models.TextChoices):
    PERSON = "person", "A person"
    GROUP = "group", "A group"
    ANY = "any", "A person or a group"


class LetterStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    SENT = "sent", "Sent"
    RESPONSE_RECEIVED = "response_received", "Response received"
    NO_RESPONSE = "no_response", "No response"


class Channel(models.TextChoices):
    POST = "post", "Post"
    EMAIL = "email", "Email"
    FAX = "fax", "Fax"
    HAND = "hand", "Delivered by hand"
    ONLINE_FORM = "online_form", "Online form"


class Response(models.TextChoices):
    FAVOURABLE = "favourable", "Favourable"
    PLEDGED = "pledged", "Pledged to act"
    COUNTERING = "countering", "Countering"
    MORE_INFORMATION = "more_information", "Asked for more information"
    TOKEN = "token", "Token reply"
    NONE = "none", "None"


class Format(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"
    TXT = "txt", "Plain text"


class BatchStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class LegalBasis(models.TextChoices):
    REFUGEE_CONVENTION = (
        "refugee_convention",
        "1951 Refugee Convention, Art. 33(1), and 1967 Protocol",
    )
    TORTURE_CONVENTION = "torture_convention", "Convention against Torture, Art. 3"
    CAT_CHINA_2015 = "cat_china_2015", "Committee against Torture on China, 2015"
    SUR_PLACE = "sur_place", "Refugees sur place"
    COI_2014 = "coi_2014", "UN Commission of Inquiry on the DPRK, 2014"
    CHILD_RIGHTS = "child_rights", "Convention on the Rights of the Child, Arts. 3, 7, 22"
    TRAFFICKING_PROTOCOL = "trafficking_protocol", "UN Trafficking Protocol, Arts. 6-8, and CEDAW"
    ICCPR_LEAVE = "iccpr_leave", "ICCPR Art. 12(2), right to leave"


# Days after sending when a follow-up falls due unless the advocate picks a date.
FOLLOW_UP_AFTER_DAYS = 14
