"""The comparison ``make bench`` draws: a plain Django admin changelist of Person with a
per-row status method and no tuning — what a team would otherwise have. It lives on
its own AdminSite here, never in the application, and is served only to the bench
(``ROOT_URLCONF = "casework.bench.untuned"``)."""

from django.contrib import admin
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


urlpatterns = [path("untuned-admin/", site.urls), *casework_urlpatterns]
