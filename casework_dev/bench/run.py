"""Measure one database: ``python -m casework_dev.bench.run`` prints the rows as JSON on stdout.

The database is the one DATABASE_URL names (``python -m casework_dev.bench`` sets it). It is built
once with ``seed_synthetic``'s generator (``BENCH_PERSONS`` people, default 100,000,
seed ``BENCH_SEED``) and reused while it holds that many people. Each page is fetched
through Django's test client, logged in as a coordinator (or, where the page says so, a
caseworker): a warm-up, then up to ``BENCH_REPEATS`` timed requests (fewer for slow
pages, within ``BENCH_PAGE_SECONDS``).
Its queries are captured once; after each timed request its SELECTs are re-run directly
on the same connection, and the time its writes (the access log's row and its commit)
took at the driver during that request is added: that is the page's SQL floor, and
median / floor is the overhead the page adds to its own SQL (templates, Python, per-row
work). Page and floor alternate, so a machine whose speed drifts (shared CPUs) slows
both alike rather than skewing their ratio.
"""

import io
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus, urlencode

import django

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PERSONS = int(os.environ.get("BENCH_PERSONS", "100000"))
SEED = int(os.environ.get("BENCH_SEED", "1"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "20"))
PAGE_SECONDS = float(os.environ.get("BENCH_PAGE_SECONDS", "20"))
COORDINATOR = "bench-coordinator"
CALIBRATION = "calibration: one ORM read by key"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
    # The seeding's hooks (letters) are registered by this package's app, also when the
    # bench runs with DJANGO_DEBUG=0.
    os.environ.setdefault("CASEWORK_DEV_TOOLS", "1")
    os.environ.setdefault(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'bench' / f'bench-{PERSONS}.sqlite3'}"
    )
    django.setup()
    from django.conf import settings

    # Measure what production runs: no query log, no debug pages, and templates rendered
    # as in production. (``setup_test_environment`` would make every template, each
    # widget's included, send a signal on which the test client copies the context.)
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ROOT_URLCONF = "casework_dev.bench.untuned"


def _meta_path() -> Path:
    from django.db import connection

    name = Path(str(connection.settings_dict["NAME"])).stem
    return BASE_DIR / "var" / "bench" / f"seed-{connection.vendor}-{name}-{PERSONS}.json"


def _database() -> dict:
    """Migrate, then seed or reuse; returns what the seeding measured (if it ran here)."""
    from django.core.management import call_command

    from casework.cases.models import Person
    from casework_dev.management.commands.seed_synthetic import ProgressBar
    from casework_dev.synthetic import cases as synthetic

    call_command("migrate", verbosity=0)
    meta_path = _meta_path()
    have = Person.objects.count()
    if have == 0:
        report = synthetic.seed(
            persons=PERSONS, seed=SEED, progress=ProgressBar(sys.stderr, "seeding people")
        )
        # The reminders real use would hold by now, so that inboxes and badges are
        # measured full: the first sweep writes a reminder for every case gone quiet.
        started = time.perf_counter()
        call_command("run_reminders", "--every-case", verbosity=0, stdout=io.StringIO())
        meta = {
            "persons": report.persons,
            "events": report.events,
            "groups": report.groups,
            **report.others,
            "seconds": report.seconds,
            "first_sweep_seconds": time.perf_counter() - started,
        }
        meta_path.parent.mkdir(parents=True, exist_ok=True)
        meta_path.write_text(json.dumps(meta))
        return meta
    if have != PERSONS:
        sys.exit(
            f"The bench database holds {have:,} people, not BENCH_PERSONS={PERSONS:,}: "
            "point DATABASE_URL at an empty database or set BENCH_PERSONS to match."
        )
    return json.loads(meta_path.read_text()) if meta_path.exists() else {}


def _coordinator():
    from django.contrib.auth.models import Group as AuthGroup

    from casework.accounts.enums import Role
    from casework.accounts.models import User

    user, _ = User.objects.get_or_create(username=COORDINATOR, defaults={"is_staff": True})
    user.groups.add(AuthGroup.objects.get(name=Role.COORDINATOR))
    return user


def _caseworker():
    """The first synthetic caseworker: on a team of a quarter of all caseworkers."""
    from casework.accounts.models import User

    return User.objects.filter(username__startswith="synthetic-caseworker-").earliest("username")


