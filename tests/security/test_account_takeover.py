"""An administrator cannot take over an account with more power than their own.

Whoever sets an account's password and second factor can log in as it: an
administrator who could do that to a superuser, or to a caseworker on restricted cases
the administrator may not open, would gain that access. Every way the admin offers to
change an account is tried here, from outside, by the real admin URLs.
"""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client

from casework.accounts import services
from casework.accounts.enums import AccessAction, Role
from casework.accounts.models import AccessLogEntry, AuthenticatorDevice, RecoveryCodeDevice, User
from tests.factories import PersonFactory, UserFactory
from tests.security.helpers import PASSWORD, form_data, is_logged_in, log_in, totp_device

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
NEW_PASSWORD = "a brand new passphrase chosen by someone else"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.org", PASSWORD)


@pytest.fixture
def superuser_client(root):
    client = Client()
    client.force_login(root)
    return client


def user_url(user, page="change"):
    return f"/admin/accounts/user/{user.pk}/{page}/"


def set_password(client, user):
    return client.post(
        user_url(user, "password"), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )


def reset_two_factor(client, *users):
    return client.post(
        "/admin/accounts/user/",
        {"action": "reset_two_factor", "_selected_action": [str(u.pk) for u in users]},
        follow=True,
    )


def change_form(superuser_client, user) -> dict:
    """Every field of the account's change form as it stands, read by a superuser."""
    data = form_data(superuser_client.get(user_url(user)).content.decode())
    for name in ("_saveasnew", "_addanother", "_continue"):
        data.pop(name, None)
    return data


def grant(user, *permissions):
    for name in permissions:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def role(name: Role) -> str:
    return str(AuthGroup.objects.get(name=name).pk)


def restricted_case_of(*caseworkers):
    return PersonFactory(pseudonym="Quiet heron", restricted=True, caseworkers=list(caseworkers))


# --- a superuser is out of an administrator's reach ------------------------------------


def test_an_administrator_cannot_set_a_superusers_password(cast, root, client_for):
    client = client_for(cast.erin)

    assert client.get(user_url(root, "password")).status_code == 403
    response = set_password(client, root)

    assert response.status_code == 403
    root.refresh_from_db()
    assert root.check_password(PASSWORD)
    assert not AccessLogEntry.objects.filter(action=AccessAction.RESET_PASSWORD).exists()


def test_an_administrator_cannot_reset_a_superusers_two_factor(cast, root, client_for):
    device = totp_device(root)
    client = client_for(cast.erin)

    response = reset_two_factor(client, root)

    assert "Nothing was reset: 1 of the chosen accounts has more access" in (
        response.content.decode()
    )
    assert AuthenticatorDevice.objects.filter(pk=device.pk).exists()


def test_a_reset_that_includes_a_superuser_resets_nobody(cast, root, client_for):
    theirs = totp_device(root)
    alices = totp_device(cast.alice)

    reset_two_factor(client_for(cast.erin), cast.alice, root)

    assert AuthenticatorDevice.objects.filter(pk__in=[theirs.pk, alices.pk]).count() == 2


def deactivate(data):
    data.pop("is_active", None)


def make_administrator(data):
    data["groups"] = [role(Role.ADMINISTRATOR)]


def grant_a_permission(data):
    data["user_permissions"] = [str(Permission.objects.get(codename="delete_user").pk)]


def change_email(data):
    data["email"] = ["mallory@example.org"]


@pytest.mark.parametrize(
    "change",
    [deactivate, make_administrator, grant_a_permission, change_email],
    ids=lambda change: change.__name__,
)
def test_an_administrator_cannot_change_a_superusers_account(
    change, cast, root, client_for, superuser_client
):
    data = change_form(superuser_client, root)
    change(data)
    client = client_for(cast.erin)

    response = client.post(user_url(root), data)

    assert response.status_code == 403
    root.refresh_from_db()
    assert root.is_active
    assert root.email == "root@example.org"
    assert not root.groups.exists()
    assert not root.user_permissions.exists()


def test_an_administrator_sees_a_superusers_account_read_only(cast, root, client_for):
    response = client_for(cast.erin).get(user_url(root))

    assert response.status_code == 200
    assert 'name="username"' not in response.content.decode()


def test_an_administrator_allowed_to_delete_accounts_cannot_delete_a_superuser(
    cast, root, client_for
):
    grant(cast.erin, "accounts.delete_user")
    client = client_for(cast.erin)

    one = client.post(user_url(root, "delete"), {"post": "yes"})
    bulk = client.post(
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [str(root.pk)], "post": "yes"},
    )

    assert one.status_code == 403
    assert bulk.status_code == 403
    assert User.objects.filter(pk=root.pk).exists()


