"""Demo-like cases for letters: the Yanji group of five and a trafficked woman.

The recipients and templates come from the data migration, as on a real install.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from casework.cases.enums import AgeBand, Confidence, DatePrecision, Sex, Status, Vulnerability
from casework.cases.models import Group, Person, PersonVulnerability
from casework.letters import services
from casework.letters.models import Recipient
from tests.factories import FacilityFactory, GroupFactory, PersonFactory, SourceFactory, record

SOURCE_IDENTITY = "Pastor Secret-Source Kim, Yanji safe house"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@dataclass
class YanjiCase:
    group: Group
    members: list[Person]
    planned_on: datetime.date


def build_yanji_group(*, by=None, note: str = "") -> YanjiCase:
    """Five North Koreans held near Yanji, to be moved to the border for return:
    three women (one pregnant), a man and a 14-year-old girl."""
    yanji = FacilityFactory(
        name_en="Yanji detention centre", name_zh="延吉看守所", name_ko="연길 구류소",
        city="Yanji", province="Jilin",
    )  # fmt: skip
    members = [
        PersonFactory(pseudonym="Spring", sex=Sex.FEMALE, age_band=AgeBand.ADULT),
        PersonFactory(pseudonym="River", sex=Sex.FEMALE, age_band=AgeBand.ADULT,
                      vulnerable=[Vulnerability.PREGNANT]),
        PersonFactory(pseudonym="Pine", sex=Sex.FEMALE, age_band=AgeBand.ELDERLY,
                      vulnerable=[Vulnerability.ELDERLY]),
        PersonFactory(pseudonym="Stone", sex=Sex.MALE, age_band=AgeBand.ADULT),
        PersonFactory(pseudonym="Swallow", sex=Sex.FEMALE, age_band=AgeBand.CHILD,
                      vulnerable=[Vulnerability.CHILD]),
    ]  # fmt: skip
    group = GroupFactory(name="Yanji group of five", people=members)
    source = SourceFactory(identity=SOURCE_IDENTITY, label="network Y")
    record(status=Status.DETAINED, on=days(-40), group=group, by=by, facility=yanji,
           date_precision=DatePrecision.DAY, source=source)  # fmt: skip
    planned_on = days(6)
    record(status=Status.AT_RISK_OF_RETURN, on=days(-2), group=group, by=by, facility=yanji,
           planned_on=planned_on, source=source, confidence=Confidence.REPORTED,
           note=note)  # fmt: skip
    return YanjiCase(group=group, members=members, planned_on=planned_on)


def build_trafficked_person(*, note: str = "", **kwargs) -> Person:
    person = PersonFactory(
        pseudonym="Magnolia",
        legal_name="Choe Legal-Name",
        legal_name_ko="최법명",
        legal_name_zh="崔法名",
        sex=Sex.FEMALE,
        age_band=AgeBand.ADULT,
        birth_year=timezone.localdate().year - 27,
        vulnerable=[Vulnerability.TRAFFICKING_VICTIM],
        **kwargs,
    )
    facility = FacilityFactory(name_en="Helong detention centre", city="Helong", province="Jilin")
    record(person, Status.DETAINED, days(-90), facility=facility,
           source=SourceFactory(identity=SOURCE_IDENTITY), note=note)  # fmt: skip
    return person


def build_baby() -> Person:
    """A baby born in detention in Tumen, to a mother held there."""
    baby = PersonFactory(pseudonym="Dawn", sex=Sex.FEMALE, age_band=AgeBand.INFANT,
                         vulnerable=[Vulnerability.INFANT])  # fmt: skip
    facility = FacilityFactory(name_en="Tumen border detention facility", province="Jilin",
                               border_point=True)  # fmt: skip
    record(baby, Status.DETAINED, days(-10), facility=facility)
    return baby


@pytest.fixture
def yanji(db) -> YanjiCase:
    return build_yanji_group()


@pytest.fixture
def magnolia(db) -> Person:
    return build_trafficked_person()


@pytest.fixture
def letters_demo_data(db) -> None:
    """The directory and templates come from a data migration, which a transactional
    test's flush wipes out; load them again (idempotent)."""
    services.recipients_seed_demo()
    services.letter_templates_seed_demo()


@pytest.fixture
def minister(letters_demo_data) -> Recipient:
    return Recipient.objects.get(title="Minister of Public Security")


@pytest.fixture
def copies(letters_demo_data) -> list[Recipient]:
    return [
        Recipient.objects.get(title="Minister of Foreign Affairs"),
        Recipient.objects.get(title="UN High Commissioner for Refugees"),
    ]


def add_vulnerability(person: Person, kind: str, detail: str = "") -> None:
    PersonVulnerability.objects.create(person=person, kind=kind, detail=detail)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Letter files go to a throwaway folder, not the developer's MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
