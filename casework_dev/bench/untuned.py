"""The comparisons ``make bench`` draws: a plain Django admin changelist of Person with a
per-row status method and no tuning — what a team would otherwise have — and an empty
page, which costs what every logged-in page pays before its own work. They live here,
never in the application, and are served only to the bench
(``ROOT_URLCONF = "casework_dev.bench.untuned"``)."""

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from casework.cases.models import Person
from casework.urls import urlpatterns as casework_urlpatterns

site = admin.AdminSite(name="untuned")


@admin.register(Person, site=site)
class UntunedPersonAdmin(admin.ModelAdmin):
    list_display = ("reference", "pseudonym", "current_status")

    @admin.display(description="status")
    def current_status(self, obj):
        # One query per row: the naive way to show a status derived from a timeline.
        latest = obj.custody_events.order_by("-occurred_on", "-id").first()
        return latest.get_status_display() if latest else "Unknown"


@login_required
def empty_page(request) -> HttpResponse:
    """The session, the user and their permissions, the menu and the inbox badge: no more."""
    page = engines["django"].from_string('{% extends "base.html" %}')
    return HttpResponse(page.render({}, request))


urlpatterns = [
    path("untuned-admin/", site.urls),
    path("bench/empty/", empty_page),
    *casework_urlpatterns,
]
