from django.urls import path

from casework.letters import views

app_name = "letters"

urlpatterns = [
    path("", views.letter_list, name="list"),
    path("new", views.letter_new, name="new"),
    path("batches/<int:batch_id>/", views.batch_detail, name="batch"),
    path("batches/<int:batch_id>/progress", views.batch_progress, name="batch_progress"),
    path("<str:reference>/", views.letter_detail, name="detail"),
    path("<str:reference>/download.<str:file_format>", views.letter_download, name="download"),
    path("<str:reference>/approve", views.letter_approve, name="approve"),
    path("<str:reference>/sent", views.letter_mark_sent, name="mark_sent"),
    path("<str:reference>/response", views.letter_record_response, name="record_response"),
    path("<str:reference>/no-response", views.letter_mark_no_response, name="no_response"),
]
