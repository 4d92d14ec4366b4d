"""Browsers ask for /favicon.ico on every page: it answers, for anyone, and every page
(the site's, the admin's, the error pages) names the same icon."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_the_icon_without_logging_in(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].startswith("/static/favicon")
    assert response["Location"].endswith(".svg")
    assert finders.find("favicon.svg")


def test_the_site_s_pages_name_the_icon(cast, client_for):
    page = client_for(cast.alice).get(reverse("cases:list")).content.decode()
    assert '<link rel="icon" href="/static/favicon' in page


def test_the_login_page_names_the_icon(client):
    assert '<link rel="icon"' in client.get(reverse("login")).content.decode()


def test_the_admin_names_the_icon(cast, client_for):
    page = client_for(cast.erin).get(reverse("admin:index")).content.decode()
    assert '<link rel="icon" href="/static/favicon' in page
