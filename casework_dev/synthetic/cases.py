"""Synthetic case records at scale, for ``seed_synthetic`` and ``make bench``.

The data is shaped like the real thing: groups of 2 to 20 people detained together who
later diverge, timelines of 3 to 30 custody events with mixed date precision, facilities
across the border provinces (Jilin, Liaoning, Heilongjiang) and Yunnan, vulnerabilities,
assigned caseworkers on several teams, and identities encrypted with the same keys and
the same ``encrypt``/``blind_index`` functions the model fields use. It is deterministic
for a seed and a closing date (``until``): the same arguments give the same people,
groups and timelines (Fernet tokens are randomised, so the ciphertext differs, not the
plaintext).

Why bulk inserts bypass ``services.custody_event_record``: the service validates one
event against the database and inserts it with a row lock, a history bump and hooks on
commit, which is right for a caseworker and far too slow for the millions of events a
seed writes. Here the rows are written with ``COPY`` (PostgreSQL) or ``executemany``
(SQLite) in batches instead, and the generator produces only timelines that the service
would have accepted in order: dates never in the future and stored at the start of their
precision window, never decreasing along a timeline, a return always names a source, a
transfer always names a facility or a place and only follows a custody status, a
planned date never precedes its event, and a group event lands only on members of the
group. ``tests/casework_dev/synthetic/test_cases.py`` replays a synthetic data set through the
service to prove it. No history rows are written (they would only double the tables
that no page reads in bulk), and no reminders: the sweep writes those from the rules.
Other apps add their own rows about the new cases through ``seeded_hooks`` (letters).
"""

import datetime
import random
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group as AuthGroup
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from casework.accounts.enums import Role
from casework.accounts.models import Team, User
from casework.cases.bulk import rows_insert
from casework.cases.encryption import blind_index, encrypt
from casework.cases.enums import (
    AgeBand,
    Confidence,
    Country,
    DatePrecision,
    Reliability,
    Sex,
    SourceKind,
    Status,
    Vulnerability,
)
from casework.cases.models import (
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    CurrentStatus,
    CustodyEvent,
    Facility,
    Group,
    GroupMembership,
    Person,
    PersonVulnerability,
    Source,
    StatusTally,
    TransitionTally,
)
from casework.cases.services import current_status_rebuild, date_normalise
from casework.cases.tallies import Counted, TallyLoad, vulnerability_bit

# (English name, Chinese name, city, province, border / repatriation point, lat, lon)
FACILITIES: tuple[tuple[str, str, str, str, bool, float, float], ...] = (
    ("Tumen border detention facility", "图们边防拘留所", "Tumen", "Jilin", True, 42.97, 129.84),
    ("Yanji detention centre", "延吉看守所", "Yanji", "Jilin", False, 42.89, 129.51),
    ("Helong detention centre", "和龙看守所", "Helong", "Jilin", True, 42.54, 129.01),
    ("Longjing detention centre", "龙井看守所", "Longjing", "Jilin", False, 42.77, 129.43),
    (
        "Hunchun border detention facility",
        "珲春边防拘留所",
        "Hunchun",
        "Jilin",
        True,
        42.87,
        130.36,
    ),
    ("Changbai detention centre", "长白看守所", "Changbai", "Jilin", True, 41.42, 128.20),
    ("Baishan public security detention", "白山拘留所", "Baishan", "Jilin", False, 41.94, 126.42),
    ("Ji'an border station", "集安边防站", "Ji'an", "Jilin", True, 41.12, 126.19),
    (
        "Dandong border detention facility",
        "丹东边防拘留所",
        "Dandong",
        "Liaoning",
        True,
        40.13,
        124.39,
    ),
    (
        "Suizhong county detention centre",
        "绥中县看守所",
        "Suizhong",
        "Liaoning",
        False,
        40.33,
        120.34,
    ),
    ("Shenyang detention centre", "沈阳看守所", "Shenyang", "Liaoning", False, 41.80, 123.43),
    ("Kuandian detention centre", "宽甸看守所", "Kuandian", "Liaoning", False, 40.73, 124.78),
    ("Harbin detention centre", "哈尔滨看守所", "Harbin", "Heilongjiang", False, 45.80, 126.53),
    (
        "Mudanjiang detention centre",
        "牡丹江看守所",
        "Mudanjiang",
        "Heilongjiang",
        False,
        44.55,
        129.63,
    ),
    ("Jixi detention centre", "鸡西看守所", "Jixi", "Heilongjiang", False, 45.30, 130.97),
    (
        "Xishuangbanna detention centre",
        "西双版纳看守所",
        "Jinghong",
        "Yunnan",
        False,
        22.01,
        100.80,
    ),
    ("Mengla border station", "勐腊边防站", "Mengla", "Yunnan", False, 21.48, 101.56),
    ("Kunming detention centre", "昆明看守所", "Kunming", "Yunnan", False, 25.04, 102.71),
)