def test_the_whole_takeover_fails_at_its_first_step(real_accounts, cast, root, frozen_clock):
    # The reported attack: set the superuser's password, reset their second factor,
    # log in as them with a new authenticator, open the restricted cases.
    restricted_case_of(cast.alice)
    roots_phone = totp_device(root)
    erin = Client()
    log_in(erin, cast.erin, device=totp_device(cast.erin))
    assert is_logged_in(erin)

    assert set_password(erin, root).status_code == 403
    reset_two_factor(erin, root)

    mallory = Client()
    log_in(mallory, root, password=NEW_PASSWORD)
    assert not is_logged_in(mallory)
    assert mallory.get("/accounts/login/setup/")["Location"] == "/accounts/login/"
    frozen_clock.shift(dt.timedelta(seconds=30))
    log_in(mallory, root, device=roots_phone)  # the real owner still logs in as before
    assert is_logged_in(mallory)


# --- restricted cases: an account on cases the administrator may not open ---------------


def test_an_administrator_cannot_take_over_a_caseworker_on_restricted_cases(cast, client_for):
    restricted_case_of(cast.alice)
    device = totp_device(cast.alice)
    client = client_for(cast.erin)

    password = set_password(client, cast.alice)
    reset = reset_two_factor(client, cast.alice)
    deactivate = client.post(user_url(cast.alice), {"username": "alice"})

    assert password.status_code == 403
    assert "Nothing was reset" in reset.content.decode()
    assert deactivate.status_code == 403
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(PASSWORD)
    assert cast.alice.is_active
    assert AuthenticatorDevice.objects.filter(pk=device.pk).exists()


def test_an_administrator_on_the_same_restricted_case_may_manage_its_caseworker(cast, client_for):
    restricted_case_of(cast.alice, cast.erin)

    response = set_password(client_for(cast.erin), cast.alice)

    assert response.status_code == 302
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(NEW_PASSWORD)


def test_a_deactivated_account_keeps_its_restricted_cases_out_of_reach(cast, client_for):
    restricted_case_of(cast.alice)
    cast.alice.is_active = False
    cast.alice.save()

    response = set_password(client_for(cast.erin), cast.alice)

    assert response.status_code == 403


# --- nobody hands out more than they hold ---------------------------------------------


@pytest.fixture
def helpdesk_carol(cast):
    """A coordinator a superuser allowed to look after accounts, without the role."""
    grant(cast.carol, "accounts.view_user", "accounts.change_user")
    return cast.carol


