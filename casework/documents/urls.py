from django.urls import path

from casework.documents import views

app_name = "documents"

urlpatterns = [
    path("<str:reference>/", views.document_list, name="list"),
    path("<str:reference>/<int:pk>/", views.document_download, name="download"),
]