HOME_TOWNS = (
    "Hoeryong",
    "Musan",
    "Hyesan",
    "Chongjin",
    "Onsong",
    "Namyang",
    "Sinuiju",
    "Kimchaek",
    "Hamhung",
    "Pyongsong",
    "Kanggye",
    "Saetbyol",
)
SURNAMES = (
    ("Kim", "김"),
    ("Ri", "리"),
    ("Park", "박"),
    ("Choe", "최"),
    ("Jong", "정"),
    ("Kang", "강"),
    ("Jo", "조"),
    ("Yun", "윤"),
    ("Jang", "장"),
    ("Han", "한"),
    ("Hwang", "황"),
    ("An", "안"),
    ("Song", "송"),
    ("Ryu", "류"),
)
SYLLABLES = (
    ("Min", "민"),
    ("Ji", "지"),
    ("Song", "성"),
    ("Hyon", "현"),
    ("Yong", "영"),
    ("Su", "수"),
    ("Jin", "진"),
    ("Hye", "혜"),
    ("Un", "은"),
    ("Chol", "철"),
    ("Myong", "명"),
    ("Ok", "옥"),
    ("Gyong", "경"),
    ("Nam", "남"),
    ("Il", "일"),
    ("Chun", "춘"),
    ("Hui", "희"),
    ("Sun", "순"),
)
PSEUDONYM_WORDS = (
    "Azalea",
    "Magnolia",
    "Pine",
    "Willow",
    "Crane",
    "Magpie",
    "Heron",
    "Lotus",
    "Plum",
    "Birch",
    "Swallow",
    "Maple",
    "Cedar",
    "Iris",
    "Lark",
    "Orchid",
    "River",
    "Juniper",
    "Camellia",
    "Sparrow",
)
NUMBER_WORDS = (
    "",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
)
FREE_PLACES = (
    "a police station near Hunchun",
    "a hotel in Shenyang (held by police)",
    "a border post on the Tumen river",
    "a military base near Dandong",
    "a bus checkpoint near Kunming",
    "a police station in Harbin",
)
TEAMS = ("North", "South", "East", "West")
# A fifth of the units are groups; with groups of six on average, that puts about 60% of
# people in a group and gives 100,000 groups per 1,000,000 people.
GROUP_SHARE = 0.2
# One group in ten is "eight people, and at least two others": a few more people were
# detained with it whom no record names. Taken from the group's id, not drawn from the
# random stream, so that a seed's people and timelines stay as they were.
UNIDENTIFIED_OTHERS_EVERY = 10

# Where a status tends to lead next, as relative weights; ``deceased`` ends a timeline.
TRANSITIONS: dict[str, tuple[tuple[str, int], ...]] = {
    Status.AT_LARGE: (
        (Status.DETAINED, 60),
        (Status.AT_LARGE, 10),
        (Status.IN_SAFE_COUNTRY, 15),
        (Status.DISAPPEARED, 5),
        (Status.UNKNOWN, 10),
    ),
    Status.DETAINED: (
        (Status.DETAINED, 30),
        (Status.TRANSFERRED, 25),
        (Status.AT_RISK_OF_RETURN, 20),
        (Status.RETURNED, 10),
        (Status.RELEASED, 8),
        (Status.UNKNOWN, 4),
        (Status.DISAPPEARED, 2),
        (Status.DECEASED, 1),
    ),
    Status.TRANSFERRED: (
        (Status.DETAINED, 25),
        (Status.TRANSFERRED, 15),
        (Status.AT_RISK_OF_RETURN, 30),
        (Status.RETURNED, 20),
        (Status.RELEASED, 5),
        (Status.UNKNOWN, 5),
    ),
    Status.AT_RISK_OF_RETURN: (
        (Status.AT_RISK_OF_RETURN, 15),
        (Status.RETURNED, 55),
        (Status.TRANSFERRED, 10),
        (Status.RELEASED, 10),
        (Status.IN_SAFE_COUNTRY, 5),
        (Status.UNKNOWN, 5),
    ),
    Status.RETURNED: (
        (Status.RETURNED, 40),
        (Status.DISAPPEARED, 25),
        (Status.UNKNOWN, 20),
        (Status.AT_LARGE, 10),
        (Status.DECEASED, 5),
    ),
    Status.RELEASED: (
        (Status.AT_LARGE, 40),
        (Status.IN_SAFE_COUNTRY, 40),
        (Status.DETAINED, 15),
        (Status.UNKNOWN, 5),
    ),
    Status.IN_SAFE_COUNTRY: ((Status.IN_SAFE_COUNTRY, 1),),
    Status.DISAPPEARED: (
        (Status.DISAPPEARED, 50),
        (Status.UNKNOWN, 20),
        (Status.RETURNED, 20),
        (Status.DECEASED, 10),
    ),
    Status.UNKNOWN: (
        (Status.UNKNOWN, 30),
        (Status.DETAINED, 30),
        (Status.AT_LARGE, 20),
        (Status.DISAPPEARED, 20),
    ),
}
PRECISIONS = (
    (DatePrecision.DAY, 70),
    (DatePrecision.MONTH, 15),
    (DatePrecision.APPROXIMATE, 10),
    (DatePrecision.YEAR, 5),
)
CONFIDENCES = ((Confidence.CONFIRMED, 30), (Confidence.REPORTED, 55), (Confidence.UNVERIFIED, 15))

