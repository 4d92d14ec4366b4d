"""The whitelisted context of a letter: plain values computed from a case.

This is the only place that reads a case for a letter. It returns strings, numbers,
booleans and lists of strings under the names of ``sandbox.PLACEHOLDERS``; templates
never see a model. Source identities are never read here. The legal name is read only
when ``naming_allowed`` says the consent on record and the user's role allow it.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from casework.accounts.models import User
from casework.cases.enums import AgeBand, Consent, Sex, Status
from casework.cases.models import CustodyEvent, Group, Person
from casework.cases.permissions import can_reveal_identity
from casework.letters import wording
from casework.letters.enums import Audience, LetterStatus
from casework.letters.models import Letter, Recipient

# Which recorded consent allows naming a person to which audience.
CONSENTS_ALLOWING = {
    Audience.OFFICIAL: {Consent.PRIVATE_LETTERS, Consent.PUBLIC},
    Audience.PUBLIC: {Consent.PUBLIC},
}


@dataclass(frozen=True)
class CaseFacts:
    """What a letter may say about a case, gathered once for many recipients."""

    reference: str
    persons: list[Person]
    is_group: bool
    events: list[CustodyEvent]  # every event of every person, oldest first
    consents: dict[int, set[str]]  # person id -> consents recorded by family contacts


def case_facts(*, person: Person | None = None, group: Group | None = None) -> CaseFacts:
    if group is not None:
        persons = list(
            Person.objects.filter(memberships__group=group)
            .select_related("current")
            .prefetch_related("vulnerabilities", "family_contacts")
            .order_by("pk")
        )
        reference = group.reference
    else:
        persons = list(
            Person.objects.filter(pk=person.pk)
            .select_related("current")
            .prefetch_related("vulnerabilities", "family_contacts")
        )
        reference = person.reference
    events = list(
        CustodyEvent.objects.filter(person__in=persons)
        .select_related("facility")
        .order_by("occurred_on", "id")
    )
    consents = {p.pk: {c.consent for c in p.family_contacts.all()} for p in persons}
    return CaseFacts(reference, persons, group is not None, events, consents)


def naming_allowed(*, user: User | None, person: Person, consents: set[str], audience: str) -> bool:
    """A legal name goes into a letter only if every family contact on record allows
    naming to this audience (at least one must have been asked) and the user may see
    identities of this case."""
    if user is None:
        return False
    allowing = CONSENTS_ALLOWING[Audience(audience)]
    if not consents or not consents <= allowing:
        return False
    return can_reveal_identity(user, person)


def _legal_name(person: Person, language: str) -> str:
    localised = getattr(person, f"legal_name_{language}", "") if language != "en" else ""
    return localised or person.legal_name


def _latest(events: list[CustodyEvent], person: Person) -> CustodyEvent | None:
    """The event of the person's stored current status (``CurrentStatus``): the one rule
    of what a person's status is, not a second one worked out here."""
    current = getattr(person, "current", None)
    if current is None:
        return None
    return next((e for e in events if e.pk == current.event_id), None)


