"""Who may see, write and open which letter. Built on ``cases.permissions``: a letter is
visible exactly when its case is, and a case a user may not see answers 404."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.lookups import IsNull
from django.http import Http404

from casework.accounts import roles
from casework.accounts.models import User
from casework.cases.models import Group, Person
from casework.cases.permissions import (
    can_reveal_identity,
    groups_visible_to,
    persons_visible_to,
)
from casework.letters.models import Letter


def letters_visible_to(user: User, queryset: QuerySet[Letter] | None = None) -> QuerySet[Letter]:
    queryset = Letter.objects.all() if queryset is None else queryset
    if not user.has_perm(roles.VIEW_LETTER):
        return queryset.none()
    # EXISTS on each letter's own case, so that the list walks letters newest first and
    # stops after a page (``person IN <every visible person> OR group IN …`` made a count
    # run for minutes at 500,000 letters). Each EXISTS also tests the letter's own
    # column: PostgreSQL would otherwise turn it into a hashed set of every visible group
    # (0.4-1.4 s at a million people), expecting to test every letter, not a page's.
    return queryset.filter(
        Exists(_of_this_letter(persons_visible_to(user), "person_id"))
        | Exists(_of_this_letter(groups_visible_to(user), "group_id"))
    )


def _of_this_letter(cases: QuerySet, column: str) -> QuerySet:
    return cases.filter(IsNull(OuterRef(column), False), pk=OuterRef(column))


def letters_of_case_shown(
    user: User, *, person: Person | None = None, group: Group | None = None
) -> QuerySet[Letter]:
    """The letters of a case just read for ``user`` through ``person_for_user`` or
    ``group_for_user``: a letter is visible exactly when its case is, so only the
    permission is left to check, not the case's visibility again."""
    if not user.has_perm(roles.VIEW_LETTER):
        return Letter.objects.none()
    return Letter.objects.for_case(person=person, group=group)


def letter_for_user(user: User, reference: str) -> Letter:
    try:
        return (
            letters_visible_to(user)
            .select_related("template", "recipient", "person", "group", "approved_by", "created_by")
            .get(reference=reference)
        )
    except Letter.DoesNotExist as exc:
        raise Http404("No such letter.") from exc


def letter_write_check(user: User, *, person: Person | None = None, group: Group | None = None):
    """May ``user`` write a letter on this case? 404 when the case is hidden from them,
    403 when they lack the permission or a group holds a restricted case of others."""
    if person is not None:
        if not persons_visible_to(user).filter(pk=person.pk).exists():
            raise Http404("No such case.")
    elif group is not None:
        if not groups_visible_to(user).filter(pk=group.pk).exists():
            raise Http404("No such case.")
        hidden = group.members.exclude(pk__in=persons_visible_to(user).values("pk"))
        if hidden.exists():
            raise PermissionDenied(
                "This group includes a restricted case; only its assigned caseworkers may "
                "write letters about it."
            )
    if not user.has_perm(roles.ADD_LETTER):
        raise PermissionDenied("Your role may not write letters.")


def can_open_contents(user: User, letter: Letter) -> bool:
    """A letter that names a person opens only for users who may see that identity."""
    if not letter.names_person:
        return True
    return letter.person is not None and can_reveal_identity(user, letter.person)