# The columns written, checked against the models so a new field fails loudly here
# instead of being silently left out of the synthetic data.
PERSON_COLUMNS = (
    "id",
    "reference",
    "pseudonym",
    "legal_name",
    "legal_name_ko",
    "legal_name_zh",
    "legal_name_index",
    "date_of_birth",
    "home_town",
    "identity_notes",
    "sex",
    "age_band",
    "birth_year",
    "restricted",
    "follow_up_on",
    "archived_at",
    "created_at",
    "updated_at",
    "version",
)
GROUP_COLUMNS = (
    "id",
    "reference",
    "name",
    "notes",
    "unidentified_others",
    "archived_at",
    "created_at",
    "updated_at",
    "version",
)
MEMBERSHIP_COLUMNS = ("id", "group_id", "person_id", "added_at")
VULNERABILITY_COLUMNS = ("id", "person_id", "kind", "detail")
ASSIGNMENT_COLUMNS = ("id", "person_id", "user_id")
EVENT_COLUMNS = (
    "id",
    "person_id",
    "group_id",
    "status",
    "occurred_on",
    "date_precision",
    "facility_id",
    "place",
    "source_id",
    "confidence",
    "planned_on",
    "note",
    "recorded_by_id",
    "recorded_at",
)

Row = tuple


def _weighted(choices: Sequence[tuple[str, int]]) -> tuple[list[str], list[int]]:
    values, cumulative, total = [], [], 0
    for value, weight in choices:
        total += weight
        values.append(value)
        cumulative.append(total)
    return values, cumulative


_TRANSITIONS = {status: _weighted(options) for status, options in TRANSITIONS.items()}
_TRANSITIONS_ALIVE = {
    status: _weighted([(s, w) for s, w in options if s != Status.DECEASED])
    for status, options in TRANSITIONS.items()
}
_PRECISIONS = _weighted(PRECISIONS)
_CONFIDENCES = _weighted(CONFIDENCES)


def _pick(rng: random.Random, weighted: tuple[list[str], list[int]]) -> str:
    """``rng.choices(...)[0]`` without its overhead: this runs ten million times."""
    values, cumulative = weighted
    return values[bisect_right(cumulative, rng.random() * cumulative[-1])]


@dataclass
class SeedReport:
    persons: int = 0
    groups: int = 0
    memberships: int = 0
    events: int = 0
    vulnerabilities: int = 0
    seconds: float = 0.0
    # Rows other apps wrote about these cases (``seeded_hooks``), by what they are.
    others: dict[str, int] = field(default_factory=dict)
    # Seconds of each step after the rows are written, in order.
    phases: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Seeded:
    """What one seeding wrote, for the apps that add their own rows about those cases."""

    rng: random.Random
    persons: range  # their ids
    groups: range
    until: datetime.date


# Apps that keep records about cases (letters) add theirs for the cases just seeded and
# return {what: rows written}. They register in their AppConfig.ready, as with the
# services' hooks, so this module imports none of them.
seeded_hooks: list[Callable[[Seeded], dict[str, int]]] = []


@dataclass
class _Context:
    """What the generator draws from: ids of the rows made once, before the batches."""

    facilities: list[Facility]
    border_facilities: list[Facility]
    inland_facilities: list[Facility]
    source_ids: list[int]
    caseworker_ids: list[int]
    until: datetime.date
    aware: bool
    references: set[str]
    next_id: dict[str, int]


