"""Audit the installed dependencies with pip-audit against a reviewed allow-list.

Fails (exit 1) on any known vulnerability whose id is not in .pip-audit-ignore, where
every line must say why it is accepted: ``GHSA-xxxx-xxxx-xxxx  reason``. When pip-audit
cannot reach its advisory database, nothing was audited: that is printed plainly, and
the step fails only if PIP_AUDIT_REQUIRED=1 (a network that can reach the database).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORE_FILE = ROOT / ".pip-audit-ignore"
UNREACHABLE = "pip-audit: the advisory database could not be reached; nothing was audited."


def allowed(text: str) -> dict[str, str]:
    """The accepted advisory ids and why; a line without a reason is an error."""
    entries = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        vuln_id, _, reason = line.partition(" ")
        if not reason.strip():
            raise ValueError(f".pip-audit-ignore:{number}: {vuln_id} does not say why.")
        entries[vuln_id] = reason.strip()
    return entries


def verdict(report: dict, ok: dict[str, str], required: bool) -> tuple[int, list[str]]:
    """Exit code and lines to print for one pip-audit JSON report."""
    lines, unexplained, audited, skipped = [], 0, 0, 0
    for dep in report.get("dependencies", []):
        if "skip_reason" in dep:
            skipped += 1
            continue
        audited += 1
        for vuln in dep.get("vulns", []):
            accepted = sorted({vuln["id"], *vuln.get("aliases", [])} & ok.keys())
            name = f"{dep['name']} {dep['version']} {vuln['id']}"
            if accepted:
                lines.append(f"pip-audit: {name} accepted: {ok[accepted[0]]}")
            else:
                unexplained += 1
                lines.append(f"pip-audit: VULNERABLE {name}, fixed in {vuln.get('fix_versions')}")
    if audited == 0:
        lines.append(f"{UNREACHABLE} ({skipped} dependencies skipped)")
        return (1 if required else 0), lines
    lines.append(
        f"pip-audit: {audited} audited, {skipped} skipped, {unexplained} unexplained findings."
    )
    return (1 if unexplained else 0), lines


def main() -> int:
    required = os.environ.get("PIP_AUDIT_REQUIRED") == "1"
    command = [sys.executable, "-m", "pip_audit", "--local", "--format", "json"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stderr[-2000:])
        print(UNREACHABLE)
        return 1 if required else 0
    code, lines = verdict(report, allowed(IGNORE_FILE.read_text()), required)
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main())
