"""The deployment's own checks: a production build without its static manifest answers
500 on every page, so `check --deploy` (run by deploy/web.sh before gunicorn) refuses it."""

import json
import shutil
import subprocess
import sys

import pytest

from casework.checks import static_manifest_complete
from tests.production import ROOT, production_env

MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def check_deploy(**env) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
        cwd=ROOT,
        env=production_env(**env),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_image_collects_static_files_with_the_production_storage(production_static_root):
    manifest = json.loads((production_static_root / "staticfiles.json").read_text())

    assert "vendor/chart-4.6.1.umd.min.js" in manifest["paths"]
    assert "css/casework.css" in manifest["paths"]


def test_check_deploy_refuses_production_without_a_static_manifest(tmp_path):
    result = check_deploy(STATIC_ROOT=str(tmp_path))

    assert result.returncode != 0
    assert "casework.E040" in result.stderr
    assert "No static files manifest" in result.stderr


def test_check_deploy_accepts_the_static_files_the_image_collects(production_static_root):
    result = check_deploy(STATIC_ROOT=str(production_static_root))

    assert result.returncode == 0, result.stderr
    assert "casework.E04" not in result.stdout + result.stderr


@pytest.fixture
def production_static(settings, tmp_path):
    settings.DEBUG = False
    settings.STORAGES = MANIFEST_STORAGE
    settings.STATIC_ROOT = tmp_path
    return tmp_path


def test_a_manifest_older_than_the_code_is_refused(production_static, production_static_root):
    manifest = json.loads((production_static_root / "staticfiles.json").read_text())
    del manifest["paths"]["vendor/htmx-2.0.11.min.js"]
    (production_static / "staticfiles.json").write_text(json.dumps(manifest))

    errors = static_manifest_complete(None)

    assert [error.id for error in errors] == ["casework.E041"]
    assert "vendor/htmx-2.0.11.min.js" in errors[0].msg


def test_an_unreadable_manifest_is_refused(production_static):
    (production_static / "staticfiles.json").write_text("{not json")

    assert [error.id for error in static_manifest_complete(None)] == ["casework.E040"]


def test_a_complete_manifest_passes(production_static, production_static_root):
    shutil.copy(production_static_root / "staticfiles.json", production_static)

    assert static_manifest_complete(None) == []


def test_development_needs_no_manifest(settings, tmp_path):
    settings.DEBUG = True
    settings.STORAGES = MANIFEST_STORAGE
    settings.STATIC_ROOT = tmp_path

    assert static_manifest_complete(None) == []
