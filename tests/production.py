"""Production settings in a subprocess, and the static files the image is built with.

`production_static_root` runs the Dockerfile's own `collectstatic` instruction (with
the virtualenv's python), so a test that uses it proves what the image would hold.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
SECRETS = {"SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "ALLOWED_HOSTS"}


def environment_without_settings() -> dict:
    """This process's environment without anything that picks Casework's settings."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CASEWORK_")) and key not in SECRETS
    }


def production_env(**overrides) -> dict:
    return {
        **environment_without_settings(),
        "DJANGO_SETTINGS_MODULE": "casework.settings",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "k7Q-vB2x" + Fernet.generate_key().decode(),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEY": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "casework.example.org",
        **overrides,
    }


def dockerfile_instruction(containing: str) -> str:
    """The shell command of the Dockerfile's RUN instruction that mentions ``containing``."""
    text = (ROOT / "Dockerfile").read_text()
    instructions = re.split(r"\n(?=[A-Z]+ )", re.sub(r"\\\n", " ", text))
    found = [i for i in instructions if i.startswith("RUN ") and containing in i]
    assert len(found) == 1, f"one RUN instruction with {containing!r} expected, found {found}"
    return found[0].removeprefix("RUN ").strip()


@pytest.fixture(scope="session")
def production_static_root(tmp_path_factory) -> Path:
    static_root = tmp_path_factory.mktemp("staticfiles")
    python_dir = Path(sys.executable).parent
    result = subprocess.run(  # noqa: S603
        ["sh", "-c", dockerfile_instruction("collectstatic")],  # noqa: S607
        cwd=ROOT,
        env={
            **environment_without_settings(),
            "PATH": f"{python_dir}{os.pathsep}{os.environ['PATH']}",
            "STATIC_ROOT": str(static_root),
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return static_root
