from django.urls import path

from casework.reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/done", views.done, name="done"),
    path("<int:pk>/snooze", views.snooze, name="snooze"),
]
