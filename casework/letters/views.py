"""Letter pages. Thin: access through ``permissions``, writes through ``services``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from casework.accounts import roles
from casework.accounts.enums import AccessAction
from casework.accounts.services import access_log_record
from casework.cases.forms import validation_error_to_form
from casework.cases.models import Group, Person
from casework.cases.pagination import CappedCountPaginator
from casework.cases.permissions import group_for_user, person_for_user
from casework.cases.references import reference_canonical
from casework.letters import rendering, services
from casework.letters.context import case_facts, deadline_default
from casework.letters.enums import Format, LetterStatus
from casework.letters.forms import LetterForm, MarkSentForm, ResponseForm
from casework.letters.models import LetterFile
from casework.letters.permissions import (
    batch_for_user,
    can_open_contents,
    letter_for_user,
    letter_write_check,
    letters_visible_to,
)

PAGE_SIZE = 50
# Letters counted for the list, at most: past it the pager says "more than 1,000".
LIST_COUNT_CAP = 1_000


def _case_for_user(user, reference: str) -> Person | Group:
    reference = (reference or "").strip().upper()
    if reference.startswith("G-"):
        return group_for_user(user, reference)
    if reference.startswith("P-"):
        return person_for_user(user, reference)
    raise Http404("No such case.")


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
def letter_list(request):
    if not request.user.has_perm(roles.VIEW_LETTER):
        raise PermissionDenied
    letters = letters_visible_to(request.user).for_list()
    case = None
    if request.GET.get("case"):
        case = _case_for_user(request.user, request.GET["case"])
        letters = letters.filter(**{"group" if isinstance(case, Group) else "person": case})
    status = request.GET.get("status", "")
    if status in LetterStatus.values:
        letters = letters.filter(status=status)
    # Counted up to a cap: every letter of twenty years is more than anyone pages through.
    paginator = CappedCountPaginator(letters, PAGE_SIZE, cap=LIST_COUNT_CAP)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "letters/letter_list.html",
        {
            "page": page,
            "count_cap": f"{paginator.cap:,}",
            "case": case,
            "status": status,
            "statuses": LetterStatus.choices,
            "can_write": request.user.has_perm(roles.ADD_LETTER),
        },
    )


@never_cache
@login_required
def letter_new(request):
    case = _case_for_user(request.user, request.GET.get("case", ""))
    is_group = isinstance(case, Group)
    scope = {"group": case} if is_group else {"person": case}
    letter_write_check(request.user, **scope)
    if request.method == "POST":
        form = LetterForm(request.POST, is_group=is_group)
        if form.is_valid():
            data = form.cleaned_data
            common = {
                "user": request.user,
                "template_slug": data["template"],
                "legal_bases": data["legal_bases"] or None,
                "additional_facts": data["additional_facts"],
                "deadline": data["deadline"],
                **scope,
            }
            try:
                if data["one_per_recipient"]:
                    batch = services.letter_batch_create(
                        language=data["language"],
                        recipients=[data["recipient"], *data["copies_to"]],
                        **common,
                    )
                    return redirect("letters:batch", batch_id=batch.pk)
                letter = services.letter_generate(
                    language=data["language"] or data["recipient"].language,
                    recipient=data["recipient"],
                    copies_to=list(data["copies_to"]),
                    **common,
                )
            except ValidationError as exc:
                validation_error_to_form(form, exc)
            else:
                messages.success(
                    request, _("Draft %(reference)s written.") % {"reference": letter.reference}
                )
                return redirect(letter)
    else:
        deadline = deadline_default(case_facts(**scope))
        form = LetterForm(is_group=is_group, initial={"deadline": deadline})
    return _no_store(
        render(
            request, "letters/letter_new.html", {"form": form, "case": case, "is_group": is_group}
        )
    )


def _history(letter) -> list:
    rows = list(letter.history.select_related("history_user").order_by("-history_date")[:20])
    for row in rows:
        row.reason_display = services.change_reason_display(row.history_change_reason)
    return rows


def _detail_context(request, letter):
    user = request.user
    opens = can_open_contents(user, letter)
    if opens and letter.names_person:
        access_log_record(
            user=user,
            action=AccessAction.REVEALED_IDENTITY,
            reference=letter.case_reference,
            detail=f"preview of {letter.reference}",
        )
    return {
        "letter": letter,
        "opens": opens,
        "preview": rendering.document_html_context(letter.document) if opens else None,
        "files": {f.format: f for f in letter.files.all()},
        "formats": Format.choices,
        "copies": list(letter.copies_to.all()),
        "history": _history(letter),
        "can_approve": letter.status == LetterStatus.DRAFT and user.has_perm(roles.APPROVE_LETTER),
        "can_change": user.has_perm(roles.CHANGE_LETTER),
        "sent_form": MarkSentForm(),
        "response_form": ResponseForm(),
    }


@reference_canonical
@never_cache
@login_required
def letter_detail(request, reference):
    letter = letter_for_user(request.user, reference)
    return _no_store(
        render(request, "letters/letter_detail.html", _detail_context(request, letter))
    )


@reference_canonical
@never_cache
@login_required
def letter_download(request, reference, file_format):
    letter = letter_for_user(request.user, reference)
    if not can_open_contents(request.user, letter):
        raise PermissionDenied(_("This letter names a person whose identity you may not see."))
    item = get_object_or_404(LetterFile, letter=letter, format=file_format)
    if letter.names_person:
        access_log_record(
            user=request.user,
            action=AccessAction.REVEALED_IDENTITY,
            reference=letter.case_reference,
            detail=f"download of {letter.reference}.{file_format}",
        )
    response = HttpResponse(item.content(), content_type=rendering.RENDERERS[file_format][1])
    filename = f"{letter.reference}-{letter.language}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _no_store(response)


def _lifecycle(request, reference, action):
    letter = letter_for_user(request.user, reference)
    if not request.user.has_perm(roles.CHANGE_LETTER):
        raise PermissionDenied
    try:
        action(letter)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(letter)


@reference_canonical
@require_POST
@login_required
def letter_approve(request, reference):
    def act(letter):
        services.letter_approve(letter=letter, by=request.user)
        messages.success(request, _("%(reference)s approved.") % {"reference": letter.reference})

    return _lifecycle(request, reference, act)


@reference_canonical
@require_POST
@login_required
def letter_mark_sent(request, reference):
    def act(letter):
        form = MarkSentForm(request.POST)
        if not form.is_valid():
            raise ValidationError([f"{k}: {' '.join(v)}" for k, v in form.errors.items()])
        services.letter_mark_sent(letter=letter, by=request.user, **form.cleaned_data)
        letter.refresh_from_db()
        messages.success(
            request,
            _("%(reference)s marked sent; follow up on %(date)s.")
            % {
                "reference": letter.reference,
                "date": date_format(letter.follow_up_on, "DATE_FORMAT"),
            },
        )

    return _lifecycle(request, reference, act)


@reference_canonical
@require_POST
@login_required
def letter_record_response(request, reference):
    def act(letter):
        form = ResponseForm(request.POST)
        if not form.is_valid():
            raise ValidationError([f"{k}: {' '.join(v)}" for k, v in form.errors.items()])
        services.letter_record_response(letter=letter, by=request.user, **form.cleaned_data)
        messages.success(
            request, _("Response to %(reference)s recorded.") % {"reference": letter.reference}
        )

    return _lifecycle(request, reference, act)


@reference_canonical
@require_POST
@login_required
def letter_mark_no_response(request, reference):
    def act(letter):
        services.letter_mark_no_response(letter=letter, by=request.user)
        messages.success(
            request, _("%(reference)s: no response recorded.") % {"reference": letter.reference}
        )

    return _lifecycle(request, reference, act)


@never_cache
@login_required
def batch_detail(request, batch_id):
    batch = batch_for_user(request.user, batch_id)
    return render(request, "letters/batch_detail.html", {"batch": batch})


@never_cache
@login_required
def batch_progress(request, batch_id):
    """The htmx-polled fragment; it stops polling once the batch has finished."""
    batch = batch_for_user(request.user, batch_id)
    letters = []
    if batch.finished:
        letters = letters_visible_to(request.user, batch.letters.all())
        letters = letters.select_related("recipient").order_by("pk")
    return render(request, "letters/_batch_progress.html", {"batch": batch, "letters": letters})
