"""``python -m casework_dev.bench`` (``make bench``): measure on SQLite and, when
DATABASE_URL points at PostgreSQL, on PostgreSQL too, then print one table.

Each database is measured in its own process (settings are read once per process).
Environment: BENCH_PERSONS (default 100,000), BENCH_SEED, BENCH_REPEATS,
BENCH_PAGE_SECONDS, BENCH_PAGES (comma-separated parts of page names to measure only
those), BENCH_SQLITE=0 to skip SQLite.
"""

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

from casework_dev.bench.run import BASE_DIR, PERSONS

COLUMNS = (
    ("page", "page", "<", 34),
    ("db", "db", "<", 10),
    ("median_ms", "median ms", ">", 10),
    ("p95_ms", "p95 ms", ">", 9),
    ("queries", "queries", ">", 7),
    ("sql_ms", "SQL ms", ">", 8),
    ("ratio", "× SQL", ">", 6),
    ("note", "note", "<", 0),
)


def _databases() -> list[tuple[str, str]]:
    databases = []
    if os.environ.get("BENCH_SQLITE", "1") != "0":
        path = BASE_DIR / "var" / "bench" / f"bench-{PERSONS}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        databases.append(("sqlite", f"sqlite:///{path}"))
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        databases.append(("postgresql", url))
    return databases


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB memory"
    return f"{os.cpu_count()} CPUs ({cpu}){memory}"


def _cell(value, align: str, width: int) -> str:
    if value is None:
        text = ""
    elif isinstance(value, float):
        # Two decimals below one (the calibration's times are fractions of a millisecond).
        text = f"{value:.2f}" if abs(value) < 1 else f"{value:,.1f}"
    else:
        text = str(value)
    return f"{text:{align}{width}}" if width else text


def table(results: list[dict]) -> str:
    lines = [" ".join(_cell(title, align, width) for _, title, align, width in COLUMNS)]
    lines.append("-" * len(lines[0]))
    for result in results:
        for row in result["rows"]:
            row = {**row, "db": result["vendor"]}
            lines.append(" ".join(_cell(row.get(k), a, w) for k, _, a, w in COLUMNS).rstrip())
    return "\n".join(lines)


def main() -> None:
    results = []
    for vendor, url in _databases():
        print(f"Measuring {vendor} with {PERSONS:,} people…", file=sys.stderr)
        env = {**os.environ, "DATABASE_URL": url}
        done = subprocess.run(
            [sys.executable, "-m", "casework_dev.bench.run"],
            env=env,
            cwd=BASE_DIR,
            stdout=subprocess.PIPE,
            check=False,
        )
        if done.returncode:
            sys.exit(f"bench on {vendor} failed (exit {done.returncode}).")
        results.append(json.loads(done.stdout))
    print(f"\nCasework bench: {PERSONS:,} synthetic people; {_machine()}")
    print(table(results))


if __name__ == "__main__":
    main()
