"""Caseworker pages: my cases, a case's timeline, the quick update, a group's
unidentified others, reveal on demand, and the source search behind the quick update's
source field.

Every case is fetched through ``permissions``; every write goes through ``services``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from casework.accounts.enums import AccessAction
from casework.accounts.services import access_log_record
from casework.cases import permissions, selectors, services
from casework.cases.forms import GroupOthersForm, QuickUpdateForm, validation_error_to_form
from casework.cases.models import (
    SEARCH_ANYWHERE_FROM,
    CustodyEvent,
    Facility,
    FamilyContact,
    Person,
)
from casework.cases.pagination import capped_count, first_found
from casework.cases.references import reference_canonical
from casework.letters.permissions import letters_of_case_shown

PAGE_SIZE = 50
# A list longer than this says "more than 1,000 cases": counting on costs a full pass.
CASE_COUNT_CAP = 1_000
# A search shows at most this many of its matches, and asks for a narrower one when
# there are more (``first_found``).
SEARCH_CAP = 200


# Lists show no identity: the encrypted columns stay unread.
def _listed() -> "Person.objects":
    listed = Person.objects.active().defer(*Person.IDENTITY_FIELDS, "legal_name_index")
    return listed.prefetch_related("vulnerabilities")


def _count_shown(count: int, cap: int) -> str:
    if count > cap:
        return _("more than %(count)s") % {"count": number_format(cap, force_grouping=True)}
    return number_format(count, force_grouping=True)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """My cases (mine or my team's) first; a search reaches every case I may see."""
    query = request.GET.get("q", "").strip()
    after = request.GET.get("after", "")
    if after and not after.isdigit():
        messages.error(request, _("That page link is broken: here is the first page."))
        after = ""
    cursor = int(after) if after else None
    if query:
        visible = permissions.persons_visible_to(request.user, _listed())
        found = first_found(visible.matching(query), cap=SEARCH_CAP)
        # The page reads its rows by id alone: matching them again costs the index scan.
        people = visible.filter(pk__in=found[:SEARCH_CAP])
        page = selectors.case_search_page(people, after=cursor, size=PAGE_SIZE)
        heading = _("Cases matching “%(query)s”") % {"query": query}
        count, cap = len(found), SEARCH_CAP
    else:
        people = permissions.my_cases(request.user, _listed())
        page = selectors.case_list_page(people, after=cursor, size=PAGE_SIZE)
        heading = _("My cases")
        count, cap = capped_count(people, CASE_COUNT_CAP), CASE_COUNT_CAP
    context = {
        "page": page,
        "after": after,
        "count": _count_shown(count, cap),
        # A search with more matches than it shows says so, and how to narrow it.
        "search_cap": number_format(cap, force_grouping=True) if query and count > cap else "",
        "search_from_start": 0 < len(query) < SEARCH_ANYWHERE_FROM,
        "query": query,
        "first_page": "?" + urlencode({"q": query}) if query else "?",
        "heading": heading,
        # An empty "My cases" tells those who see every case where to find them.
        "sees_every_case": permissions.sees_every_unrestricted_case(request.user),
    }
    return render(request, "cases/case_list.html", context)


@reference_canonical
@login_required
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    if reference.startswith("G-"):
        return _group_page(request, reference)
    return _person_page(request, reference)


def _person_page(request, reference, form=None, status=200):
    person = permissions.person_for_user(
        request.user,
        reference,
        # Identities are shown on demand (``reveal_identity``): not read, not decrypted here.
        Person.objects.with_flags()
        .defer(*Person.IDENTITY_FIELDS, "legal_name_index")
        .prefetch_related(
            "vulnerabilities",
            Prefetch("family_contacts", FamilyContact.objects.defer("name", "contact_channel")),
        ),
    )
    if form is None:
        access_log_record(
            user=request.user, action=AccessAction.OPENED_CASE, reference=person.reference
        )
        form = QuickUpdateForm(initial={"version": person.version}, persons=[person])
    context = {
        "person": person,
        "events": person.custody_events.timeline().defer("source__identity"),
        "groups": permissions.groups_of_person_shown(person).only("reference", "name"),
        "form": form,
        "facilities": Facility.objects.all(),
        "can_update": permissions.can_record_events(request.user),
        "can_reveal": permissions.can_reveal_identity(request.user, person, seen=True),
        "case_letters": _case_letters(request.user, person=person),
    }
    return render(request, "cases/person_detail.html", context, status=status)


def _group_page(request, reference, form=None, status=200, others_form=None):
    visible = permissions.persons_visible_to(request.user)
    group = permissions.group_for_user(request.user, reference)
    # The group page shows no identity: the encrypted columns stay unread.
    members = (
        permissions.persons_visible_to(request.user, Person.objects.with_flags())
        .filter(memberships__group=group)
        .defer(*Person.IDENTITY_FIELDS, "legal_name_index")
        .prefetch_related("vulnerabilities")
    )
    group.members_counted(members)
    if form is None:
        access_log_record(
            user=request.user, action=AccessAction.OPENED_CASE, reference=group.reference
        )
        form = QuickUpdateForm(
            initial={"version": group.version}, persons=None, group=group, members=members
        )
    can_change_group = permissions.can_change_group(request.user)
    if others_form is None and can_change_group:
        others_form = GroupOthersForm(instance=group, initial={"version": group.version})
    # One line per recording: an event recorded once for the group lands on each member.
    timeline = (
        # EXISTS on the member's row, not ``person__in``: see groups_visible_to.
        CustodyEvent.objects.filter(group=group)
        .filter(Exists(visible.order_by().filter(pk=OuterRef("person_id"))))
        .values(
            "status",
            "occurred_on",
            "date_precision",
            "facility__name_en",
            "facility__name_ko",
            "facility__province",
            "place",
            "source__label",
            "source__kind",
            "confidence",
            "planned_on",
            "note",
            "recorded_at",
            "recorded_by__username",
        )
        .annotate(n_people=Count("id"))
        .order_by("occurred_on", "recorded_at")
    )
    context = {
        "group": group,
        "members": members,
        "timeline": timeline,
        "case_letters": _case_letters(request.user, group=group),
        "form": form,
        "facilities": Facility.objects.all(),
        "can_update": permissions.can_record_events(request.user),
        "others_form": others_form if can_change_group else None,
    }
    return render(request, "cases/group_detail.html", context, status=status)


@reference_canonical
@login_required
@require_POST
def group_others_update(request: HttpRequest, reference: str) -> HttpResponse:
    """Record how many others were detained with the group whom no record names; the
    same service as the admin, refused on an outdated form."""
    group = permissions.group_for_user(request.user, reference)
    # Only after the group lookup, so a group one may not see is 404 for everyone.
    if not permissions.can_change_group(request.user):
        raise PermissionDenied
    data = request.POST.copy()
    form = GroupOthersForm(data, instance=group)
    if form.is_valid():
        try:
            services.group_update(
                group=group,
                updated_by=request.user,
                expected_version=form.cleaned_data["version"],
                unidentified_others=form.cleaned_data["unidentified_others"],
            )
        except services.StaleVersionError as exc:
            # Keep what the user typed, on the group as it is now, for them to send again.
            messages.error(request, exc.messages[0])
            group.refresh_from_db(fields=["version"])
            data["version"] = group.version
            form = GroupOthersForm(data, instance=group)
            return _group_page(request, reference, others_form=form, status=409)
        except ValidationError as exc:
            validation_error_to_form(form, exc)
        else:
            messages.success(request, _("The unidentified others are saved."))
            return redirect("cases:detail", reference=reference)
    return _group_page(request, reference, others_form=form, status=400)


@reference_canonical
@login_required
@require_POST
def case_update(request: HttpRequest, reference: str) -> HttpResponse:
    """Record what happened; the same service as the admin, refused on an outdated form."""
    data = request.POST.copy()
    if reference.startswith("G-"):
        group = case = permissions.group_for_user(request.user, reference)
        members = permissions.persons_visible_to(request.user).filter(memberships__group=group)
        form_kwargs = {"group": group, "members": members}
        render_page = _group_page
    else:
        group = None
        case = permissions.person_for_user(request.user, reference)
        form_kwargs = {"persons": [case]}
        render_page = _person_page
    # Only after the case lookup, so a case one may not see is 404 for everyone.
    if not permissions.can_record_events(request.user):
        raise PermissionDenied
    form = QuickUpdateForm(data, **form_kwargs)
    if form.is_valid():
        try:
            events = services.custody_event_record(
                persons=form.event_persons(),
                group=group,
                recorded_by=request.user,
                expected_version=form.cleaned_data["version"],
                **form.service_kwargs(),
            )
        except services.StaleVersionError as exc:
            # Keep what the user typed, on the case as it is now, for them to send again.
            messages.error(request, exc.messages[0])
            case.refresh_from_db(fields=["version"])
            data["version"] = case.version
            form = QuickUpdateForm(data, **form_kwargs)
            return render_page(request, reference, form=form, status=409)
        except ValidationError as exc:
            validation_error_to_form(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "Recorded for %(count)s person.", "Recorded for %(count)s people.", len(events)
                )
                % {"count": len(events)},
            )
            return redirect("cases:detail", reference=reference)
    return render_page(request, reference, form=form, status=400)