def _statistics_fresh() -> None:
    """Planner statistics as autovacuum keeps them in use: the bench's coordinator and
    its inbox (filled by an earlier sweep) may be newer than the last analysis, and a
    server may run without autovacuum. One sampled ``ANALYZE``, cheap beside the run."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def placeholders(persons: int = PERSONS) -> dict[str, str]:
    from django.db.models import Count

    from casework.board.forms import ReportForm
    from casework.cases.models import Group, Person
    from casework.letters.models import Letter

    # The middle person written about (letters were seeded for about a third of people).
    person = Person.objects.order_by("id")[persons // 2 : persons // 2 + 1].get()
    letter = Letter.objects.filter(person__pk__gte=person.pk).order_by("person_id").first()
    if letter is not None:
        person = letter.person
    group = (
        Group.objects.annotate(n=Count("memberships")).filter(n=20).order_by("id").first()
        or Group.objects.annotate(n=Count("memberships")).order_by("-n", "id").first()
    )
    suggested = ReportForm.suggested()
    return {
        "person": person.reference,
        "person_pk": str(person.pk),
        "pseudonym": quote_plus(person.pseudonym),
        # Its first word, which the synthetic names give one person in twenty.
        "pseudonym_word": quote_plus(person.pseudonym.split()[0]),
        "group20": group.reference,
        "group20_pk": str(group.pk),
        "letter": letter.reference if letter else "",
        # The report's suggestion: the twelve months to the end of last month, and since.
        "report_periods": urlencode(suggested),
        "board_period": urlencode(
            {"detained_after": suggested["start_1"], "detained_before": suggested["stop_1"]}
        ),
    }


def _fetch(client, path: str) -> int:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def _is_read(sql: str) -> bool:
    return sql.lstrip().upper().startswith(("SELECT", "WITH"))


def sql_floor(captured: list[dict], repeats: int = 5) -> float:
    """Median seconds to run the captured SELECTs directly, fetching every row."""
    from django.db import connection

    selects = [q["sql"] for q in captured if _is_read(q["sql"])]
    raw = connection.connection.cursor()
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        for sql in selects:
            raw.execute(sql)
            raw.fetchall()
        runs.append(time.perf_counter() - started)
    raw.close()
    return statistics.median(runs)


class WriteTimer:
    """Seconds a request spent in its writes, at the driver (they cannot be re-run)."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        if _is_read(sql):
            return execute(sql, params, many, context)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the 95th of 20 runs is the 19th fastest."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered), math.ceil(fraction * len(ordered))) - 1)]


