"""What an attacker's tests need: real logins with a second factor, form scraping, canaries."""

import time
from html.parser import HTMLParser

from django.test import Client
from django_otp.oath import TOTP

from casework.accounts.models import AuthenticatorDevice

PASSWORD = "correct horse battery staple"
# A legal name that appears nowhere else: wherever it shows up, it leaked.
CANARY = "Canaryname Ri Sunhee"
CANARY_KO = "카나리아이순희"
CANARY_CHANNEL = "+82 10 5555 0199 canary"


def totp_device(user) -> AuthenticatorDevice:
    return AuthenticatorDevice.objects.create(user=user, name="phone", confirmed=True)


def totp_code(device: AuthenticatorDevice) -> str:
    """The code an authenticator app shows right now."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def log_in(client: Client, user, password: str = PASSWORD, device=None, token=None):
    """The login an attacker or a user performs: password step, then the code if any."""
    response = client.post(
        "/accounts/login/", {"username": user.get_username(), "password": password}
    )
    if device is not None or token is not None:
        response = client.post("/accounts/login/verify/", {"token": token or totp_code(device)})
    return response


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


class _FormScraper(HTMLParser):
    """The fields a browser would submit from the first <form method=post> with fields."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
            elif kind not in {"submit", "button", "file", "image"}:
                self._add(name, a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # As browsers do, drop the one newline that follows <textarea>.
            value = self.data[self._textarea][-1]
            self.data[self._textarea][-1] = value.removeprefix("\r").removeprefix("\n")
            self._textarea = None


def form_data(html: str) -> dict[str, list[str]]:
    scraper = _FormScraper()
    scraper.feed(html)
    data = scraper.data
    # Empty selects submit nothing, as in a browser.
    return {k: v for k, v in data.items() if v}


class _LinkScraper(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in {"href", "src", "action", "hx-get", "hx-post", "data-url"} and value:
                self.urls.append(value)


def urls_in(html: str) -> list[str]:
    scraper = _LinkScraper()
    scraper.feed(html)
    return scraper.urls
