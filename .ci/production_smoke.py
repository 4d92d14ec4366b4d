"""CI's production smoke: the production build, served as docker-compose.yml serves it.

Without Docker: static files collected with DJANGO_DEBUG=0 (as the Dockerfile does), a
fresh database, then deploy/web.sh (migrate, `check --deploy`, gunicorn with
deploy/gunicorn.conf.py: the web service's own command) behind Caddy with
deploy/Caddyfile. Through the proxy it opens the login page, logs in for real (password,
then setting up the authenticator whose key the page shows), opens the board and the
static files the pages name: 200 each. It also checks that X-Forwarded-Proto is
believed from the proxy's address only, and that a searched name reaches no log.

Run with the project's virtualenv: `.venv/bin/python .ci/production_smoke.py`.
SMOKE_DATABASE_URL picks the database (dropped and created anew when it is PostgreSQL);
by default an SQLite file in a temporary folder. Needs `caddy` on PATH.
"""

import base64
import contextlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

from cryptography.fernet import Fernet
from django_otp.oath import TOTP

ROOT = Path(__file__).resolve().parent.parent
CANARY = f"Canaryname{secrets.token_hex(4)}"
USERNAME = "smoke-admin"
PASSWORD = secrets.token_urlsafe(18)
STARTED = time.monotonic()
checks_passed = 0


class SmokeFailed(Exception):
    pass


def say(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:5.1f}s] {message}", flush=True)


def check(condition: bool, what: str) -> None:
    global checks_passed
    if not condition:
        raise SmokeFailed(what)
    checks_passed += 1
    say(f"ok: {what}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_database(url: str, folder: Path) -> str:
    if not url:
        return f"sqlite:///{folder / 'db.sqlite3'}"
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return url


class Browser:
    """Just enough of a browser: cookies, the CSRF token, Origin on posts, no redirects."""

    def __init__(self, base: str, context: ssl.SSLContext):
        self.base = urllib.parse.urlsplit(base)
        self.context = context
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, form: dict | None = None, headers=None):
        connection = http.client.HTTPSConnection(
            self.base.hostname, self.base.port, context=self.context, timeout=30
        )
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = f"{self.base.scheme}://{self.base.netloc}"
        sent.update(headers or {})
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response, content


def form_token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not found:
        raise SmokeFailed("the page has no CSRF token")
    return found.group(1)


