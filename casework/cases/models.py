import functools
import secrets
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext, npgettext, pgettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.cases.encryption import (
    EncryptedCharField,
    EncryptedDateField,
    EncryptedTextField,
    blind_index,
)
from casework.cases.enums import (
    STATUS_SHORT,
    AgeBand,
    Confidence,
    Consent,
    Country,
    DatePrecision,
    Reliability,
    Sex,
    SourceKind,
    SpokenLanguage,
    Status,
    Vulnerability,
)
from casework.cases.places import (
    facility_display_name,
    facility_display_with_province,
    place_now,
    place_now_display,
    province_display,
)
from casework.cases.state import IN_CUSTODY, at_risk_when, stale_limits

# No 0/O, 1/I/L: references are read out on the phone and typed on small keyboards.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6
# "At least N others": more than this is a typing slip, not a group detained together.
UNIDENTIFIED_OTHERS_MAX = 10_000


def reference_generate(prefix: str) -> str:
    """A random reference, so that one reference tells nothing about another."""
    return (
        prefix + "-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    )


class ReferencedModel(models.Model):
    reference_prefix = ""

    # Source, Person and Group declare it again with its translated name.
    reference = models.CharField(max_length=12, unique=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.reference:
            manager = type(self)._default_manager
            self.reference = reference_generate(self.reference_prefix)
            while manager.filter(reference=self.reference).exists():
                self.reference = reference_generate(self.reference_prefix)
        super().save(*args, **kwargs)


LATITUDE_OUTSIDE = _("A latitude lies between −90 and 90 degrees (north is positive).")
LONGITUDE_OUTSIDE = _("A longitude lies between −180 and 180 degrees (east is positive).")


class Facility(models.Model):
    """A gazetteer entry; ``border_point`` marks places from which returns happen."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    province = models.CharField(_("province"), max_length=100, blank=True, db_index=True)
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, default=Country.CHINA
    )
    # A position off the globe puts the facility on no map: refused, with the range.
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal(-90), message=LATITUDE_OUTSIDE),
            MaxValueValidator(Decimal(90), message=LATITUDE_OUTSIDE),
        ],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal(-180), message=LONGITUDE_OUTSIDE),
            MaxValueValidator(Decimal(180), message=LONGITUDE_OUTSIDE),
        ],
    )
    border_point = models.BooleanField(
        _("border / repatriation point"),
        default=False,
        help_text=_("Returns happen from here: a person placed here is at risk of return."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["province", "name_en"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [
            models.UniqueConstraint(fields=["name_en", "province"], name="facility_unique_name")
        ]

    def __str__(self) -> str:
        return facility_display_with_province(self.display_name, self.province)

    @property
    def display_name(self) -> str:
        """The name in the reader's script: Korean → ``name_ko`` when recorded, else the
        English name (``places.facility_display_name``)."""
        return facility_display_name(self.name_en, self.name_ko, self.name_zh)

    @property
    def province_display(self) -> str:
        """The province in the reader's language ("Jilin" → 지린성): ``places``."""
        return province_display(self.province)


class Source(ReferencedModel):
    """Who reported. The identity is as sensitive as a detainee's and is never exported."""

    reference_prefix = "S"
    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)

    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    reliability = models.CharField(
        _("reliability"), max_length=20, choices=Reliability.choices, default=Reliability.UNTESTED
    )
    label = models.CharField(
        _("label"),
        max_length=100,
        blank=True,
        help_text=_("A non-identifying description shown in lists, e.g. 'rescue network A'."),
    )
    identity = EncryptedCharField(_("identity"), blank=True, max_length=300)
    # Who recorded the source: until it informs a case, the only caseworker who may
    # reveal its identity (``permissions.can_reveal_source_identity``).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["reference"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        label = self.label or self.get_kind_display()
        return f"{label} ({self.reference})"


def at_risk_condition() -> Q:
    """On any Person queryset: the rule for imminent risk of return (stored current status)."""
    return at_risk_when(
        status="current__status",
        at_border_point=Q(current__facility__border_point=True),
        planned=Q(current__planned_on__isnull=False),
    )


def stale_condition(today: date | None = None, among: Iterable[str] | None = None) -> Q:
    """On any Person queryset: no news for longer than the status allows.

    Never heard of (no event, so no stored row) is stale too. ``among`` names the only
    statuses the queryset holds, so that the condition keeps to their index ranges.
    """
    today = today or timezone.localdate()
    limits = stale_limits()
    statuses = set(limits if among is None else among)
    # Never heard of reads "unknown"; without it, start from a condition nobody meets.
    condition = Q(current__isnull=True) if Status.UNKNOWN in statuses else Q(pk__in=[])
    for status, days in limits.items():
        if status in statuses:
            condition |= Q(
                current__status=status, current__occurred_on__lt=today - timedelta(days=days)
            )
    return condition


def stale_heard_before(among: Iterable[str] | None = None, today: date | None = None):
    """A day before which everyone stale among these statuses was last heard (the
    shortest period's cutoff), so that a walk in last-heard order can start there; None
    when none of them goes stale."""
    days = [d for status, d in stale_limits().items() if among is None or status in among]
    return (today or timezone.localdate()) - timedelta(days=min(days)) if days else None


def stale_on(
    status: str, last_heard_on: date | None, day: date, limits: dict[str, int] | None = None
) -> bool:
    """``stale_condition`` for one person: their current status and last news, or none.
    ``limits``: the staleness limits when the caller read them already."""
    if last_heard_on is None:
        return True
    days = (limits if limits is not None else stale_limits()).get(status)
    return days is not None and last_heard_on < day - timedelta(days=days)


def assignments_of_user_or_team(user) -> models.QuerySet:
    """The assignment rows (person, caseworker) of ``user`` and of everyone on their team."""
    assignments = Person.assigned_caseworkers.through.objects.all()
    if user.team_id:
        return assignments.filter(Q(user_id=user.pk) | Q(user__team_id=user.team_id))
    return assignments.filter(user_id=user.pk)


# The case search finds a term this long anywhere in a pseudonym, a shorter one at its start.
SEARCH_ANYWHERE_FROM = 3


class PersonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def with_current(self):
        """Annotate what the latest custody event says: status, place, last heard.

        Read from the stored ``CurrentStatus`` row (one join, indexable) rather than
        derived from the timeline on every request; a person never heard of reads
        ``unknown`` with no date.
        """
        if "current_status" in self.query.annotations:
            return self
        return self.annotate(
            current_status=Coalesce(F("current__status"), Value(Status.UNKNOWN.value)),
            current_facility_id=F("current__facility_id"),
            current_place=F("current__place"),
            current_facility_name=F("current__facility__name_en"),
            current_facility_name_ko=F("current__facility__name_ko"),
            current_province=F("current__facility__province"),
            current_country=F("current__facility__country"),
            arrest_province=F("current__arrest_facility__province"),
            current_border_point=F("current__facility__border_point"),
            current_planned_on=F("current__planned_on"),
            current_confidence=F("current__confidence"),
            last_heard_on=F("current__occurred_on"),
            last_heard_precision=F("current__date_precision"),
        )

    def with_status_as_of(self, day: date):
        """Annotate ``status_as_of``: what the person's latest event on or before ``day``
        said (by ``occurred_on``, then ``id``, as ``CurrentStatus``); None when nothing
        was recorded by then.

        Figures published "as of" a date must not move when later news is recorded. For
        a person whose latest news is not after ``day``, it is the stored current status;
        only the others read their timeline (one index probe on ``event_latest_idx``).
        """
        on_timeline = (
            CustodyEvent.objects.filter(person=OuterRef("pk"), occurred_on__lte=day)
            .order_by("-occurred_on", "-id")
            .values("status")[:1]
        )
        return self.annotate(
            status_as_of=Case(
                When(current__occurred_on__lte=day, then=F("current__status")),
                default=Subquery(on_timeline),
            )
        )

    def in_status(self, *statuses: str):
        known = Q(current__status__in=statuses)
        if Status.UNKNOWN in statuses:
            known |= Q(current__isnull=True)
        return self.with_current().filter(known)

    def at_risk(self):
        """At imminent risk: marked so, or held at a border point, or a return date known."""
        return self.with_current().filter(at_risk_condition())

    def stale(self, today: date | None = None, among: Iterable[str] | None = None):
        """No news for longer than the current status allows."""
        return self.with_current().filter(stale_condition(today, among))

    def with_flags(self, today: date | None = None):
        """Annotate ``is_at_risk`` and ``is_stale`` with the same rules as the filters."""
        # CASE rather than a bare boolean: SQL's NULL must read as "no", not "unknown".
        return self.with_current().annotate(
            is_at_risk=Case(When(at_risk_condition(), then=True), default=False),
            is_stale=Case(When(stale_condition(today), then=True), default=False),
        )

    def assigned_to_user_or_team(self, user):
        """Cases assigned to ``user`` or to anyone on ``user``'s team.

        ``IN`` the assignments rather than a correlated ``EXISTS``: SQLite ran the
        EXISTS for every case (even for a coordinator with no case of their own) where it
        now reads the few assignments and fetches their cases by id."""
        return self.filter(pk__in=assignments_of_user_or_team(user).values("person_id"))

    def matching(self, text: str):
        """The case search: a reference (any case), or a part of the pseudonym; a term
        shorter than ``SEARCH_ANYWHERE_FROM`` letters, the pseudonym's start.

        References are stored in capitals, so the exact match uses the unique index; the
        pseudonym uses the trigram index on PostgreSQL (migration 0008), which finds
        three letters anywhere but one or two only at a word's start: "contains 'qz'"
        reads the whole index where "begins with 'qz'" reads a few of its entries."""
        if len(text) >= SEARCH_ANYWHERE_FROM:
            name = Q(pseudonym__icontains=text)
        else:
            name = Q(pseudonym__istartswith=text)
        return self.filter(Q(reference=text.upper()) | name)

    def with_vulnerability(self, kind: str):
        return self.filter(
            Exists(PersonVulnerability.objects.filter(person=OuterRef("pk"), kind=kind))
        )

    def with_legal_name(self, name: str):
        """Exact-match search on the encrypted legal name, through its blind index."""
        digest = blind_index(name)
        return self.filter(legal_name_index=digest) if digest else self.none()


class Person(ReferencedModel):
    reference_prefix = "P"
    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    # Fields shown only to roles that may reveal identities, and logged when shown.
    IDENTITY_FIELDS = (
        "legal_name",
        "legal_name_ko",
        "legal_name_zh",
        "date_of_birth",
        "home_town",
        "identity_notes",
    )

    pseudonym = models.CharField(
        _("pseudonym"), max_length=100, help_text=_("The name everyone sees.")
    )
    legal_name = EncryptedCharField(_("legal name (Latin)"), blank=True, max_length=200)
    legal_name_ko = EncryptedCharField(_("legal name (Korean)"), blank=True, max_length=200)
    legal_name_zh = EncryptedCharField(_("legal name (Chinese)"), blank=True, max_length=200)
    legal_name_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    date_of_birth = EncryptedDateField(_("date of birth"), blank=True, null=True)
    home_town = EncryptedCharField(_("home town in North Korea"), blank=True, max_length=200)
    identity_notes = EncryptedTextField(_("notes on identity"), blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    age_band = models.CharField(
        _("age band"), max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN
    )
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    assigned_caseworkers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="assigned_persons",
        verbose_name=_("assigned caseworkers"),
    )
    restricted = models.BooleanField(
        _("restricted"),
        default=False,
        help_text=_("Only the assigned caseworkers may open a restricted case."),
    )
    follow_up_on = models.DateField(
        _("follow up on"), null=True, blank=True, help_text=_("A reminder falls due on this day.")
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Bumped by every write to the case (``services``), so a form opened earlier can tell
    # it is stale; ``legal_name_index`` is kept there too.
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[assigned_caseworkers])

    class Meta:
        ordering = ["pseudonym", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        # Lists read people in this order a page at a time; the index lets the database
        # stop after one page instead of sorting everyone.
        indexes = [models.Index(fields=["pseudonym", "id"], name="person_list_idx")]
        permissions = [
            ("view_identity", _("Can reveal identifying data")),
            ("view_all_cases", _("Can see every unrestricted case")),
            ("assign_caseworker", _("Can assign caseworkers")),
            ("archive_person", _("Can archive cases")),
            ("follow_case", _("Can be assigned cases to follow")),
            ("receive_escalations", _("Receives escalations and the reminders nobody follows")),
        ]

    def __str__(self) -> str:
        return f"{self.pseudonym} ({self.reference})"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def current_facility_display(self) -> str:
        """The current facility's name in the reader's script, from ``with_current()``."""
        return facility_display_name(
            getattr(self, "current_facility_name", ""),
            getattr(self, "current_facility_name_ko", ""),
        )

    @property
    def current_province_display(self) -> str:
        """The current facility's province in the reader's language, from
        ``with_current()``: shown beside the facility's name."""
        return province_display(getattr(self, "current_province", ""))

    @property
    def place_now(self) -> str:
        """Where the person is now, by the board's one rule (``places.place_now``):
        returned, the country reached, or the province, from ``with_current()``; blank
        when not known."""
        return place_now(
            getattr(self, "current_status", None),
            getattr(self, "current_province", ""),
            getattr(self, "current_country", ""),
        )

    @property
    def place_now_display(self) -> str:
        """``place_now``, or "Unknown place" (``places.place_now_display``)."""
        return place_now_display(
            getattr(self, "current_status", None),
            getattr(self, "current_province", ""),
            getattr(self, "current_country", ""),
        )

    @property
    def arrest_province_display(self) -> str:
        """The province of the facility where the latest custody episode began, in the
        reader's language, from ``with_current()``; blank when not known."""
        return province_display(getattr(self, "arrest_province", ""))


class PersonVulnerability(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="vulnerabilities", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Vulnerability.choices)
    detail = models.CharField(
        _("detail"),
        max_length=200,
        blank=True,
        help_text=_("e.g. '14 years old', 'born in detention'."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]
        verbose_name = _("vulnerability")
        verbose_name_plural = _("vulnerabilities")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="vulnerability_once")
        ]

    def __str__(self) -> str:
        return self.get_kind_display() + (f" ({self.detail})" if self.detail else "")


class GroupQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def with_first_detention(self):
        """Annotate ``first_detained_on``: the day of the first custody event recorded
        for the group as a whole, else of the first one of any member, or None. The
        group's own record comes first: a member's earlier, separate detention is not
        the day the group was caught. Two correlated aggregates on indexed columns (the
        event's group, the member's events), so a list of groups costs one query."""
        in_custody = Q(status__in=IN_CUSTODY)
        together = (
            CustodyEvent.objects.filter(in_custody, group=OuterRef("pk"))
            .order_by()
            .values("group")
            .annotate(first=Min("occurred_on"))
            .values("first")
        )
        of_members = (
            CustodyEvent.objects.filter(in_custody, person__memberships__group=OuterRef("pk"))
            .order_by()
            .values("person__memberships__group")
            .annotate(first=Min("occurred_on"))
            .values("first")
        )
        return self.annotate(first_detained_on=Coalesce(Subquery(together), Subquery(of_members)))

    def unidentified_detained_between(self, start: date | None, stop: date | None):
        """Active groups with unidentified others first detained within [``start``,
        ``stop``] (either end open when None; ``with_first_detention``).

        Unidentified others count as detained on the day their group was first detained;
        their fate is unknown.
        """
        groups = self.active().filter(unidentified_others__gt=0)
        groups = groups.with_first_detention()
        # One condition: each lookup would repeat the annotation's subqueries.
        if start is not None and stop is not None:
            return groups.filter(first_detained_on__range=(start, stop))
        if start is not None:
            return groups.filter(first_detained_on__gte=start)
        if stop is not None:
            return groups.filter(first_detained_on__lte=stop)
        return groups.filter(first_detained_on__isnull=False)

    def with_rollup(self, persons: "models.QuerySet[Person] | None" = None):
        """Annotate, per status, how many members are in it now (``n_<status>``).

        ``persons`` limits the count to the members a user may see, so a roll-up never
        reveals a restricted case.
        """
        # No ordering: GroupMembership's default one would join groups and people here.
        memberships = GroupMembership.objects.filter(group=OuterRef("pk")).order_by()
        if persons is not None:
            # EXISTS on the member's row, not ``person__in``: see groups_visible_to.
            memberships = memberships.filter(
                Exists(persons.order_by().filter(pk=OuterRef("person_id")))
            )
        annotations = {
            "n_members": Coalesce(
                Subquery(
                    memberships.values("group").annotate(n=Count("pk")).values("n"),
                    output_field=IntegerField(),
                ),
                Value(0),
            )
        }
        for status in Status:
            members_in_status = (
                memberships.annotate(
                    status=Coalesce(F("person__current__status"), Value(Status.UNKNOWN.value))
                )
                .filter(status=status)
                .values("group")
                .annotate(n=Count("pk"))
                .values("n")
            )
            annotations[f"n_{status}"] = Coalesce(
                Subquery(members_in_status, output_field=IntegerField()), Value(0)
            )
        return self.annotate(**annotations)


class Group(ReferencedModel):
    """People detained together; members can diverge, so its status is a roll-up."""

    reference_prefix = "G"
    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)

    name = models.CharField(
        _("name"), max_length=200, help_text=_("e.g. 'Suizhong group of eight'.")
    )
    members = models.ManyToManyField(
        Person, through="GroupMembership", related_name="groups", verbose_name=_("members")
    )
    notes = models.TextField(_("notes"), blank=True)
    unidentified_others = models.PositiveIntegerField(
        _("at least this many others, unidentified"),
        default=0,
        help_text=_(
            "People detained with the group whom no record names (“and at least two "
            "others”). They count towards the “at least” figures, never as "
            "identified people."
        ),
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = GroupQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        indexes = [models.Index(fields=["name", "id"], name="group_list_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(unidentified_others__lte=UNIDENTIFIED_OTHERS_MAX),
                name="group_unidentified_others_capped",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.reference})"

    def members_counted(self, members: Iterable[Person]) -> None:
        """Set the roll-up from members already read with ``with_current()``, as
        ``with_rollup()`` would: a page that lists every visible member has them at hand,
        and twelve counting subqueries cost more than the rest of the page."""
        counts = Counter(member.current_status for member in members)
        self.n_members = sum(counts.values())
        for status in Status:
            setattr(self, f"n_{status.value}", counts[status.value])

    @property
    def status_counts(self) -> dict[str, int]:
        """Members per status, from ``with_rollup()`` annotations or ``members_counted``
        (most frequent first)."""
        counts = {s.value: getattr(self, f"n_{s.value}", 0) for s in Status}
        return dict(sorted(((k, v) for k, v in counts.items() if v), key=lambda kv: -kv[1]))

    @property
    def rollup(self) -> str:
        """'6 detained, 2 returned and at least 3 others, unidentified' — the form
        coordinators read and publish. The unidentified others come last and apart: no
        record names them, so no status of theirs is known."""
        parts = [
            pgettext("group roll-up: a number of members and their status", "%(count)s %(status)s")
            % {"count": n, "status": STATUS_SHORT[status]}
            for status, n in self.status_counts.items()
        ]
        members = ", ".join(parts)
        if not self.unidentified_others:
            return members or gettext("no members")
        others = npgettext(
            "group roll-up: people detained with the group whom no record names",
            "at least %(count)s other, unidentified",
            "at least %(count)s others, unidentified",
            self.unidentified_others,
        ) % {"count": self.unidentified_others}
        if not members:
            return others
        return pgettext(
            "group roll-up: the members' statuses, then the unidentified others",
            "%(members)s and %(others)s",
        ) % {"members": members, "others": others}


class GroupMembership(models.Model):
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("group")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "person__pseudonym"]
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        constraints = [models.UniqueConstraint(fields=["group", "person"], name="membership_once")]

    def __str__(self) -> str:
        return gettext("%(person)s in %(group)s") % {"person": self.person, "group": self.group}


