"""Casework settings, read from the environment.

Local defaults are safe for a laptop with demo data (SQLite, console email, an
embedded broker). With ``DJANGO_DEBUG=0`` every secret must come from the
environment: a missing one stops the process instead of running with a default.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Demo mode relaxes what only makes sense for real accounts (e.g. two-factor login).
DEMO_MODE = env.bool("CASEWORK_DEMO_MODE", default=DEBUG)

# Development-only values: public, so they are refused outside DEBUG.
_DEV_SECRET_KEY = "dev-only-insecure-secret-key-never-use-in-production"  # noqa: S105 # nosec B105
_DEV_FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1hLXNlY3JldCE="  # noqa: S105
_DEV_BLIND_INDEX_KEY = "dev-only-blind-index-key"  # noqa: S105


def _required_in_production(name: str, dev_default: str) -> str:
    value = env.str(name, default="")
    if value:
        return value
    if DEBUG:
        return dev_default
    raise ImproperlyConfigured(
        f"{name} must be set when DJANGO_DEBUG=0; Casework will not start with a "
        "development default in production."
    )


SECRET_KEY = _required_in_production("SECRET_KEY", _DEV_SECRET_KEY)
# Newest key first; older keys only decrypt until `rotate_encryption_keys` has run.
FIELD_ENCRYPTION_KEYS = [
    key.strip()
    for key in _required_in_production("FIELD_ENCRYPTION_KEYS", _DEV_FIELD_KEY).split(",")
    if key.strip()
]
BLIND_INDEX_KEY = _required_in_production("BLIND_INDEX_KEY", _DEV_BLIND_INDEX_KEY)
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or _DEV_FIELD_KEY in FIELD_ENCRYPTION_KEYS):
    raise ImproperlyConfigured("A development key was given in production settings.")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "simple_history",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    # The project itself: the deployment's own system checks (casework/checks.py).
    "casework",
    "casework.accounts",
    "casework.cases",
    "casework.erasure",
    "casework.documents",
    "casework.letters",
    "casework.reminders",
    "casework.board",
]
# Development tools (synthetic data, ``make bench``): a package of their own that the
# product never imports, installed only where development wants them.
DEV_TOOLS = env.bool("CASEWORK_DEV_TOOLS", default=DEBUG)
if DEV_TOOLS:
    INSTALLED_APPS.append("casework_dev")

MIDDLEWARE = [
    # First: X-Forwarded-Proto is believed only from TRUSTED_PROXIES (casework/proxy.py).
    "casework.proxy.TrustedProxySchemeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before everything that may answer early, so every dynamic response is covered.
    "casework.accounts.middleware.NoStoreMiddleware",
    # Before the session is read: a NUL in a cookie or a URL would reach a query as a 500.
    "casework.middleware.NulCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of pages before login: the language cookie (the switch in every
    # page's header), else Accept-Language, else LANGUAGE_CODE.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Once logged in, the language saved on the account wins (User.language).
    "casework.accounts.middleware.UserLanguageMiddleware",
    # The staleness limits (the "no news" rules) are read at most once per request.
    "casework.cases.state.StaleLimitsPerRequest",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends idle and too-old sessions before anything reads request.user.
    "casework.accounts.middleware.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Outside demo mode, a session without a second factor reaches nothing.
    "casework.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a lockout into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "casework.urls"
WSGI_APPLICATION = "casework.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "casework.reminders.context_processors.inbox",
            ],
        },
    },
]

# In each process's memory: drawn pieces of pages that hold no case data (the board's
# filter form, the quick update's fields), keyed by everything they show. Nothing
# about a person is cached, so nothing about a person can outlive an erasure here.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "casework",
    }
}

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server, the worker and beat share the embedded database.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: the correlated subqueries of the case lists look expensive to the planner,
    # which then spends longer compiling a query than running it (docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
# django-axes first: it refuses a locked-out username or address before any password check.
AUTHENTICATION_BACKENDS = [
    "casework.accounts.backends.ThrottlingBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The interface's languages (a family contact's language is cases.enums.SpokenLanguage).
# Lazy, so the admin's language field names them in the reader's language; the switch
# in each page's header names each in its own ("English", "한국어").
LANGUAGES = [("en", _("English")), ("ko", _("Korean"))]
# The Korean catalogue, locale/ko/LC_MESSAGES/django.po (`make messages`); the .mo is
# compiled from it by the build and by `make run` / `make test`, never kept in git.
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date and number formats per language (casework/formats/<language>/formats.py); templates
# name them ("DATE_FORMAT"), never spell a format out.
FORMAT_MODULE_PATH = "casework.formats"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded documents live outside the web root and are served only through views.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Largest document or photo accepted on a case (checked again on the bytes received).
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Digests of erased references, appended at each confirmed erasure and re-applied after
# a restore (docs/backup.md); keep it with the backups, outside the database.
ERASURE_LEDGER_PATH = Path(
    env.str("ERASURE_LEDGER_PATH", default=str(VAR_DIR / "erasure-ledger.jsonl"))
)

# Email carries references and links only, never identities.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="casework@localhost")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Broker: Redis when REDIS_URL is set; otherwise kombu's filesystem transport, so a
# fresh machine runs a worker and beat with no server at all.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_DIR = Path(env.str("CELERY_BROKER_DIR", default=str(VAR_DIR / "broker")))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A connect timeout, so an unreachable Redis cannot hold a caseworker's save for long.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 3}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# Security: the production values are the defaults; DEBUG relaxes only what needs TLS.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# The language chosen before login (or by an account without a saved language).
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Only when sent by one of TRUSTED_PROXIES: TrustedProxySchemeMiddleware drops it otherwise.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The container's health check asks over plain HTTP from inside; it learns only up/down.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Sessions: an absolute lifetime (the cookie age, never extended by activity), an idle
# timeout, and a recent password + second factor before sensitive actions (bulk reveal,
# export, purge, role changes: see casework.accounts.reauth.require_recent_auth).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_ABSOLUTE_LIFETIME = SESSION_COOKIE_AGE
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
REAUTH_MAX_AGE = env.int("REAUTH_MAX_AGE", default=10 * 60)

# Two-factor login (django-otp: TOTP plus single-use recovery codes). Demo mode skips it
# so the printed demo logins work; real accounts always need it.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Casework")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
RECOVERY_CODE_COUNT = 10
# How long a password-checked login may wait for its second factor.
LOGIN_PENDING_MAX_AGE = 5 * 60

# Login throttling (django-axes): a username, and separately a client address, are locked
# after AXES_FAILURE_LIMIT failures (wrong passwords and wrong one-time codes alike) for
# AXES_COOLOFF_TIME; the lock expires, so nobody can lock an administrator out for good.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "casework.accounts.client_ip.client_ip"
# Addresses of the reverse proxies in front of the app (the compose file's proxy): only
# their X-Forwarded-For is believed; anyone else's is ignored, so it cannot be forged.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# Content Security Policy (django-csp): no inline script or style anywhere, the admin
# included; scripts, styles and images come from our own static files only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A query string may hold a searched name (a CSRF failure logs the Referer, runserver
    # the request line): every handler drops query strings (casework/logs.py).
    "filters": {"no_query_strings": {"()": "casework.logs.RedactQueryStrings"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_query_strings"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["no_query_strings"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # Request bodies and SQL parameters may hold identities: never log them.
        "django.db.backends": {"level": "WARNING"},
        # PDF rendering narrates every step at INFO; keep only its warnings.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