@login_required
@require_GET
def source_search(request: HttpRequest) -> JsonResponse:
    """The sources matching ``q``, as the quick update's source field shows them.

    Only for those who may record what a source reported; only the label, kind and
    reference are read, never the identity.
    """
    if not permissions.can_record_events(request.user):
        raise PermissionDenied
    query = request.GET.get("q", "")[:100]
    results = [{"value": str(source)} for source in selectors.sources_matching(query)]
    return JsonResponse({"results": results})


def _case_letters(user, **case):
    """The letters written for this case that ``user`` may see (the letters app decides)."""
    letters = letters_of_case_shown(user, **case)
    # The case is the page's own: its row (and identity) is not read again per letter.
    return list(letters.select_related("recipient").without_contents().newest_first())


@reference_canonical
@login_required
@require_POST
def reveal_identity(request: HttpRequest, reference: str) -> HttpResponse:
    """Show identifying data on demand, logged without the value."""
    person = permissions.person_for_user(
        request.user, reference, Person.objects.prefetch_related("family_contacts")
    )
    if not permissions.can_reveal_identity(request.user, person, seen=True):
        raise PermissionDenied
    access_log_record(
        user=request.user,
        action=AccessAction.REVEALED_IDENTITY,
        reference=person.reference,
        detail="identity and family contacts, case page",
    )
    return render(request, "cases/_identity.html", {"person": person})
