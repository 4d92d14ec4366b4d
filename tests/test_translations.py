"""Every message of the interface has a checked Korean translation.

The sources are copied to a temporary folder and `makemessages` collects their
messages there, exactly as `make messages` does, into a copy of the catalogue; GNU
gettext's msgattrib then lists what has no Korean translation or is still fuzzy. A
message added in code but not translated fails here, with its file.

GNU gettext is needed (apt-get install gettext): without it the test is skipped
locally, and fails in CI (CASEWORK_REQUIRE_SERVICES=1, see tests/conftest.py).
"""

import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = Path("locale/ko/LC_MESSAGES/django.po")
SOURCES = ["casework", "templates", "static/js", "locale", "manage.py"]
# As the Makefile's `messages` target and the brief: what makemessages must not read.
IGNORED = [".venv/*", "casework_dev/*", "tests/*", "mutants/*", "var/*", "static/vendor/*"]
GETTEXT_TOOLS = ["xgettext", "msgmerge", "msguniq", "msgattrib", "msgfmt"]


def gettext_tools_or_skip() -> None:
    missing = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"GNU gettext is not installed ({', '.join(missing)}): apt-get install gettext")


def run(*args: str, cwd: Path) -> str:
    result = subprocess.run(  # noqa: S603
        list(args),
        cwd=cwd,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "casework.settings",
            # The copy holds no casework_dev: its tools stay out of INSTALLED_APPS.
            "CASEWORK_DEV_TOOLS": "0",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def entries_of(po_text: str) -> list[tuple[str, str]]:
    """(files, message) of each entry msgattrib printed, the header left out.

    msgattrib prints with --no-wrap, so each entry's location and msgid are one line.
    """
    found = []
    for block in po_text.split("\n\n"):
        msgid = re.search(r'^msgid "(.*)"$', block, re.MULTILINE)
        if msgid is None or msgid.group(1) == "":
            continue
        files = re.search(r"^#: (.*)$", block, re.MULTILINE)
        context = re.search(r'^msgctxt "(.*)"$', block, re.MULTILINE)
        message = msgid.group(1) + (f" [context: {context.group(1)}]" if context else "")
        found.append((files.group(1) if files else "?", message))
    return found


def report(title: str, entries: list[tuple[str, str]]) -> str:
    by_file = defaultdict(list)
    for files, message in entries:
        by_file[files].append(message)
    lines = [f"{len(entries)} {title}:"]
    for files in sorted(by_file):
        lines.append(f"  {files}")
        lines.extend(f"    - {message}" for message in by_file[files])
    return "\n".join(lines)


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Path:
    """The catalogue as `make messages` would leave it for the sources as they are."""
    gettext_tools_or_skip()
    copy = tmp_path_factory.mktemp("messages")
    for source in SOURCES:
        if (ROOT / source).is_dir():
            shutil.copytree(
                ROOT / source, copy / source, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
            )
        elif (ROOT / source).exists():
            shutil.copy2(ROOT / source, copy / source)
    ignores = [flag for pattern in IGNORED for flag in ("-i", pattern)]
    run(
        sys.executable,
        "manage.py",
        "makemessages",
        "-l",
        "ko",
        "--add-location",
        "file",
        *ignores,
        cwd=copy,
    )
    return copy / CATALOGUE


def test_every_message_has_a_korean_translation(collected):
    untranslated = entries_of(
        run("msgattrib", "--untranslated", "--no-wrap", str(collected), cwd=collected.parent)
    )
    fuzzy = entries_of(
        run("msgattrib", "--only-fuzzy", "--no-wrap", str(collected), cwd=collected.parent)
    )

    problems = []
    if untranslated:
        problems.append(report("messages without a Korean translation", untranslated))
    if fuzzy:
        problems.append(report("fuzzy messages (check them, then remove '#, fuzzy')", fuzzy))
    assert not problems, "\n\n".join(
        [*problems, "Run `make messages`, translate in locale/ko/LC_MESSAGES/django.po."]
    )


def test_the_catalogue_keeps_every_placeholder_and_compiles():
    gettext_tools_or_skip()
    # --check: placeholders (%(count)s, {n}) kept, plural forms and header in order.
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "--output-file", os.devnull, str(ROOT / CATALOGUE)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
