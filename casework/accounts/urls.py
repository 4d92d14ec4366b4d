from django.urls import include, path

from casework.accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/verify/", views.LoginVerifyView.as_view(), name="login_verify"),
    path("login/setup/", views.LoginSetupView.as_view(), name="login_setup"),
    path("reauth/", views.ReauthView.as_view(), name="reauth"),
    path(
        "two-factor/recovery-codes/",
        views.recovery_codes_renew,
        name="recovery_codes_renew",
    ),
    path("language/", views.language_set, name="language"),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    # logout, password change and the rest of the reset: Django's own views (a reset
    # never logs in).
    path("", include("django.contrib.auth.urls")),
]
