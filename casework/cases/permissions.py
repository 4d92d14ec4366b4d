"""Who may see which case. Every view, admin page, export, letter and task asks here.

Rules (docs/security.md and docs/architecture.md say where they are used):
- a restricted case is visible only to its assigned caseworkers, whatever the role;
- roles with ``cases.view_all_cases`` (coordinators, advocates, administrators) see
  every other case;
- a caseworker sees the cases assigned to them or to a member of their team;
- a group is visible when at least one of its members is.
A case a user may not see is answered with 404, never 403, so a reference tells
nothing about whether it exists. Each such refusal of a well-formed reference is written
to the access log, the same whether the case exists or not.
"""

import re

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from casework.accounts import roles
from casework.accounts.enums import AccessAction
from casework.accounts.models import User
from casework.accounts.services import access_log_record
from casework.cases.encryption import encrypted_fields
from casework.cases.models import (
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    FamilyContact,
    Group,
    GroupMembership,
    Person,
    Source,
    assignments_of_user_or_team,
)

_Assignment = Person.assigned_caseworkers.through
# A caseload up to this many cases is fetched by id rather than walked (``my_cases``).
MY_CASES_BY_ID = 1_000


def _assigned_to(users_filter: Q):
    return Exists(_Assignment.objects.filter(users_filter, person_id=OuterRef("pk")))