def test_an_account_manager_cannot_give_themselves_the_administrator_role(
    cast, helpdesk_carol, client_for, superuser_client
):
    data = change_form(superuser_client, helpdesk_carol)
    data["groups"] = [role(Role.COORDINATOR), role(Role.ADMINISTRATOR)]

    response = client_for(helpdesk_carol).post(user_url(helpdesk_carol), data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert [g.name for g in helpdesk_carol.groups.all()] == [Role.COORDINATOR]


def test_an_account_manager_cannot_manage_an_account_with_more_permissions(
    cast, helpdesk_carol, client_for
):
    device = totp_device(cast.erin)
    client = client_for(helpdesk_carol)

    assert set_password(client, cast.erin).status_code == 403
    reset_two_factor(client, cast.erin)

    assert AuthenticatorDevice.objects.filter(pk=device.pk).exists()


def test_an_account_manager_may_give_a_role_within_their_own(
    cast, helpdesk_carol, client_for, superuser_client
):
    data = change_form(superuser_client, cast.oscar)
    data["groups"] = [role(Role.COORDINATOR)]

    response = client_for(helpdesk_carol).post(user_url(cast.oscar), data)

    assert response.status_code == 302
    assert [g.name for g in cast.oscar.groups.all()] == [Role.COORDINATOR]


# --- what stays possible ---------------------------------------------------------------


def test_an_administrator_still_manages_an_ordinary_caseworker(
    cast, client_for, superuser_client, django_capture_on_commit_callbacks
):
    totp_device(cast.oscar)
    services.recovery_codes_issue(user=cast.oscar)
    client = client_for(cast.erin)

    with django_capture_on_commit_callbacks(execute=True):
        password = set_password(client, cast.oscar)
        reset_two_factor(client, cast.oscar)
    data = change_form(superuser_client, cast.oscar)
    data["groups"] = [role(Role.ADVOCATE)]
    data.pop("is_active")
    changed = client.post(user_url(cast.oscar), data)

    assert password.status_code == 302
    assert changed.status_code == 302, changed.context["adminform"].form.errors
    cast.oscar.refresh_from_db()
    assert cast.oscar.check_password(NEW_PASSWORD)
    assert not AuthenticatorDevice.objects.filter(user=cast.oscar).exists()
    assert not RecoveryCodeDevice.objects.filter(user=cast.oscar).exists()
    assert not cast.oscar.is_active
    assert [g.name for g in cast.oscar.groups.all()] == [Role.ADVOCATE]


@pytest.mark.parametrize("member", ["alice", "carol", "dana"])
def test_an_administrator_still_resets_the_second_factor_of_other_roles(member, cast, client_for):
    user = getattr(cast, member)
    totp_device(user)

    reset_two_factor(client_for(cast.erin), user)

    assert not AuthenticatorDevice.objects.filter(user=user).exists()


def test_a_superuser_still_manages_everyone(cast, root, superuser_client):
    other_root = User.objects.create_superuser("root2", "root2@example.org", PASSWORD)
    restricted_case_of(cast.alice)
    totp_device(other_root)
    totp_device(cast.alice)

    password = set_password(superuser_client, other_root)
    reset_two_factor(superuser_client, other_root, cast.alice)
    deleted = superuser_client.post(user_url(cast.alice, "delete"), {"post": "yes"})

    assert password.status_code == 302
    other_root.refresh_from_db()
    assert other_root.check_password(NEW_PASSWORD)
    assert not AuthenticatorDevice.objects.filter(user=other_root).exists()
    assert deleted.status_code == 302
    assert not User.objects.filter(username="alice").exists()


# --- a reset is logged and its owner told ----------------------------------------------


def test_a_password_set_by_an_administrator_is_logged_and_mailed_to_the_owner(
    cast, client_for, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://casework.example.org"
    cast.oscar.email = "oscar@example.org"
    cast.oscar.save()
    PersonFactory(pseudonym="Spring swallow", legal_name="Kim Legal", caseworkers=[cast.oscar])

    with django_capture_on_commit_callbacks(execute=True):
        set_password(client_for(cast.erin), cast.oscar)

    entry = AccessLogEntry.objects.get(action=AccessAction.RESET_PASSWORD)
    assert (entry.user, entry.reference) == (cast.erin, "oscar")
    [email] = mail.outbox
    assert email.to == ["oscar@example.org"]
    assert email.subject == "[Casework] Your password was changed by an administrator"
    assert '"oscar"' in email.body
    assert "https://casework.example.org/" in email.body
    for secret in ("Spring swallow", "Kim Legal", NEW_PASSWORD, "erin"):
        assert secret not in email.subject + email.body


def test_a_two_factor_reset_is_logged_and_mailed_to_the_owner(
    cast, client_for, django_capture_on_commit_callbacks
):
    cast.oscar.email = "oscar@example.org"
    cast.oscar.save()
    totp_device(cast.oscar)

    with django_capture_on_commit_callbacks(execute=True):
        reset_two_factor(client_for(cast.erin), cast.oscar)

    entry = AccessLogEntry.objects.get(action=AccessAction.RESET_TWO_FACTOR)
    assert (entry.user, entry.reference) == (cast.erin, "oscar")
    [email] = mail.outbox
    assert email.to == ["oscar@example.org"]
    assert email.subject == "[Casework] Your two-factor login was reset by an administrator"
    assert "recovery codes no longer work" in email.body


def test_a_mail_server_that_is_down_does_not_undo_the_reset(
    cast, client_for, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    cast.oscar.email = "oscar@example.org"
    cast.oscar.save()

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = set_password(client_for(cast.erin), cast.oscar)

    assert response.status_code == 302
    cast.oscar.refresh_from_db()
    assert cast.oscar.check_password(NEW_PASSWORD)
    assert AccessLogEntry.objects.filter(action=AccessAction.RESET_PASSWORD).count() == 1
    assert "mail server down" in caplog.text


def test_changing_ones_own_password_in_the_admin_is_neither_logged_nor_mailed(
    cast, client_for, django_capture_on_commit_callbacks
):
    cast.erin.email = "erin@example.org"
    cast.erin.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = set_password(client_for(cast.erin), cast.erin)

    assert response.status_code == 302
    assert not AccessLogEntry.objects.filter(action=AccessAction.RESET_PASSWORD).exists()
    assert mail.outbox == []


def test_a_refused_reset_is_not_mailed(cast, root, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        set_password(client_for(cast.erin), root)
        reset_two_factor(client_for(cast.erin), root)

    assert mail.outbox == []


def test_a_new_administrator_account_can_be_managed_by_administrators(cast, client_for):
    frank = UserFactory(username="frank", role=Role.ADMINISTRATOR)

    response = set_password(client_for(cast.erin), frank)

    assert response.status_code == 302
