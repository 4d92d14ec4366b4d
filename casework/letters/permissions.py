"""Who may see, write and open which letter. Built on ``cases.permissions``.

A letter is visible when its case is and, for a group letter, when the reader may see
every member it was written from (``Letter.members``): the stored letter is rendered
once for all its readers and speaks of each member (their number, vulnerabilities,
places, latest news), restricted ones included. A reader who may not see one of them
gets 404, as for any case they may not see, and does not find it in any list.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.lookups import IsNull
from django.http import Http404
from django.utils.translation import gettext

from casework.accounts import roles
from casework.accounts.models import User
from casework.cases.models import Group, Person
from casework.cases.permissions import (
    can_reveal_identity,
    case_refusal_record,
    groups_visible_to,
    persons_visible_to,
    reference_is_well_formed,
)
from casework.letters.models import Letter, LetterBatch

_Member = Letter.members.through


def letters_visible_to(user: User, queryset: QuerySet[Letter] | None = None) -> QuerySet[Letter]:
    queryset = Letter.objects.all() if queryset is None else queryset
    if not user.has_perm(roles.VIEW_LETTER):
        return queryset.none()
    # EXISTS on each letter's own case, so that the list walks letters newest first and
    # stops after a page (``person IN <every visible person> OR group IN …`` made a count
    # read every letter). Each EXISTS also tests the letter's own column: PostgreSQL
    # would otherwise build a hashed set of every visible group, expecting to test every
    # letter, not a page's.
    return queryset.filter(
        Exists(_of_this_letter(persons_visible_to(user), "person_id"))
        | (
            Exists(_of_this_letter(groups_visible_to(user), "group_id"))
            & ~Exists(_members_hidden_from(user))
        )
    )


def _of_this_letter(cases: QuerySet, column: str) -> QuerySet:
    return cases.filter(IsNull(OuterRef(column), False), pk=OuterRef(column))


def _members_hidden_from(user: User) -> QuerySet:
    """The members a (group) letter was written from whom ``user`` may not see.

    Tested for each letter as the list walks it; the letter's own column is tested
    twice, as in ``_of_this_letter``, or PostgreSQL may hash every letter's members.
    """
    visible = persons_visible_to(user).filter(pk=OuterRef("person_id"))
    members = _Member.objects.filter(IsNull(OuterRef("pk"), False), letter_id=OuterRef("pk"))
    return members.exclude(Exists(visible))


def letters_of_case_shown(
    user: User, *, person: Person | None = None, group: Group | None = None
) -> QuerySet[Letter]:
    """The letters of a case just read for ``user`` through ``person_for_user`` or
    ``group_for_user``: the case is visible, so only the permission is left to check and,
    for a group, that the reader sees every member each letter was written from."""
    if not user.has_perm(roles.VIEW_LETTER):
        return Letter.objects.none()
    letters = Letter.objects.for_case(person=person, group=group)
    if group is not None:
        letters = letters.filter(~Exists(_members_hidden_from(user)))
    return letters


def letter_for_user(user: User, reference: str) -> Letter:
    """The letter with ``reference`` if ``user`` may see it, else 404 (logged as refused,
    like a case: the same whether the letter exists or not)."""
    if not reference_is_well_formed(reference, prefix="L"):
        raise Http404("No such letter.")
    try:
        return (
            letters_visible_to(user)
            .select_related("template", "recipient", "person", "group", "approved_by", "created_by")
            .get(reference=reference)
        )
    except Letter.DoesNotExist as exc:
        case_refusal_record(user=user, reference=reference, detail="letter")
        raise Http404("No such letter.") from exc


def _members_hidden(user: User, group: Group) -> bool:
    """Whether ``group`` has a member now whom ``user`` may not see."""
    return group.members.exclude(pk__in=persons_visible_to(user).values("pk")).exists()


def letter_write_check(user: User, *, person: Person | None = None, group: Group | None = None):
    """May ``user`` write a letter on this case? 404 when the case is hidden from them,
    403 when they lack the permission or a group holds a restricted case of others (the
    letter would speak of every member)."""
    if person is not None:
        if not persons_visible_to(user).filter(pk=person.pk).exists():
            raise Http404("No such case.")
    elif group is not None:
        if not groups_visible_to(user).filter(pk=group.pk).exists():
            raise Http404("No such case.")
        if _members_hidden(user, group):
            raise PermissionDenied(
                gettext(
                    "This group includes a restricted case; only its assigned caseworkers "
                    "may write letters about it."
                )
            )
    if not user.has_perm(roles.ADD_LETTER):
        raise PermissionDenied(gettext("Your role may not write letters."))


def batch_for_user(user: User, batch_id: int) -> LetterBatch:
    """A bulk generation, shown to those who see its case and, for a group, every member
    of it (as its letters are), else 404."""
    batch = LetterBatch.objects.select_related("person", "group").filter(pk=batch_id).first()
    if batch is None:
        raise Http404("No such batch.")
    if batch.group_id:
        visible = groups_visible_to(user).filter(pk=batch.group_id).exists()
        visible = visible and not _members_hidden(user, batch.group)
    else:
        visible = persons_visible_to(user).filter(pk=batch.person_id).exists()
    if not visible:
        raise Http404("No such batch.")
    return batch


def can_open_contents(user: User, letter: Letter) -> bool:
    """A letter that names a person opens only for users who may see that identity."""
    if not letter.names_person:
        return True
    return letter.person is not None and can_reveal_identity(user, letter.person)
