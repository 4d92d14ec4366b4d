from django.urls import path

from casework.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    # Before the case patterns, or "sources" would be taken for a case reference.
    path("sources/", views.source_search, name="sources"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/update/", views.case_update, name="update"),
    path("<str:reference>/reveal/", views.reveal_identity, name="reveal"),
    path("<str:reference>/others/", views.group_others_update, name="others"),
]