def sees_every_unrestricted_case(user: User) -> bool:
    """Whether ``user`` sees every open case that is not restricted (the board tallies'
    people), so that only their visible restricted cases need counting one by one."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.has_perm(roles.VIEW_ALL_CASES)


def restricted_visible_to(user: User, queryset: QuerySet[Person]) -> QuerySet[Person]:
    """The restricted cases in ``queryset`` that ``user`` may see, found from the user's
    assignments (a handful) rather than by reading every case; for users who
    ``sees_every_unrestricted_case``, with the same rule as ``persons_visible_to``."""
    restricted = queryset.filter(restricted=True)
    if user.is_superuser:
        return restricted
    # Read the few ids first: as a subquery the planner may walk every case in the view.
    mine = list(_Assignment.objects.filter(user=user).values_list("person_id", flat=True))
    # None assigned (most coordinators): an empty queryset, which callers can skip.
    return restricted.filter(pk__in=mine) if mine else queryset.none()


def persons_visible_to(user: User, queryset: QuerySet[Person] | None = None) -> QuerySet[Person]:
    queryset = Person.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    mine = _assigned_to(Q(user_id=user.pk))
    if user.has_perm(roles.VIEW_ALL_CASES):
        return queryset.filter(Q(restricted=False) | mine)
    if not user.has_perm(roles.VIEW_PERSON):
        return queryset.none()
    if user.team_id is None:
        return queryset.filter(mine)
    teams = _assigned_to(Q(user__team_id=user.team_id))
    return queryset.filter(mine | (Q(restricted=False) & teams))


def my_cases(user: User, queryset: QuerySet[Person] | None = None) -> QuerySet[Person]:
    """The cases assigned to ``user`` or to their team that ``user`` may see.

    A caseload of up to ``MY_CASES_BY_ID`` cases is fetched by id: the database reads
    those few and sorts them, where walking the whole list in order to find them is
    slow on a large database. A larger one (a team that follows most cases) is
    walked in list order instead, a page's worth at a time; for a caseworker it is every
    case they see, so the team's assignments are not gathered again for it.
    """
    visible = persons_visible_to(user, queryset)
    assigned = assignments_of_user_or_team(user).values_list("person_id", flat=True)
    # Not DISTINCT: two of a team on one case only make the caseload look larger here.
    ids = list(assigned.order_by()[: MY_CASES_BY_ID + 1])
    if not ids:
        # Empty for certain (a coordinator follows no case of their own): said so, so
        # that a list need not build its queries to find it out.
        return visible.none()
    if len(ids) <= MY_CASES_BY_ID:
        return visible.filter(pk__in=set(ids))
    if sees_every_unrestricted_case(user):
        return visible.assigned_to_user_or_team(user)
    return visible


def groups_visible_to(user: User, queryset: QuerySet[Group] | None = None) -> QuerySet[Group]:
    queryset = Group.objects.all() if queryset is None else queryset
    # A correlated EXISTS on the member's own row, not ``person__in=<all visible people>``:
    # SQLite rebuilds an IN list inside a correlated subquery for every group, which made
    # the group list quadratic in the number of people.
    visible_person = persons_visible_to(user).filter(pk=OuterRef("person_id"))
    visible_members = GroupMembership.objects.filter(group_id=OuterRef("pk")).filter(
        Exists(visible_person)
    )
    return queryset.filter(Exists(visible_members))


def groups_of_person_shown(person: Person) -> QuerySet[Group]:
    """The groups of a person the caller has just shown through ``person_for_user``:
    each has that member, so each is visible to whoever sees the person."""
    return Group.objects.filter(memberships__person=person)


_WELL_FORMED = re.compile(rf"[A-Z]-[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}")


def reference_is_well_formed(reference: str, *, prefix: str) -> bool:
    """Whether ``reference`` has the shape of those the application draws for ``prefix``
    (``P-7K3QXM``). Anything else names no record: it is answered 404 without a query
    (PostgreSQL refuses some characters outright) and is not written to the log."""
    return reference.startswith(f"{prefix}-") and _WELL_FORMED.fullmatch(reference) is not None


def case_refusal_record(*, user: User, reference: str, detail: str = "") -> None:
    """Log that ``user`` asked for ``reference`` and got a 404, if it is well-formed.

    Called for a case that does not exist and for one the user may not see alike: the
    entry must not tell someone reading the log (a coordinator probing references) more
    than the 404 told them.
    """
    access_log_record(user=user, action=AccessAction.REFUSED, reference=reference, detail=detail)


def _visible_case(user: User, reference: str, visible: QuerySet, *, prefix: str):
    if not reference_is_well_formed(reference, prefix=prefix):
        raise Http404(_("No such case."))
    try:
        return visible.get(reference=reference)
    except visible.model.DoesNotExist as exc:
        case_refusal_record(user=user, reference=reference)
        raise Http404(_("No such case.")) from exc


def person_for_user(user: User, reference: str, queryset: QuerySet[Person] | None = None) -> Person:
    """The person with ``reference`` if ``user`` may see it, else 404 (logged)."""
    return _visible_case(user, reference, persons_visible_to(user, queryset), prefix="P")


def group_for_user(user: User, reference: str, queryset: QuerySet[Group] | None = None) -> Group:
    """The group with ``reference`` if ``user`` may see it, else 404 (logged)."""
    return _visible_case(user, reference, groups_visible_to(user, queryset), prefix="G")


def can_reveal_identity(user: User, person: Person, *, seen: bool = False) -> bool:
    """Reveal needs the permission and access to the case itself. ``seen``: the caller
    has just read ``person`` through ``person_for_user`` for this user, which checked it."""
    if not user.has_perm(roles.VIEW_IDENTITY):
        return False
    return seen or persons_visible_to(user).filter(pk=person.pk).exists()


def can_reveal_source_identity(user: User, source: Source) -> bool:
    """A source's identity is as sensitive as a detainee's: it is revealed to those who
    may reveal identities and may see a case it informs (coordinators see nearly every
    case; a caseworker, their own). A source that informs no case yet is revealed only to
    the one who recorded it and to those who see every case and keep the list of sources:
    nobody else has a case that needs it."""
    if not user.has_perm(roles.VIEW_IDENTITY):
        return False
    informed = Person.objects.filter(custody_events__source=source)
    if persons_visible_to(user, informed).exists():
        return True
    if informed.exists():
        return False
    return source.created_by_id == user.pk or sees_every_unrestricted_case(user)


# What a page shows, to those who may not reveal it, in place of an identifying value
# that changed: that it changed, never what it was or became.
IDENTITY_CHANGED = pgettext_lazy("an identifying value that is not shown", "changed")


def identity_shown_to(user: User, record: Model) -> bool:
    """Whether ``user`` may see the identifying (encrypted) values of ``record``, or of a
    past version of it: a person's and their family contacts' with the person's reveal, a
    source's with its own. A model with encrypted fields not named here hides them from
    everyone, so a new one is safe until it is given its rule."""
    if isinstance(record, Person):
        return can_reveal_identity(user, record)
    if isinstance(record, FamilyContact):
        return can_reveal_identity(user, Person(pk=record.person_id))
    if isinstance(record, Source):
        return can_reveal_source_identity(user, record)
    return not encrypted_fields(type(record))


def identity_fields_hidden(user: User, record: Model) -> frozenset[str]:
    """The fields of ``record`` whose values ``user`` must not see: its encrypted ones,
    unless ``identity_shown_to``. Every page that shows a record or its history (forms,
    past versions, lists of changes) leaves these out or shows ``IDENTITY_CHANGED``."""
    names = frozenset(field.name for field in encrypted_fields(type(record)))
    if names and not identity_shown_to(user, record):
        return names
    return frozenset()


def can_record_events(user: User) -> bool:
    """May record custody events on the cases ``user`` can see (pages and admin alike)."""
    return user.has_perm(roles.ADD_CUSTODY_EVENT)


def can_change_group(user: User) -> bool:
    """May change the groups ``user`` can see: their name, notes and unidentified others
    (pages and admin alike)."""
    return user.has_perm(roles.CHANGE_GROUP)


def can_change_case(user: User, person: Person) -> bool:
    return (
        user.has_perm(roles.CHANGE_PERSON)
        and persons_visible_to(user).filter(pk=person.pk).exists()
    )
