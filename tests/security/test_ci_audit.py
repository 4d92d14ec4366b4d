"""The dependency audit in CI fails on findings nobody explained, and only on those."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent.parent / ".ci" / "pip_audit.py"
spec = importlib.util.spec_from_file_location("ci_pip_audit", SCRIPT)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

VULNERABLE = {
    "dependencies": [
        {"name": "django", "version": "5.2.19", "vulns": []},
        {
            "name": "somelib",
            "version": "1.0",
            "vulns": [
                {"id": "PYSEC-2026-1", "aliases": ["GHSA-aaaa-bbbb-cccc"], "fix_versions": ["1.1"]}
            ],
        },
    ]
}


def test_an_unexplained_vulnerability_fails_the_audit():
    code, lines = audit.verdict(VULNERABLE, {}, required=False)

    assert code == 1
    assert "pip-audit: VULNERABLE somelib 1.0 PYSEC-2026-1, fixed in ['1.1']" in lines


def test_a_vulnerability_explained_in_the_allow_list_passes_with_its_reason():
    ok = audit.allowed(
        "# reviewed\nGHSA-aaaa-bbbb-cccc  only the XML parser, which we do not use\n"
    )

    code, lines = audit.verdict(VULNERABLE, ok, required=False)

    assert code == 0
    assert lines[0] == (
        "pip-audit: somelib 1.0 PYSEC-2026-1 accepted: only the XML parser, which we do not use"
    )


def test_an_allow_list_entry_without_a_reason_is_refused():
    with pytest.raises(ValueError, match="does not say why"):
        audit.allowed("GHSA-aaaa-bbbb-cccc\n")


def test_an_unreachable_database_is_reported_and_fails_only_where_required():
    nothing = {
        "dependencies": [{"name": "django", "version": "5.2.19", "skip_reason": "not found"}]
    }

    assert audit.verdict(nothing, {}, required=False)[0] == 0
    assert audit.verdict(nothing, {}, required=True)[0] == 1
    assert audit.UNREACHABLE in audit.verdict(nothing, {}, required=False)[1][0]


def test_the_project_allow_list_is_well_formed():
    audit.allowed(audit.IGNORE_FILE.read_text())
