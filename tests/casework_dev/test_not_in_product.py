"""The development tools stay out of the product. Under production settings no module of
``casework`` (URLs, views, admin, tasks, commands, migrations) imports ``casework_dev``,
and its commands do not exist; development settings, or the explicit flag, install it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent.parent

# Import everything the product is made of, as the web server, the worker and
# ``manage.py`` would, then say what of the development tools got loaded.
SCRIPT = """
import importlib, json, pkgutil, sys
import django

django.setup()
import casework
from casework.celery import app as celery_app
from django.conf import settings
from django.contrib import admin
from django.core.management import get_commands
from django.urls import get_resolver

for module in pkgutil.walk_packages(casework.__path__, "casework."):
    importlib.import_module(module.name)
get_resolver().url_patterns
admin.autodiscover()
celery_app.loader.import_default_modules()
print(json.dumps({
    "installed": "casework_dev" in settings.INSTALLED_APPS,
    "imported": sorted(
        name for name in sys.modules if name.split(".")[0] == "casework_dev"
    ),
    "commands": sorted(name for name, app in get_commands().items() if app == "casework_dev"),
}))
"""

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "SECRET_KEY": "x" * 50,
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "BLIND_INDEX_KEY": "y" * 32,
    "ALLOWED_HOSTS": "casework.example.org",
}


def product_loaded(**env) -> dict:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {*PRODUCTION, "CASEWORK_DEV_TOOLS", "CASEWORK_DEMO_MODE"}
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "casework.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_import_no_development_tool():
    loaded = product_loaded(**PRODUCTION)

    assert loaded == {"installed": False, "imported": [], "commands": []}


@pytest.mark.parametrize(
    "env",
    [{"DJANGO_DEBUG": "1"}, {**PRODUCTION, "CASEWORK_DEV_TOOLS": "1"}],
    ids=["development", "production with CASEWORK_DEV_TOOLS=1"],
)
def test_development_settings_install_the_tools_and_their_commands(env):
    loaded = product_loaded(**env)

    assert loaded["installed"]
    assert "casework_dev.apps" in loaded["imported"]
    assert loaded["commands"] == ["bench_letters", "seed_synthetic"]
