from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from casework.health import healthz

admin.site.site_header = "Casework"
admin.site.site_title = "Casework"
admin.site.index_title = "Case records and administration"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("board/", include("casework.board.urls")),
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
]
