from django.urls import path

from casework.erasure import views

app_name = "erasure"

urlpatterns = [
    path("", views.erasure_list, name="list"),
    path("<int:pk>/confirm/", views.erasure_confirm, name="confirm"),
    path("<int:pk>/cancel/", views.erasure_cancel, name="cancel"),
]