class CustodyEventQuerySet(models.QuerySet):
    def timeline(self):
        return self.select_related("facility", "source", "recorded_by", "group").order_by(
            "occurred_on", "id"
        )

    def custody_episode_starts(self):
        """The events that start a custody episode: a new detention.

        An event in custody (``IN_CUSTODY``: detained, transferred, at risk of return)
        whose previous event on the person's timeline (ordered by ``occurred_on``, then
        ``id``, as ``timeline``) is not in custody or does not exist: an arrest after
        being at large, released or of unknown fate, or a person's first record. A
        transfer or an at-risk move within the same episode is not one, so each
        detention is counted once, on the day it began, and consecutive periods add up
        to the whole.

        The previous event is a correlated subquery served by ``event_latest_idx``
        (person, -occurred_on, -id): one index probe per event looked at, no sort.
        """
        return (
            self.filter(status__in=IN_CUSTODY)
            .with_previous_status()
            .exclude(previous_status__in=IN_CUSTODY)
        )

    def with_previous_status(self):
        """Alias ``previous_status``: the status of the event before each one on the
        person's timeline ("" for a first record), so that a change of status can be
        told from news that repeats it."""
        previous = (
            CustodyEvent.objects.filter(person=OuterRef("person"))
            # Written so the index serves it as a range, newest first, with no sort:
            # (person, occurred_on <= day) in index order, skipping the same day's
            # events from this one on.
            .filter(occurred_on__lte=OuterRef("occurred_on"))
            .filter(Q(occurred_on__lt=OuterRef("occurred_on")) | Q(id__lt=OuterRef("id")))
            .order_by("-occurred_on", "-id")
            .values("status")[:1]
        )
        return self.alias(previous_status=Coalesce(Subquery(previous), Value("")))