def plain_request(port: int, path: str, *, source: str, headers: dict):
    """One request straight to gunicorn, from ``source`` (an address of the loopback)."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0)
    )
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def wait_until(what: str, ready, *, seconds: float, processes=()) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise SmokeFailed(f"{what}: a process ended with {process.returncode}")
        with contextlib.suppress(OSError, ssl.SSLError):
            if ready():
                return
        time.sleep(0.3)
    raise SmokeFailed(f"{what}: not ready after {seconds:.0f}s")


def start(command: list[str], env: dict, out: Path, err: Path) -> subprocess.Popen:
    """In a process group of its own, so stopping it stops whatever it started."""
    with out.open("w") as stdout, err.open("w") as stderr:
        return subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=stdout, stderr=stderr, start_new_session=True
        )


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="casework-smoke-"))
    web_port, https_port, http_port, admin_port = (free_port() for _ in range(4))
    site = f"https://localhost:{https_port}"
    venv_bin = str(Path(sys.executable).parent)
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CASEWORK_", "GUNICORN", "FORWARDED_"))
        and key
        not in {
            "SECRET_KEY",
            "FIELD_ENCRYPTION_KEYS",
            "BLIND_INDEX_KEY",
            "DATABASE_URL",
            "REDIS_URL",
            "ALLOWED_HOSTS",
            "CSRF_TRUSTED_ORIGINS",
            "TRUSTED_PROXIES",
            "SECURE_SSL_REDIRECT",
            "WEB_CONCURRENCY",
        }
    }
    env = {
        **inherited,
        "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}",
        "DJANGO_SETTINGS_MODULE": "casework.settings",
        # What docker-compose.yml's x-app gives every service, with keys of our own.
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "localhost",
        "CSRF_TRUSTED_ORIGINS": site,
        "SITE_URL": site,
        "EMAIL_URL": "consolemail://",
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        "CELERY_BROKER_DIR": str(folder / "broker"),
        "TRUSTED_PROXIES": "127.0.0.1",
        "CASEWORK_BIND": f"127.0.0.1:{web_port}",
        # Caddy's side, with ports and folders of our own.
        "SITE_DOMAIN": "localhost",
        "CASEWORK_UPSTREAM": f"127.0.0.1:{web_port}",
        "CASEWORK_HTTPS_PORT": str(https_port),
        "CASEWORK_HTTP_PORT": str(http_port),
        "CASEWORK_PROXY_ADMIN": f"localhost:{admin_port}",
        "XDG_DATA_HOME": str(folder / "caddy-data"),
        "XDG_CONFIG_HOME": str(folder / "caddy-config"),
        "HOME": str(folder),
    }
    logs = {
        name: folder / f"{name}.log" for name in ("web.out", "web.err", "caddy.out", "caddy.err")
    }
    web = caddy = None

    def manage(*args: str) -> None:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise SmokeFailed(f"manage.py {' '.join(args)}:\n{result.stdout}{result.stderr}")

    try:
        env["DATABASE_URL"] = fresh_database(os.environ.get("SMOKE_DATABASE_URL", ""), folder)
        say(f"database {env['DATABASE_URL'].split('@')[-1]}, web :{web_port}, proxy :{https_port}")

        manage("collectstatic", "--noinput")
        check((folder / "static" / "staticfiles.json").is_file(), "collectstatic wrote a manifest")

        caddyfile = str(ROOT / "deploy" / "Caddyfile")
        caddy = start(
            ["caddy", "run", "--adapter", "caddyfile", "--config", caddyfile],
            env,
            logs["caddy.out"],
            logs["caddy.err"],
        )
        web = start(["sh", "deploy/web.sh"], env, logs["web.out"], logs["web.err"])

        def healthy() -> bool:
            result = subprocess.run(  # noqa: S603
                [sys.executable, "deploy/healthcheck.py"], cwd=ROOT, env=env, capture_output=True
            )
            return result.returncode == 0

        wait_until("web (migrate, check --deploy, gunicorn)", healthy, seconds=120, processes=[web])
        say("deploy/web.sh serves, and the container's health check says so")
        manage(
            "createsuperuser", "--noinput", "--username", USERNAME, "--email", "smoke@example.org"
        )

        root_ca = folder / "caddy-data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
        wait_until("caddy's local authority", root_ca.is_file, seconds=30, processes=[caddy])
        context = ssl.create_default_context(cafile=str(root_ca))

        def proxy_answers() -> bool:
            Browser(site, context).request("GET", "/healthz")
            return True

        wait_until("caddy", proxy_answers, seconds=30, processes=[caddy])

        redirect = http.client.HTTPConnection("localhost", http_port, timeout=10)
        redirect.request("GET", "/accounts/login/")
        answer = redirect.getresponse()
        check(
            answer.status in (301, 308) and answer.getheader("Location", "").startswith("https://"),
            "the proxy sends plain HTTP to HTTPS",
        )

        browser = Browser(site, context)
        response, page = browser.request("GET", "/accounts/login/")
        check(response.status == 200, "the login page answers 200 through the proxy")
        stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page)
        check(stylesheet is not None, "the login page names its stylesheet by its hashed name")
        response, _ = browser.request("GET", stylesheet.group(1))
        check(response.status == 200, f"the static file {stylesheet.group(1)} answers 200")

        response, _ = browser.request(
            "POST",
            "/accounts/login/",
            form={
                "username": USERNAME,
                "password": PASSWORD,
                "csrfmiddlewaretoken": form_token(page),
            },
            headers={"Referer": f"{site}/accounts/login/"},
        )
        check(
            response.status == 302 and response.getheader("Location") == "/accounts/login/setup/",
            "the password is accepted and a second factor is asked for",
        )
        response, page = browser.request("GET", "/accounts/login/setup/")
        secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page)
        check(response.status == 200 and secret is not None, "the setup page shows the key")
        key = secret.group(1).replace(" ", "")
        key = base64.b32decode(key + "=" * (-len(key) % 8))
        response, page = browser.request(
            "POST",
            "/accounts/login/setup/",
            form={"token": f"{TOTP(key).token():06d}", "csrfmiddlewaretoken": form_token(page)},
            headers={"Referer": f"{site}/accounts/login/setup/"},
        )
        check(response.status == 200 and "sessionid" in browser.cookies, "the code logs in")

        response, page = browser.request("GET", "/board/")
        check(response.status == 200, "the board answers 200 to a logged-in user")
        chart = re.search(r'src="(/static/vendor/chart-[^"]+\.[0-9a-f]{12}\.js)"', page)
        check(chart is not None, "the board names Chart.js by its hashed name")
        response, _ = browser.request("GET", chart.group(1))
        check(response.status == 200, f"the static file {chart.group(1)} answers 200")

        search = f"/cases/?q={CANARY}"
        response, _ = browser.request("GET", search, headers={"Referer": f"{site}{search}"})
        check(response.status == 200, "a search answers 200")
        response, _ = browser.request("GET", "/board/", headers={"Referer": f"{site}{search}"})
        check(response.status == 200, "the next page, with the search as its Referer, answers 200")
        response, _ = Browser(site, context).request("GET", search)
        check(
            response.status == 302 and CANARY in response.getheader("Location", ""),
            "a search without a session is sent to log in, the search in its next=",
        )

        forged = {"Host": "localhost", "X-Forwarded-Proto": "https"}
        response = plain_request(web_port, "/accounts/login/", source="127.0.0.2", headers=forged)
        check(
            response.status == 301 and response.getheader("Location", "").startswith("https://"),
            "X-Forwarded-Proto from an address that is not the proxy is not believed",
        )
        response = plain_request(web_port, "/accounts/login/", source="127.0.0.1", headers=forged)
        check(response.status == 200, "X-Forwarded-Proto from the proxy's address is believed")
    except SmokeFailed as failure:
        say(f"FAILED: {failure}")
        for name, path in logs.items():
            if path.exists():
                print(
                    f"--- {name} (last lines) ---\n"
                    + "\n".join(path.read_text().splitlines()[-30:])
                )
        return 1
    finally:
        stop(web)
        stop(caddy)

    try:
        written = {name: path.read_text() for name, path in logs.items()}
        check("/cases/" in written["web.out"], "gunicorn's access log shows the search's path")
        check("/cases/" in written["caddy.out"], "the proxy's access log shows the search's path")
        leaked = [name for name, text in written.items() if CANARY.lower() in text.lower()]
        check(leaked == [], f"the searched name is in no log (leaked into: {leaked or 'none'})")
    except SmokeFailed as failure:
        say(f"FAILED: {failure}")
        return 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    say(f"production smoke: {checks_passed} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