def measure_page(client, path: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _fetch(client, path)  # warm-up: caches, template loading, the database's pages
    with CaptureQueriesContext(connection) as capture:
        _fetch(client, path)
    # A copy: the next request's start empties the log that ``capture`` reads from.
    captured = list(capture.captured_queries)
    times, floors = [], []
    budget_end = time.perf_counter() + PAGE_SECONDS
    while len(times) < REPEATS and (len(times) < 3 or time.perf_counter() < budget_end):
        writes = WriteTimer()
        with connection.execute_wrapper(writes):
            started = time.perf_counter()
            _fetch(client, path)
            times.append(time.perf_counter() - started)
        floors.append(sql_floor(captured, repeats=1) + writes.seconds)
    median, floor = statistics.median(times), statistics.median(floors)
    return {
        "median_ms": median * 1000,
        "p95_ms": percentile(times, 0.95) * 1000,
        "queries": len(captured),
        "sql_ms": floor * 1000,
        "ratio": median / floor if floor else None,
        "note": f"{len(times)} runs",
    }


def measure_orm_read(user, reads: int = 200) -> dict:
    """The calibration row: the read every request makes (its user, by primary key)
    through the ORM, against the same SQL run directly; times are per read.

    It shows what Django adds to each query before any page's own work (building the
    query, compiling it, making the model): a page made only of such small reads stands
    about this many times above its SQL however lean its own code is.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    manager = type(user)._default_manager

    def read_all() -> None:
        for _ in range(reads):
            manager.get(pk=user.pk)

    read_all()  # warm-up
    with CaptureQueriesContext(connection) as capture:
        manager.get(pk=user.pk)
    captured = list(capture.captured_queries) * reads
    times, floors = [], []
    for _ in range(max(3, min(REPEATS, 10))):
        started = time.perf_counter()
        read_all()
        times.append((time.perf_counter() - started) / reads)
        floors.append(sql_floor(captured, repeats=1) / reads)
    median, floor = statistics.median(times), statistics.median(floors)
    return {
        "median_ms": median * 1000,
        "p95_ms": percentile(times, 0.95) * 1000,
        "queries": 1,
        "sql_ms": floor * 1000,
        "ratio": median / floor if floor else None,
        "note": f"per read, {reads} reads a run",
    }


def _resident_bytes() -> int:
    """The process's resident memory now (Linux; 0 where /proc is missing)."""
    statm = Path("/proc/self/statm")
    if not statm.exists():
        return 0
    return int(statm.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def measure_export(client, path: str) -> dict:
    """Time one full export and sample the process's memory while it streams.

    Resident memory, sampled every 1,000 chunks, rather than tracemalloc: tracing every
    allocation made an export of a million rows take longer than the rest of the run.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before = peak = _resident_bytes()
    started = time.perf_counter()
    size = 0
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        for i, chunk in enumerate(response.streaming_content):
            size += len(chunk)
            if i % 1000 == 0:
                peak = max(peak, _resident_bytes())
    seconds = time.perf_counter() - started
    peak = max(peak, _resident_bytes())
    return {
        "median_ms": seconds * 1000,
        "queries": len(captured.captured_queries),
        "note": f"{size / 1e6:,.1f} MB streamed; resident memory {peak / 1e6:,.0f} MB at peak, "
        f"{(peak - before) / 1e6:,.0f} MB more than before",
    }


def main() -> None:
    _setup()
    from django.core.management import call_command, get_commands
    from django.db import connection
    from django.test import Client
    from django.urls import Resolver404, resolve

    from casework_dev.bench.pages import JOBS, PAGES

    meta = _database()
    client = Client()
    client.force_login(_coordinator())
    clients = {"coordinator": client}
    if any(page.user == "caseworker" for page in PAGES):
        clients["caseworker"] = Client()
        clients["caseworker"].force_login(_caseworker())
    _statistics_fresh()
    fill = placeholders()
    rows = []
    wanted = [w.strip().lower() for w in os.environ.get("BENCH_PAGES", "").split(",") if w.strip()]
    if not wanted or any(w in CALIBRATION for w in wanted):
        rows.append({"page": CALIBRATION, **measure_orm_read(_coordinator())})
    for page in PAGES:
        if wanted and not any(w in page.name.lower() for w in wanted):
            continue
        path = page.path.format(**fill)
        row = {"page": page.name}
        try:
            resolve(path.split("?")[0])
        except Resolver404:
            rows.append({**row, "note": "not built"})
            continue
        try:
            measure = measure_export if page.export else measure_page
            row.update(measure(clients[page.user], path))
        except RuntimeError as exc:
            row["note"] = str(exc)
        rows.append(row)
        print(f"  {connection.vendor}: {json.dumps(row)}", file=sys.stderr)
    commands = get_commands()
    for name, command, args in JOBS:
        if command not in commands:
            rows.append({"page": name, "note": "not built"})
            continue
        started = time.perf_counter()
        # Stdout carries the JSON result; a command's own report goes elsewhere.
        call_command(command, *args, verbosity=0, stdout=io.StringIO())
        rows.append({"page": name, "median_ms": (time.perf_counter() - started) * 1000})
    if not wanted or any("letter" in w for w in wanted):
        from casework_dev.bench.letters import letters_bench

        for label, per_second in letters_bench(letters=int(os.environ.get("BENCH_LETTERS", 10))):
            rows.append({"page": f"rendering {label}", "note": f"{per_second:.1f} letters/s"})
    if meta:
        rows.append(
            {
                "page": "seeding (seed_synthetic)",
                "median_ms": meta["seconds"] * 1000,
                "note": f"{meta['persons'] / meta['seconds']:,.0f} people/s, "
                f"{meta['events'] / meta['seconds']:,.0f} events/s "
                f"({meta['persons']:,} people, {meta['events']:,} events)",
            }
        )
        if "first_sweep_seconds" in meta:
            rows.append(
                {
                    "page": "reminder sweep (the first, after seeding)",
                    "median_ms": meta["first_sweep_seconds"] * 1000,
                }
            )
    else:
        rows.append({"page": "seeding (seed_synthetic)", "note": "database reused, not timed"})
    json.dump({"vendor": connection.vendor, "persons": PERSONS, "rows": rows}, sys.stdout)


if __name__ == "__main__":
    main()