class _Batch:
    """Rows for one batch of people, in the order the tables must be written."""

    def __init__(self) -> None:
        self.groups: list[Row] = []
        self.persons: list[Row] = []
        self.memberships: list[Row] = []
        self.assignments: list[Row] = []
        self.vulnerabilities: list[Row] = []
        self.events: list[Row] = []


class Generator:
    """Draws people, groups and timelines from one ``random.Random``: same seed, same data."""

    def __init__(self, rng: random.Random, ctx: _Context) -> None:
        self.rng = rng
        self.ctx = ctx

    # --- ids and references ---------------------------------------------------------

    def _id(self, table: str) -> int:
        value = self.ctx.next_id[table]
        self.ctx.next_id[table] = value + 1
        return value

    def _reference(self, prefix: str) -> str:
        choice = self.rng.choice
        while True:
            ref = (
                prefix + "-" + "".join(choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
            )
            if ref not in self.ctx.references:
                self.ctx.references.add(ref)
                return ref

    def _datetime(self, day: datetime.date, hour: int = 12) -> datetime.datetime:
        value = datetime.datetime(day.year, day.month, day.day, hour, 0)
        if self.ctx.aware:
            value = value.replace(tzinfo=datetime.UTC)
        return value

    # --- people -----------------------------------------------------------------------

    def person(self, batch: _Batch, *, created: datetime.date) -> int:
        rng = self.rng
        pk = self._id("person")
        surname_en, surname_ko = rng.choice(SURNAMES)
        (a_en, a_ko), (b_en, b_ko) = rng.choice(SYLLABLES), rng.choice(SYLLABLES)
        legal_name = f"{surname_en} {a_en}-{b_en.lower()}"
        sex = rng.choices((Sex.FEMALE, Sex.MALE, Sex.UNKNOWN), cum_weights=(70, 95, 100))[0]
        age = rng.choices(
            (1, rng.randint(2, 17), rng.randint(18, 59), rng.randint(60, 80), -1),
            cum_weights=(2, 14, 88, 94, 100),
        )[0]
        if age < 0:
            age_band, birth_year, dob = AgeBand.UNKNOWN, None, None
        else:
            age_band = (
                AgeBand.INFANT
                if age < 2
                else AgeBand.CHILD
                if age < 18
                else AgeBand.ADULT
                if age < 60
                else AgeBand.ELDERLY
            )
            birth_year = created.year - age
            dob = (
                datetime.date(birth_year, rng.randint(1, 12), rng.randint(1, 28))
                if rng.random() < 0.5
                else None
            )
        has_identity = rng.random() < 0.85
        restricted = rng.random() < 0.02
        archived = self._datetime(self.ctx.until) if rng.random() < 0.03 else None
        follow_up = (
            self.ctx.until + datetime.timedelta(days=rng.randint(-10, 30))
            if rng.random() < 0.05
            else None
        )
        created_at = self._datetime(created, 9)
        batch.persons.append(
            (
                pk,
                self._reference("P"),
                f"{rng.choice(PSEUDONYM_WORDS)} {rng.randint(1, 9999)}",
                encrypt(legal_name) if has_identity else "",
                encrypt(f"{surname_ko}{a_ko}{b_ko}") if has_identity else "",
                "",
                blind_index(legal_name) if has_identity else "",
                encrypt(dob.isoformat()) if dob else None,
                encrypt(rng.choice(HOME_TOWNS)) if has_identity and rng.random() < 0.6 else "",
                "",
                sex,
                age_band,
                birth_year,
                restricted,
                follow_up,
                archived,
                created_at,
                created_at,
                0,
            )
        )
        caseworkers = [rng.choice(self.ctx.caseworker_ids)]
        if rng.random() < 0.15:
            second = rng.choice(self.ctx.caseworker_ids)
            if second != caseworkers[0]:
                caseworkers.append(second)
        for user_id in caseworkers:
            batch.assignments.append((self._id("assignment"), pk, user_id))
        kinds = []
        if age_band == AgeBand.CHILD:
            kinds.append((Vulnerability.CHILD, f"{age} years old"))
        elif age_band == AgeBand.INFANT:
            kinds.append((Vulnerability.INFANT, rng.choice(("born in detention", "under two"))))
        elif age_band == AgeBand.ELDERLY:
            kinds.append((Vulnerability.ELDERLY, f"{age} years old"))
        if sex == Sex.FEMALE and age_band == AgeBand.ADULT:
            if rng.random() < 0.04:
                kinds.append((Vulnerability.PREGNANT, ""))
            if rng.random() < 0.12:
                kinds.append((Vulnerability.TRAFFICKING_VICTIM, "sold to a farmer"))
        if rng.random() < 0.04:
            kinds.append((Vulnerability.SERIOUS_ILLNESS, "needs treatment"))
        for kind, detail in kinds:
            batch.vulnerabilities.append((self._id("vulnerability"), pk, kind, detail))
        return pk

    # --- timelines --------------------------------------------------------------------

    def _dates(
        self, start: datetime.date, n: int
    ) -> list[tuple[datetime.date, datetime.date, str]]:
        """``n`` (raw date, stored date, precision), sorted by stored date, none after ``until``."""
        rng = self.rng
        room = max((self.ctx.until - start).days, 0)
        span = min(room, int(rng.expovariate(1 / 400)) + 7 * n)
        dates = []
        for _ in range(n):
            raw = start + datetime.timedelta(days=int(rng.random() * (span + 1)))
            precision = _pick(rng, _PRECISIONS)
            dates.append((raw, date_normalise(raw, precision), precision))
        dates.sort(key=lambda d: d[1])
        return dates

    @staticmethod
    def _not_before(dates, floor: datetime.date):
        """Move dates up to ``floor`` (the end of a group's shared opening). A date whose
        precision window would still start before it becomes an exact day, since the
        service stores the window's first day and a timeline must not go backwards."""
        moved = []
        for raw, stored, precision in dates:
            if stored < floor:
                raw = max(raw, floor)
                if date_normalise(raw, precision) < floor:
                    precision = DatePrecision.DAY
                stored = date_normalise(raw, precision)
            moved.append((raw, stored, precision))
        moved.sort(key=lambda d: d[1])
        return moved

    def _event_details(self, status: str, raw: datetime.date):
        """(facility, place, source_id, planned_on) fitting ``status`` and the rules."""
        rng = self.rng
        facility = place = None
        planned_on = None
        if status in (Status.DETAINED, Status.TRANSFERRED):
            if status == Status.TRANSFERRED and rng.random() < 0.1:
                place = rng.choice(FREE_PLACES)
            else:
                facility = rng.choice(
                    self.ctx.border_facilities
                    if rng.random() < 0.25
                    else self.ctx.inland_facilities
                )
            if rng.random() < 0.05:
                planned_on = raw + datetime.timedelta(days=rng.randint(3, 60))
        elif status == Status.AT_RISK_OF_RETURN:
            facility = rng.choice(self.ctx.border_facilities)
            if rng.random() < 0.5:
                planned_on = raw + datetime.timedelta(days=rng.randint(2, 30))
        source_id = (
            rng.choice(self.ctx.source_ids)
            if status == Status.RETURNED or rng.random() < 0.7
            else None
        )
        return facility, place or "", source_id, planned_on

    def _next_status(self, status: str | None, last: bool) -> str:
        if status is None:
            return Status.DETAINED if self.rng.random() < 0.7 else Status.AT_LARGE
        if status == Status.DECEASED:
            return Status.DECEASED
        return _pick(self.rng, (_TRANSITIONS if last else _TRANSITIONS_ALIVE)[status])

    def _event(
        self, batch, *, person_ids, group_id, status, raw, stored, precision, recorded_by
    ) -> None:
        rng = self.rng
        facility, place, source_id, planned_on = self._event_details(status, raw)
        confidence = _pick(rng, _CONFIDENCES)
        lag = datetime.timedelta(days=int(rng.random() * 21))
        recorded_at = self._datetime(min(raw + lag, self.ctx.until), 6 + int(rng.random() * 17))
        facility_id = facility.pk if facility else None
        for person_id in person_ids:
            batch.events.append(
                (
                    self._id("event"),
                    person_id,
                    group_id,
                    status,
                    stored,
                    precision,
                    facility_id,
                    place,
                    source_id,
                    confidence,
                    planned_on,
                    "",
                    recorded_by,
                    recorded_at,
                )
            )

    def _timeline_length(self) -> int:
        return min(30, 3 + int(self.rng.expovariate(1 / 6)))

    def _start(self) -> datetime.date:
        rng = self.rng
        # A fifth of the cases are recent (the last year), the rest spread over twenty.
        days_back = rng.randint(0, 365) if rng.random() < 0.2 else rng.randint(0, 20 * 365)
        return self.ctx.until - datetime.timedelta(days=days_back)

    def timeline(
        self, batch: _Batch, person_ids: list[int], group_id: int | None, start: datetime.date
    ) -> None:
        """One shared opening for the group (recorded once for all members), then each
        member's own story: members of a group diverge after the first events."""
        rng = self.rng
        recorded_by = rng.choice(self.ctx.caseworker_ids)
        status = None
        shared = rng.randint(1, 3) if group_id else 0
        opening = self._dates(start, shared) if shared else []
        for raw, stored, precision in opening:
            status = self._next_status(status, last=False)
            self._event(
                batch,
                person_ids=person_ids,
                group_id=group_id,
                status=status,
                raw=raw,
                stored=stored,
                precision=precision,
                recorded_by=recorded_by,
            )
        if opening:
            start = opening[-1][0]
        for person_id in person_ids:
            n = self._timeline_length() - shared
            own = self._dates(start, n)
            if opening:
                own = self._not_before(own, opening[-1][1])
            current = status
            for i, (raw, stored, precision) in enumerate(own):
                current = self._next_status(current, last=i == len(own) - 1)
                self._event(
                    batch,
                    person_ids=[person_id],
                    group_id=None,
                    status=current,
                    raw=raw,
                    stored=stored,
                    precision=precision,
                    recorded_by=recorded_by,
                )
                if current == Status.DECEASED:
                    break

    # --- groups -----------------------------------------------------------------------

    def group_size(self) -> int:
        return min(20, 2 + int(self.rng.expovariate(1 / 4)))

    def unit(self, batch: _Batch, size: int) -> int:
        """A group of ``size`` people (or one person alone when ``size`` is 1)."""
        rng = self.rng
        created = self._start()
        person_ids = [self.person(batch, created=created) for _ in range(size)]
        group_id = None
        if size > 1:
            group_id = self._id("group")
            facility = rng.choice(self.ctx.facilities)
            name = f"{facility.city} group of {NUMBER_WORDS[size]} ({created.strftime('%B %Y')})"
            created_at = self._datetime(created, 9)
            every = UNIDENTIFIED_OTHERS_EVERY
            others = 1 + group_id // every % 4 if group_id % every == 0 else 0
            batch.groups.append(
                (group_id, self._reference("G"), name, "", others, None, created_at, created_at, 0)
            )
            for person_id in person_ids:
                batch.memberships.append((self._id("membership"), group_id, person_id, created_at))
        self.timeline(batch, person_ids, group_id, created)
        return size


# --- writing ------------------------------------------------------------------------


def columns_check(
    model: type[models.Model],
    columns: Iterable[str],
    where: str = "casework_dev/synthetic/cases.py",
) -> None:
    """A new field fails the seeding loudly instead of being left out of its rows."""
    actual = {f.column for f in model._meta.concrete_fields}
    if actual != set(columns):
        raise RuntimeError(
            f"seed_synthetic is out of date for {model._meta.label}: the table has "
            f"{sorted(actual ^ set(columns))} that the generator does not write (or the "
            f"reverse). Update {where}."
        )


_ASSIGNMENT_MODEL = Person.assigned_caseworkers.through
TABLES = (
    (Group, GROUP_COLUMNS, "groups"),
    (Person, PERSON_COLUMNS, "persons"),
    (GroupMembership, MEMBERSHIP_COLUMNS, "memberships"),
    (_ASSIGNMENT_MODEL, ASSIGNMENT_COLUMNS, "assignments"),
    (PersonVulnerability, VULNERABILITY_COLUMNS, "vulnerabilities"),
    (CustodyEvent, EVENT_COLUMNS, "events"),
)


def _write_batch(batch: _Batch) -> None:
    with transaction.atomic():
        for model, columns, attr in TABLES:
            rows_insert(model, columns, getattr(batch, attr))


def _gazetteer() -> list[Facility]:
    facilities = []
    for name_en, name_zh, city, province, border, lat, lon in FACILITIES:
        facility, _ = Facility.objects.get_or_create(
            name_en=name_en,
            province=province,
            defaults={
                "name_zh": name_zh,
                "city": city,
                "border_point": border,
                "country": Country.CHINA,
                "latitude": lat,
                "longitude": lon,
            },
        )
        facilities.append(facility)
    return facilities


def _sources(rng: random.Random, n: int, references: set[str]) -> list[int]:
    kinds = [k for k, _ in SourceKind.choices]
    reliabilities = [r for r, _ in Reliability.choices]
    rows = []
    for i in range(n):
        while True:
            ref = "S-" + "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
            if ref not in references:
                references.add(ref)
                break
        kind = rng.choice(kinds)
        rows.append(
            Source(
                reference=ref,
                kind=kind,
                reliability=rng.choice(reliabilities),
                label=f"synthetic {kind.replace('_', ' ')} {i + 1}",
                identity=f"Contact {i + 1} in Seoul",
            )
        )
    Source.objects.bulk_create(rows, batch_size=1000)
    return list(Source.objects.filter(label__startswith="synthetic ").values_list("pk", flat=True))


def _caseworkers(n: int) -> list[int]:
    return synthetic_accounts(Role.CASEWORKER, "synthetic-caseworker", n, teams=TEAMS)


def synthetic_accounts(role: Role, prefix: str, n: int, *, teams: Sequence[str] = ()) -> list[int]:
    """``n`` accounts of a role, named ``prefix-0001`` on, spread over ``teams``; made once
    and found again by name. Their password is unusable: synthetic accounts never log in."""
    teams_made = [Team.objects.get_or_create(name=name)[0] for name in teams]
    password = make_password(None)
    wanted = [f"{prefix}-{i + 1:04d}" for i in range(n)]
    existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    User.objects.bulk_create(
        [
            User(
                username=name,
                password=password,
                is_staff=True,
                team=teams_made[i % len(teams_made)] if teams_made else None,
            )
            for i, name in enumerate(wanted)
            if name not in existing
        ]
    )
    users = list(User.objects.filter(username__in=wanted).order_by("username"))
    AuthGroup.objects.get(name=role).user_set.add(*users)
    return [u.pk for u in users]


def _next_ids() -> dict[str, int]:
    def after(model) -> int:
        return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    return {
        "person": after(Person),
        "group": after(Group),
        "membership": after(GroupMembership),
        "assignment": after(_ASSIGNMENT_MODEL),
        "vulnerability": after(PersonVulnerability),
        "event": after(CustodyEvent),
    }


def _person_column(name: str) -> int:
    return PERSON_COLUMNS.index(name)


def _event_column(name: str) -> int:
    return EVENT_COLUMNS.index(name)


# What the tallies read of a person and of an event, by position in the written rows.
_PERSON_TALLIED = tuple(map(_person_column, ("id", "sex", "age_band", "restricted", "archived_at")))
_EVENT_ORDER = tuple(map(_event_column, ("occurred_on", "id")))
_EVENT_PERSON = _event_column("person_id")
_EVENT_TALLIED = tuple(
    map(
        _event_column,
        ("occurred_on", "status", "facility_id", "planned_on", "confidence", "date_precision"),
    )
)


def _tally_batch(batch: _Batch, tallies: TallyLoad) -> None:
    """Count the people of ``batch`` from the rows just written, in the timeline order
    of the current-status rule (day, then the event recorded last)."""
    masks: dict[int, int] = {}
    for _, person_id, kind, _ in batch.vulnerabilities:
        masks[person_id] = masks.get(person_id, 0) | vulnerability_bit(kind)
    timelines: dict[int, list[tuple]] = {}
    day_at, id_at = _EVENT_ORDER
    for row in sorted(batch.events, key=lambda row: (row[day_at], row[id_at])):
        timelines.setdefault(row[_EVENT_PERSON], []).append(tuple(row[i] for i in _EVENT_TALLIED))
    for pk, sex, age_band, restricted, archived_at in (
        tuple(row[i] for i in _PERSON_TALLIED) for row in batch.persons
    ):
        person = Counted(
            timeline=timelines.get(pk, []), mask=masks.get(pk, 0), sex=sex, age_band=age_band
        )
        tallies.add(person, restricted=restricted, archived=archived_at is not None)


def _generate(generator, rng, persons, batch_persons, report, progress, tallies) -> None:
    done = 0
    while done < persons:
        batch = _Batch()
        target = min(persons, done + batch_persons)
        while done < target:
            size = generator.group_size() if rng.random() < GROUP_SHARE else 1
            done += generator.unit(batch, min(size, target - done))
        _write_batch(batch)
        _tally_batch(batch, tallies)
        report.persons += len(batch.persons)
        report.groups += len(batch.groups)
        report.memberships += len(batch.memberships)
        report.events += len(batch.events)
        report.vulnerabilities += len(batch.vulnerabilities)
        if progress:
            progress(done, persons)


def _postgres_defer_indexes() -> list[str]:
    """On a first load into PostgreSQL, drop the plain indexes and the foreign keys of the
    tables written, and return the statements that restore them. Django's foreign keys
    are deferred, so each copied row would queue a check run at commit (five per event);
    re-adding a foreign key checks the whole table in one join, and building an index
    once from sorted data is several times cheaper than updating it row by row. Primary
    keys and unique constraints stay, so duplicates are still refused as rows land."""
    if (
        connection.vendor != "postgresql"
        or not connection.get_autocommit()
        or CustodyEvent.objects.exists()
    ):
        return []
    tables = [model._meta.db_table for model, _, _ in TABLES]
    quote = connection.ops.quote_name
    restore = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
            "FROM pg_constraint c WHERE c.contype = 'f' "
            "AND c.conrelid::regclass::text = ANY(%s)",
            [tables],
        )
        for table, name, definition in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            restore.append(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [tables],
        )
        for name, definition in cursor.fetchall():
            cursor.execute("DROP INDEX " + quote(name))
            restore.insert(0, definition)  # indexes first: they speed up the key checks
        cursor.execute("SET synchronous_commit = off")
    return restore