def _composition(persons: list[Person]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for p in persons:
        if p.age_band == AgeBand.INFANT:
            counts["babies"] += 1
        elif p.age_band == AgeBand.CHILD:
            counts["children"] += 1
        elif p.sex == Sex.FEMALE:
            counts["women"] += 1
        elif p.sex == Sex.MALE:
            counts["men"] += 1
        else:
            counts["others"] += 1
    return counts


def _place(event: CustodyEvent | None, language: str) -> tuple[str, str]:
    if event is None:
        return "", ""
    if event.facility_id:
        facility = event.facility
        # The letter's language, not the reader's: never ``Facility.display_name``, which
        # follows the interface language.
        name = getattr(facility, f"name_{language}", "") or facility.name_en
        return name, wording.province_words(facility.province, language)
    return event.place, ""


def case_deadline(facts: CaseFacts) -> datetime.date | None:
    """The planned transfer or return date carried by the latest event, earliest of all
    members for a group (the most urgent one)."""
    dates = [
        latest.planned_on
        for p in facts.persons
        if (latest := _latest(facts.events, p)) is not None and latest.planned_on
    ]
    return min(dates) if dates else None


def deadline_default(facts: CaseFacts, today: datetime.date | None = None):
    """ "Please act before" the planned date, unless that date has already passed."""
    planned = case_deadline(facts)
    today = today or timezone.localdate()
    return planned if planned is not None and planned >= today else None


def letter_context(
    *,
    facts: CaseFacts,
    recipient: Recipient,
    language: str,
    user: User | None,
    legal_bases: list[str],
    deadline: datetime.date | None,
    additional_facts: str = "",
    today: datetime.date | None = None,
) -> tuple[dict, bool]:
    """The plain-value context for one letter, and whether it names someone."""
    today = today or timezone.localdate()
    persons = facts.persons
    latest_events = [e for p in persons if (e := _latest(facts.events, p)) is not None]
    latest_event = max(latest_events, key=lambda e: (e.occurred_on, e.id), default=None)
    detentions = [e for e in facts.events if e.status == Status.DETAINED]
    first_detention = detentions[0] if detentions else None

    named = False
    name = pseudonym = ""
    sex = age = ""
    if not facts.is_group and persons:
        person = persons[0]
        pseudonym = name = person.pseudonym
        if naming_allowed(
            user=user,
            person=person,
            consents=facts.consents.get(person.pk, set()),
            audience=recipient.audience,
        ) and _legal_name(person, language):
            name, named = _legal_name(person, language), True
        sex = {
            "en": {Sex.FEMALE: "woman", Sex.MALE: "man"},
            "ko": {Sex.FEMALE: "여성", Sex.MALE: "남성"},
            "zh": {Sex.FEMALE: "女性", Sex.MALE: "男性"},
        }[language].get(person.sex, "")
        age = str(today.year - person.birth_year) if person.birth_year else ""

    kinds = Counter(v.kind for p in persons for v in p.vulnerabilities.all())
    vulnerabilities = [
        wording.vulnerability_words(k, n, language) for k, n in sorted(kinds.items())
    ]
    composition = _composition(persons)
    facility, province = _place(latest_event, language)
    detained_place, _ = _place(first_detention, language)
    planned = case_deadline(facts)
    status = (
        wording.status_words(latest_event.status, language)
        if latest_event
        else wording.status_words(Status.UNKNOWN, language)
    )
    previous = (
        Letter.objects.filter(
            recipient=recipient,
            status__in=[
                LetterStatus.SENT,
                LetterStatus.RESPONSE_RECEIVED,
                LetterStatus.NO_RESPONSE,
            ],
        )
        .filter(
            **(
                {"group__reference": facts.reference}
                if facts.is_group
                else {"person__reference": facts.reference}
            )
        )
        .order_by("sent_on")
        .values_list("sent_on", flat=True)
        .first()
    )
    context = {
        "reference": facts.reference,
        "is_group": facts.is_group,
        "name": name,
        "named": named,
        "pseudonym": pseudonym,
        "group_size": len(persons),
        "people": wording.people_words(len(persons), language),
        "composition": wording.composition_words(composition, language),
        "sex": sex,
        "age": age,
        "vulnerabilities": vulnerabilities,
        "vulnerabilities_text": wording.list_words(vulnerabilities, language),
        "children": composition["children"] + composition["babies"],
        "current_status": status,
        "facility": facility,
        "province": province,
        "detained_on": wording.date_words(
            first_detention.occurred_on if first_detention else None,
            first_detention.date_precision if first_detention else "",
            language,
        ),
        "detained_place": detained_place,
        "planned_on": wording.date_words(planned, "day", language),
        "deadline": wording.date_words(deadline, "day", language),
        "legal_bases": [wording.LEGAL_BASIS[b][language] for b in legal_bases],
        "additional_facts": additional_facts.strip(),
        "latest_note": latest_event.note if latest_event else "",
        "previous_letter_on": wording.date_words(previous, "day", language),
        "recipient_title": recipient.title_in(language),
        "recipient_institution": recipient.institution_in(language),
        "today": wording.date_words(today, "day", language),
    }
    return context, named
