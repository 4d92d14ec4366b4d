"""Headers and settings that protect every page, including pages added later."""

import os
import re
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATE_DIRS = [ROOT / "templates", *sorted((ROOT / "casework").glob("*/templates"))]


def test_pages_carry_a_strict_content_security_policy(cast, client_for):
    client = client_for(cast.erin)

    for url in ["/accounts/login/", "/admin/", "/admin/cases/person/"]:
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
        assert directives["script-src"] == "'self'", url
        assert directives["style-src"] == "'self'", url
        assert directives["object-src"] == "'none'", url
        assert directives["frame-ancestors"] == "'none'", url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_pages_are_never_stored_by_browsers_or_proxies(cast, client_for):
    client = client_for(cast.erin)

    for url in ["/accounts/login/", "/admin/", "/admin/cases/person/", "/erasure/"]:
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_pages_refuse_framing_and_sniffing(client):
    response = client.get("/accounts/login/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_template_holds_inline_script_style_or_event_handler():
    offenders = []
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    inline_style = re.compile(r"<style\b|\sstyle=", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            for pattern in (inline_script, inline_style, handler, re.compile("javascript:", re.I)):
                if pattern.search(text):
                    offenders.append(f"{path.relative_to(ROOT)}: {pattern.pattern}")
    assert offenders == []


def production_env(**overrides) -> dict:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CASEWORK_"))}
    for name in ["SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "ALLOWED_HOSTS"]:
        keep.pop(name, None)
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "casework.settings",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "k7Q-vB2x" + Fernet.generate_key().decode(),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEY": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "casework.example.org",
        **overrides,
    }


def check_deploy(**overrides) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(**overrides),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(production_static_root):
    result = check_deploy(STATIC_ROOT=str(production_static_root))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_refuses_demo_mode_in_production():
    result = check_deploy(CASEWORK_DEMO_MODE="1")

    assert result.returncode != 0
    assert "casework.W001" in result.stderr + result.stdout


def test_production_cookies_and_transport_are_locked_down():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.DEMO_MODE)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )

    assert result.stdout.split() == [
        "True",
        "True",
        "True",
        "Lax",
        "True",
        "31536000",
        "True",
        "False",
    ]
