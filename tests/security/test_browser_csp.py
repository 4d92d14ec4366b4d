"""In a real browser, the strict policy blocks nothing our pages (the admin included) need."""

import pytest
from django.contrib.auth.models import Group, Permission

from casework.accounts.roles import ROLE_PERMISSIONS
from tests.browser import log_in, screenshot
from tests.factories import PersonFactory, record
from tests.security.helpers import totp_code, totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    """Transactional tests flush the role groups the data migrations made: make them again."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = [
            Permission.objects.get(content_type__app_label=label, codename=codename)
            for label, codename in (name.split(".") for name in names)
        ]
        group.permissions.set(wanted)


def collect_violations(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    return violations


def test_admin_pages_work_under_the_content_security_policy(page, cast):
    person = PersonFactory(pseudonym="Spring swallow", caseworkers=[cast.alice])
    record(person, "detained")
    violations = collect_violations(page)
    log_in(page, "erin")

    for url in [
        "/admin/",
        "/admin/cases/person/",
        f"/admin/cases/person/{person.pk}/change/",
        f"/admin/cases/person/{person.pk}/history/",
        f"/admin/accounts/user/{cast.alice.pk}/change/",
        "/erasure/",
        f"/documents/{person.reference}/",
    ]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator("body").count() == 1
    screenshot(page, "security-documents")
    page.goto("/erasure/")
    page.fill("#id_reference", person.reference)
    page.click("text=Ask for erasure")
    page.wait_for_load_state("networkidle")
    screenshot(page, "security-erasure-requested")
    assert page.locator("text=needs another administrator").count() == 1

    # The admin's own scripts ran: the collapsible identity section has its toggle.
    page.goto(f"/admin/cases/person/{person.pk}/change/")
    page.wait_for_load_state("networkidle")
    screenshot(page, "security-admin-person-under-csp")
    assert violations == []


def test_two_factor_login_in_the_browser(page, cast, settings):
    settings.DEMO_MODE = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cast.carol.set_password("correct horse battery staple")
    cast.carol.save()
    violations = collect_violations(page)

    log_in(page, "carol")
    assert page.url.endswith("/accounts/login/setup/")
    screenshot(page, "security-two-factor-setup")
    from casework.accounts.models import AuthenticatorDevice

    device = AuthenticatorDevice.objects.get(user=cast.carol, confirmed=False)
    page.fill("#id_token", totp_code(device))
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    screenshot(page, "security-recovery-codes")
    assert page.locator(".recovery-codes li").count() == 10
    assert violations == []


def test_second_login_asks_for_the_code(page, cast, settings):
    settings.DEMO_MODE = False
    device = totp_device(cast.erin)

    log_in(page, "erin")
    assert page.url.endswith("/accounts/login/verify/")
    screenshot(page, "security-two-factor-verify")
    page.fill("#id_token", totp_code(device))
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")

    assert "/accounts/login" not in page.url