def _postgres_restore_indexes(statements: list[str]) -> None:
    if not statements:
        return
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for statement in statements:
            cursor.execute(statement)
        cursor.execute("RESET maintenance_work_mem")
        cursor.execute("RESET synchronous_commit")


@contextmanager
def _phase(report: SeedReport, listener, name: str):
    started = time.perf_counter()
    yield
    report.phases[name] = time.perf_counter() - started
    if listener:
        listener(name, report.phases[name])


def _statistics() -> None:
    """Reset the sequences past the copied ids and give the planner fresh statistics."""
    if connection.vendor == "postgresql":
        models_written = [model for model, _, _ in TABLES] + [
            CurrentStatus,
            StatusTally,
            TransitionTally,
        ]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models_written):
                cursor.execute(sql)
            # VACUUM when allowed (not in a transaction): a fresh bulk load has no
            # visibility map, so counts cannot use index-only scans and the first reads
            # of every page rewrite it to set hint bits.
            command = "VACUUM (ANALYZE)" if connection.get_autocommit() else "ANALYZE"
            for model in models_written:
                cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
    elif connection.vendor == "sqlite" and connection.get_autocommit():
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def seed(
    *,
    persons: int,
    seed: int = 1,
    until: datetime.date | None = None,
    batch_persons: int = 5000,
    progress: Callable[[int, int], None] | None = None,
    phase: Callable[[str, float], None] | None = None,
) -> SeedReport:
    """Add ``persons`` synthetic people (with groups and timelines) to the database.

    ``progress`` hears (done, total) as batches land; ``phase`` hears each later step's
    name and seconds, since on a large seed those steps take long too.
    """
    started = time.perf_counter()
    for model, columns, _ in TABLES:
        columns_check(model, columns)
    # Reproducible synthetic data, not secrets.
    rng = random.Random(seed)  # noqa: S311  # nosec B311
    until = until or datetime.date.today()
    facilities = _gazetteer()
    references = set(Person.objects.values_list("reference", flat=True))
    references |= set(Group.objects.values_list("reference", flat=True))
    references |= set(Source.objects.values_list("reference", flat=True))
    ctx = _Context(
        facilities=facilities,
        border_facilities=[f for f in facilities if f.border_point],
        inland_facilities=[f for f in facilities if not f.border_point],
        source_ids=_sources(rng, max(20, persons // 500), references),
        caseworker_ids=_caseworkers(max(8, persons // 2500)),
        until=until,
        aware=connection.vendor != "sqlite",
        references=references,
        next_id=_next_ids(),
    )
    generator = Generator(rng, ctx)
    first_person, first_group = ctx.next_id["person"], ctx.next_id["group"]
    report = SeedReport()
    if connection.vendor == "sqlite" and connection.get_autocommit():
        with connection.cursor() as cursor:
            # Synthetic data can be rebuilt; do not wait for the disk on every batch.
            cursor.execute("PRAGMA synchronous = OFF")
    tallies = TallyLoad()
    deferred = _postgres_defer_indexes()
    try:
        _generate(generator, rng, persons, batch_persons, report, progress, tallies)
    finally:
        if deferred:
            with _phase(report, phase, "indexes and foreign keys restored"):
                _postgres_restore_indexes(deferred)
    # The timelines were written past the service, so their current status is set here,
    # by the same rebuild `rebuild_current_status` runs; the tallies were counted from
    # the rows as they were written, by the rule `rebuild_board_tallies` uses.
    with _phase(report, phase, "current status derived"):
        current_status_rebuild()
    with _phase(report, phase, "board tallies written"):
        tallies.save()
    seeded = Seeded(
        rng,
        range(first_person, ctx.next_id["person"]),
        range(first_group, ctx.next_id["group"]),
        until,
    )
    for hook in seeded_hooks:
        with _phase(report, phase, f"{hook.__module__.rsplit('.', 1)[-1]} written"):
            report.others.update(hook(seeded))
    with _phase(report, phase, "statistics gathered"):
        _statistics()
    report.seconds = time.perf_counter() - started
    return report
