"""A small hand-counted world for the board (today is 30 June 2025).

person       assigned          timeline (status, day, place)                   notes
Returned Ri  alice             detained 2024-08-01 Yanji; returned 2024-10-01  female adult
Border Bae   alice             detained 2025-06-01 Yanji;                      child
                               transferred 2025-06-25 Tumen*
Planned Pak  bob               detained 2025-05-01 Suizhong,                   infant
                               return planned 2025-07-10
Elder Eom    bob               detained Sept 2024 (month precision,            elderly woman
                               unverified) Xishuangbanna
Unknown Um   alice             detained 2024-12-01 Yanji; unknown 2025-03-01   male adult
Old Oh       bob               detained 2015-03-01 Yanji; released 2015-06-01  male adult
Safe Seo     nobody            at large 2024-01-01; detained 2024-07-15 Yanji; male adult
                               released 2024-08-20; safe country 2025-01-10
Hiding Han   alice             at large 2025-06-01                             female adult
Secret Shin  oscar, restricted detained 2025-06-20 Tumen*                      female adult

* Tumen is a border point (Jilin). Yanji: Jilin; Suizhong: Liaoning; Xishuangbanna: Yunnan.
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import translation
from django.utils.formats import date_format

from casework.cases.enums import AgeBand, Confidence, DatePrecision, Sex, Status, Vulnerability
from casework.cases.models import Person
from tests.factories import FacilityFactory, PersonFactory, record

TODAY = datetime.date(2025, 6, 30)


def day(year: int, month: int, date: int) -> str:
    """A day as the headline writes it (DATE_FORMAT of the active language)."""
    return date_format(datetime.date(year, month, date), "DATE_FORMAT")


@dataclass
class World:
    ri: Person
    bae: Person
    pak: Person
    eom: Person
    um: Person
    oh: Person
    seo: Person
    han: Person
    shin: Person


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The cast's passwords would otherwise cost a full PBKDF2 run per user per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def korean_catalogue(settings):
    """The Korean catalogue compiled and on the locale path (the .mo is not in git).

    Compiled again when the .po is newer, so a test never reads an old translation.
    """
    locale = Path(django_settings.BASE_DIR) / "locale"
    if locale not in [Path(p) for p in settings.LOCALE_PATHS]:
        settings.LOCALE_PATHS = [*settings.LOCALE_PATHS, locale]
    po = locale / "ko" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        call_command("compilemessages", locale=["ko"], verbosity=0)
        translation.trans_real._translations = {}


@pytest.fixture
def speaking(korean_catalogue):
    """``with speaking(user, "ko"):`` the user reads the interface in that language:
    their language set, the request asking for it and the language active around it."""

    @contextmanager
    def speak(user, language: str):
        user.language = language
        user.save(update_fields=["language"])
        with translation.override(language):
            yield

    return speak


@pytest.fixture
def today():
    noon = datetime.datetime(2025, 6, 30, 12, 0, tzinfo=datetime.UTC)
    with time_machine.travel(noon, tick=False):
        yield TODAY


@pytest.fixture
def world(cast, today) -> World:
    tumen = FacilityFactory(name_en="Tumen detention centre", province="Jilin", border_point=True)
    yanji = FacilityFactory(name_en="Yanji detention centre", province="Jilin")
    suizhong = FacilityFactory(name_en="Suizhong county jail", province="Liaoning")
    banna = FacilityFactory(name_en="Xishuangbanna centre", province="Yunnan")
    d = datetime.date

    def person(name, sex, age, caseworkers=(), vulnerable=(), **kw):
        return PersonFactory(
            pseudonym=name,
            sex=sex,
            age_band=age,
            caseworkers=list(caseworkers),
            vulnerable=list(vulnerable),
            **kw,
        )

    ri = person("Returned Ri", Sex.FEMALE, AgeBand.ADULT, [cast.alice])
    record(ri, Status.DETAINED, d(2024, 8, 1), facility=yanji, confidence=Confidence.CONFIRMED)
    record(ri, Status.RETURNED, d(2024, 10, 1))

    bae = person("Border Bae", Sex.MALE, AgeBand.CHILD, [cast.alice], [Vulnerability.CHILD])
    record(bae, Status.DETAINED, d(2025, 6, 1), facility=yanji)
    record(bae, Status.TRANSFERRED, d(2025, 6, 25), facility=tumen)

    pak = person("Planned Pak", Sex.FEMALE, AgeBand.INFANT, [cast.bob], [Vulnerability.INFANT])
    record(pak, Status.DETAINED, d(2025, 5, 1), facility=suizhong, planned_on=d(2025, 7, 10))

    eom = person("Elder Eom", Sex.FEMALE, AgeBand.ELDERLY, [cast.bob], [Vulnerability.ELDERLY])
    record(
        eom,
        Status.DETAINED,
        d(2024, 9, 1),
        facility=banna,
        date_precision=DatePrecision.MONTH,
        confidence=Confidence.UNVERIFIED,
    )

    um = person("Unknown Um", Sex.MALE, AgeBand.ADULT, [cast.alice])
    record(um, Status.DETAINED, d(2024, 12, 1), facility=yanji)
    record(um, Status.UNKNOWN, d(2025, 3, 1))

    oh = person("Old Oh", Sex.MALE, AgeBand.ADULT, [cast.bob])
    record(oh, Status.DETAINED, d(2015, 3, 1), facility=yanji)
    record(oh, Status.RELEASED, d(2015, 6, 1))

    seo = person("Safe Seo", Sex.MALE, AgeBand.ADULT)
    record(seo, Status.AT_LARGE, d(2024, 1, 1))
    record(seo, Status.DETAINED, d(2024, 7, 15), facility=yanji)
    record(seo, Status.RELEASED, d(2024, 8, 20))
    record(seo, Status.IN_SAFE_COUNTRY, d(2025, 1, 10))

    han = person("Hiding Han", Sex.FEMALE, AgeBand.ADULT, [cast.alice])
    record(han, Status.AT_LARGE, d(2025, 6, 1))

    shin = person("Secret Shin", Sex.FEMALE, AgeBand.ADULT, [cast.oscar], restricted=True)
    record(shin, Status.DETAINED, d(2025, 6, 20), facility=tumen)

    return World(ri=ri, bae=bae, pak=pak, eom=eom, um=um, oh=oh, seo=seo, han=han, shin=shin)