class CustodyEvent(models.Model):
    """One entry of a person's append-only custody timeline.

    Written only by ``services.custody_event_record``; a correction is a new event.
    ``occurred_on`` holds the first day of its precision window ("March 2017" is
    2017-03-01 with precision ``month``).
    """

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="custody_events", verbose_name=_("person")
    )
    group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="custody_events",
        verbose_name=_("group"),
        help_text=_("Set when the event was recorded once for the whole group."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    occurred_on = models.DateField(_("occurred on"))
    date_precision = models.CharField(
        _("date precision"), max_length=12, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    facility = models.ForeignKey(
        Facility,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="custody_events",
        verbose_name=_("facility"),
    )
    place = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("Free-text place when no facility fits."),
    )
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="custody_events",
        verbose_name=_("source"),
    )
    confidence = models.CharField(
        _("confidence"), max_length=12, choices=Confidence.choices, default=Confidence.REPORTED
    )
    planned_on = models.DateField(_("planned transfer or return date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    objects = CustodyEventQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name = _("custody event")
        verbose_name_plural = _("custody events")
        indexes = [
            models.Index(fields=["person", "-occurred_on", "-id"], name="event_latest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person.reference}: {self.get_status_display()} ({self.date_display})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Custody events are append-only; record a new event instead.")
        super().save(*args, **kwargs)

    @property
    def date_display(self) -> str:
        return date_with_precision(self.occurred_on, self.date_precision)


class CurrentStatus(models.Model):
    """What a person's latest custody event says, kept beside the timeline.

    Derived data, stored so that lists, counts and filters on the current status are
    indexed look-ups instead of a search for the latest event of every person. Written
    only by ``services.current_status_refresh`` (which ``custody_event_record`` calls in
    its transaction) and ``services.current_status_rebuild`` (``rebuild_current_status``);
    it holds facts copied from the event, never verdicts such as "stale", and province
    and border point stay on the facility so editing the gazetteer leaves no stale copy.
    A person never heard of has no row.
    """

    person = models.OneToOneField(
        Person, primary_key=True, on_delete=models.CASCADE, related_name="current"
    )
    event = models.OneToOneField(CustodyEvent, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices)
    occurred_on = models.DateField(_("last heard"))
    date_precision = models.CharField(max_length=12, choices=DatePrecision.choices)
    facility = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(max_length=200, blank=True)
    planned_on = models.DateField(null=True, blank=True)
    confidence = models.CharField(max_length=12, choices=Confidence.choices)
    # Where the person's latest custody episode began (the facility of its first event,
    # ``CustodyEvent.objects.custody_episode_starts()``): the place of arrest, kept
    # beside the place now because a return goes through a border post in another
    # province. Null when never in custody, or when that event names no facility.
    arrest_facility = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Copied from the event, in this order, by the refresh and the rebuild alike.
    EVENT_FIELDS = (
        "status",
        "occurred_on",
        "date_precision",
        "facility_id",
        "place",
        "planned_on",
        "confidence",
    )

    class Meta:
        verbose_name = _("current status")
        verbose_name_plural = _("current statuses")
        indexes = [
            models.Index(fields=["status", "occurred_on"], name="current_status_idx"),
            models.Index(fields=["facility", "status"], name="current_facility_idx"),
            # The board's list and stale panel walk this instead of sorting everyone.
            models.Index(fields=["occurred_on", "person"], name="current_heard_idx"),
            models.Index(
                fields=["planned_on"],
                name="current_planned_idx",
                condition=Q(planned_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.status} ({self.occurred_on})"

    @classmethod
    def from_event(cls, event: CustodyEvent) -> "CurrentStatus":
        """The row of ``event``'s person; the event carries ``arrest_facility_id`` as an
        annotation (``services._current_events``)."""
        fields = {name: getattr(event, name) for name in cls.EVENT_FIELDS}
        return cls(
            person_id=event.person_id,
            event_id=event.pk,
            arrest_facility_id=event.arrest_facility_id,
            **fields,
        )


def date_with_precision(value: date | None, precision: str) -> str:
    """'12 Mar 2017', 'March 2017', '2017' or 'around March 2017', in the active
    language's formats (DATE_FORMAT, YEAR_MONTH_FORMAT): '2017년 3월 12일', '2017년 3월'."""
    if value is None:
        return gettext("date unknown")
    return _date_with_precision(value, precision, get_language())


# Lists show the same few dates on many rows, and a localised date costs a translated
# month name each time; the active language is part of the key.
@functools.lru_cache(maxsize=4096)
def _date_with_precision(value: date, precision: str, language: str | None) -> str:
    if precision == DatePrecision.YEAR:
        return pgettext("a year alone, as a date", "%(year)s") % {"year": value.year}
    if precision == DatePrecision.MONTH:
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    if precision == DatePrecision.APPROXIMATE:
        return gettext("around %(date)s") % {
            "date": formats.date_format(value, "YEAR_MONTH_FORMAT")
        }
    return formats.date_format(value, "DATE_FORMAT")


class FamilyContact(models.Model):
    """A relative or contact, with the consent they gave for naming."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="family_contacts", verbose_name=_("person")
    )
    relation = models.CharField(_("relation"), max_length=50, help_text=_("e.g. 'sister', 'son'."))
    name = EncryptedCharField(_("name"), blank=True, max_length=200)
    contact_channel = EncryptedCharField(
        _("contact channel"), blank=True, max_length=300, help_text=_("Phone, messenger or email.")
    )
    language = models.CharField(
        _("language"), max_length=8, choices=SpokenLanguage.choices, default=SpokenLanguage.KOREAN
    )
    consent = models.CharField(
        _("consent"), max_length=20, choices=Consent.choices, default=Consent.PRIVATE
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "relation"]
        verbose_name = _("family contact")
        verbose_name_plural = _("family contacts")

    def __str__(self) -> str:
        return gettext("%(relation)s of %(person)s") % {
            "relation": self.relation,
            "person": self.person.reference,
        }


# The columns that make a tally row; a row's ``n`` counts the people who share them.
# A person's current state, which board filters select on, leads both keys.
TALLY_STATE_KEY = ("status", "facility_key", "planned", "vulnerabilities", "ever_detained", "stale")
# The place of arrest is in the status tallies only: the charts' changes do not need it.
STATUS_TALLY_KEY = (*TALLY_STATE_KEY, "unclear", "sex", "age_band", "arrest_key")
TRANSITION_TALLY_KEY = ("scope", *TALLY_STATE_KEY, "month", "before", "after")


class StatusTally(models.Model):
    """How many counted people share one combination of what the board filters and counts.

    Kept so that the board's headline, province panel and list size are sums over a few
    thousand rows instead of a pass over every person. Counted people are open
    (unarchived) cases that are not restricted; restricted cases are counted from their
    records for the few users who may see them. Written only by ``casework.cases.tallies``
    (kept by the same code paths that change a person, rebuilt by
    ``rebuild_board_tallies``). ``status`` is blank for a person never heard of, and
    ``facility_key`` is the current facility's id, 0 for none (a plain number, so the
    unique key never holds NULL); ``arrest_key`` likewise the facility where the latest
    custody episode began (``CurrentStatus.arrest_facility``).
    """

    status = models.CharField(max_length=20, blank=True)
    facility_key = models.PositiveIntegerField()
    planned = models.BooleanField(help_text="The latest event gives a planned date.")
    vulnerabilities = models.PositiveIntegerField(help_text="One bit per Vulnerability.")
    ever_detained = models.BooleanField()
    stale = models.BooleanField(help_text="No news for too long, as of the day in TallyDay.")
    unclear = models.BooleanField(help_text="A detention record unverified or dated loosely.")
    sex = models.CharField(max_length=10)
    age_band = models.CharField(max_length=10)
    arrest_key = models.PositiveIntegerField(
        help_text="The facility of the latest arrest; 0 for none."
    )
    n = models.IntegerField()

    KEY = STATUS_TALLY_KEY

    class Meta:
        constraints = [models.UniqueConstraint(fields=STATUS_TALLY_KEY, name="status_tally_key")]
        indexes = [models.Index(fields=["n"], name="status_tally_empty", condition=Q(n=0))]

    def __str__(self) -> str:
        return f"{self.status or 'never heard of'} at {self.facility_key}: {self.n}"


class TransitionTally(models.Model):
    """How many counted people changed from one status to another in a month.

    A person's first event counts as a change from no status (blank ``before``). Each
    change is kept in several scopes, so that every board view sums few rows: ``all``
    (key columns neutral: the unfiltered board), ``state`` (the person's current status,
    facility, planned date, ever detained), one scope per vulnerability the person has
    (named after it, key columns neutral), ``arrest`` (the facility where the person's
    latest custody episode began in ``facility_key``, the other key columns neutral: for
    views of a province of arrest; people arrested at no known facility are not in it),
    and ``full`` (state and vulnerabilities: for views that filter on both). Staleness
    belongs to the state. The month-by-month chart is the current counts minus the
    changes after each month's end.
    """

    ALL, STATE, FULL, ARREST = "all", "state", "full", "arrest"

    scope = models.CharField(max_length=20)
    status = models.CharField(max_length=20, blank=True)
    facility_key = models.PositiveIntegerField()
    planned = models.BooleanField()
    vulnerabilities = models.PositiveIntegerField()
    ever_detained = models.BooleanField()
    stale = models.BooleanField()
    month = models.DateField(help_text="First day of the month of the later event.")
    before = models.CharField(max_length=20, blank=True)
    after = models.CharField(max_length=20)
    n = models.IntegerField()

    KEY = TRANSITION_TALLY_KEY

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=TRANSITION_TALLY_KEY, name="transition_tally_key")
        ]
        indexes = [
            models.Index(fields=["scope", "month"], name="transition_tally_month"),
            # A chart filtered on status and facility (at risk in a province) reads its
            # months from this index alone, without visiting the table.
            models.Index(
                fields=["scope", "status", "facility_key", "month"],
                include=["planned", "before", "after", "n"],
                name="transition_tally_chart",
            ),
            models.Index(fields=["n"], name="transition_tally_empty", condition=Q(n=0)),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.before or 'first news'} → {self.after}: {self.n}"


class TallyDay(models.Model):
    """The day on which the tallies judge staleness (one row).

    Staleness changes with the clock, not with a write. The tallies hold it as of this
    day, and ``tallies_roll`` moves the people whose silence crossed a limit since:
    the nightly task does, or else the first board of the day.
    """

    day = models.DateField()

    def __str__(self) -> str:
        return f"staleness as of {self.day}"
