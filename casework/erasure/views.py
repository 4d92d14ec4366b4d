"""Erasure pages for administrators: ask, then a second administrator confirms.

Every view needs the erase permission (403 otherwise) and a recent password + second
factor (``require_recent_auth``); the person is found through ``person_for_user``.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casework.accounts.reauth import require_recent_auth
from casework.cases.permissions import person_for_user
from casework.erasure import services
from casework.erasure.forms import ErasureRequestForm
from casework.erasure.models import Erasure, ErasureState


def _erasure_views(view):
    view = require_recent_auth(view)
    view = _erasure_permission_required(view)
    return login_required(view)


def _erasure_permission_required(view):
    """403, on the site's page, with who may ask instead: a caseworker who follows a
    person's wish to be erased needs to know whom to turn to."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm(services.PERMISSION):
            raise PermissionDenied(
                _(
                    "Erasure is requested by an administrator and confirmed by a second "
                    "administrator. If a person asks to be erased, tell an administrator."
                )
            )
        return view(request, *args, **kwargs)

    return wrapper


@require_http_methods(["GET", "POST"])
@_erasure_views
def erasure_list(request):
    form = ErasureRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = person_for_user(request.user, form.cleaned_data["reference"])
        except Http404:
            form.add_error("reference", _("No case you can see has this reference."))
        else:
            try:
                services.erasure_request(person=person, requested_by=request.user)
            except ValidationError as exc:
                form.add_error("reference", exc.messages[0])
            else:
                messages.success(
                    request,
                    _("Erasure of %(reference)s requested. A second administrator must confirm it.")
                    % {"reference": person.reference},
                )
                return redirect("erasure:list")
    pending = Erasure.objects.filter(state=ErasureState.REQUESTED).select_related(
        "person", "requested_by"
    )
    done = Erasure.objects.exclude(state=ErasureState.REQUESTED).select_related(
        "requested_by", "decided_by"
    )[:50]
    return render(
        request, "erasure/erasure_list.html", {"form": form, "pending": pending, "done": done}
    )


@require_POST
@_erasure_views
def erasure_confirm(request, pk: int):
    erasure = get_object_or_404(Erasure, pk=pk, state=ErasureState.REQUESTED)
    try:
        services.erasure_confirm(erasure=erasure, confirmed_by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The person has been erased everywhere."))
    return redirect("erasure:list")


@require_POST
@_erasure_views
def erasure_cancel(request, pk: int):
    erasure = get_object_or_404(Erasure, pk=pk, state=ErasureState.REQUESTED)
    services.erasure_cancel(erasure=erasure, cancelled_by=request.user)
    messages.success(request, _("Erasure request cancelled."))
    return redirect("erasure:list")
