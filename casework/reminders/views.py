"""The in-app inbox: a user's pending reminders, marked done or snoozed with htmx."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casework.reminders import services
from casework.reminders.enums import SNOOZE_CHOICES
from casework.reminders.models import Reminder


def _reminder_for(request, pk: int) -> Reminder:
    """The user's own pending reminder on a case they may see, else 404."""
    try:
        return services.inbox_for(request.user).get(pk=pk)
    except Reminder.DoesNotExist as exc:
        raise Http404("No such reminder.") from exc


def _after_change(request) -> HttpResponse:
    if request.headers.get("HX-Request"):
        # The row disappears; the header count is swapped out of band.
        return render(request, "reminders/_changed.html")
    return redirect("reminders:inbox")


@require_GET
@login_required
def inbox(request):
    reminders = services.inbox_ordered(services.inbox_for(request.user)).select_related(
        "person__current", "rule"
    )
    closed = services.inbox_closed_for(request.user).select_related("person", "rule")[:20]
    return render(
        request,
        "reminders/inbox.html",
        {"reminders": reminders, "closed": closed, "snooze_choices": SNOOZE_CHOICES},
    )


@require_POST
@login_required
def done(request, pk: int):
    services.reminder_done(reminder=_reminder_for(request, pk))
    return _after_change(request)


@require_POST
@login_required
def snooze(request, pk: int):
    reminder = _reminder_for(request, pk)
    try:
        days = int(request.POST.get("days", ""))
    except ValueError:
        days = 0
    if days not in SNOOZE_CHOICES:
        return HttpResponse(
            _("Choose how long to snooze: %(choices)s days.")
            % {"choices": ", ".join(map(str, SNOOZE_CHOICES))},
            status=400,
            content_type="text/plain",
        )
    services.reminder_snooze(reminder=reminder, days=days)
    return _after_change(request)
