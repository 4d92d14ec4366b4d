from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from casework.accounts import views as accounts_views
from casework.health import healthz

admin.site.site_header = "Casework"
admin.site.site_title = "Casework"
admin.site.index_title = _("Case records and administration")


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico whatever the pages say: send them to the icon the
    pages name, in the static files (its name carries its hash in production)."""
    response = HttpResponseRedirect(static("favicon.svg"))
    response["Cache-Control"] = "max-age=86400"
    return response


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("letters/", include("casework.letters.urls")),
    path("healthz", healthz, name="healthz"),
    path("documents/", include("casework.documents.urls")),
    # One login page for the whole site, with its second factor: the admin's own
    # password-only form is never offered.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("accounts/", include("casework.accounts.urls")),
    path("erasure/", include("casework.erasure.urls")),
    path("inbox/", include("casework.reminders.urls")),
    path("board/", include("casework.board.urls")),
    path("cases/", include("casework.cases.urls")),
    path("", accounts_views.home, name="home"),
]
