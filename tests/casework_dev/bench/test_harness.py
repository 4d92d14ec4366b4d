"""The bench measures what it says: the untuned comparison really queries once per
row, pages that do not exist yet are reported as "not built", and the SQL floor re-runs
only what the page read."""

import datetime
import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from casework.cases.models import Person
from casework.letters.models import Letter
from casework.letters.permissions import letters_visible_to
from casework.reminders.models import Reminder, SweepMark
from casework_dev.bench import run
from casework_dev.bench.__main__ import table
from casework_dev.bench.pages import PAGES
from casework_dev.synthetic import cases as synthetic
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

UNTIL = datetime.date(2025, 6, 30)


@override_settings(ROOT_URLCONF="casework_dev.bench.untuned")
def test_the_untuned_admin_runs_one_status_query_per_row(cast, client_for):
    coordinator = client_for(cast.carol)
    synthetic.seed(persons=30, seed=1, until=UNTIL)
    with CaptureQueriesContext(connection) as thirty:
        assert coordinator.get("/untuned-admin/cases/person/").status_code == 200
    synthetic.seed(persons=30, seed=2, until=UNTIL)
    with CaptureQueriesContext(connection) as sixty:
        assert coordinator.get("/untuned-admin/cases/person/").status_code == 200

    assert len(sixty) - len(thirty) == 30


@override_settings(ROOT_URLCONF="casework_dev.bench.untuned")
def test_a_measured_page_reports_its_queries_and_sql_floor(cast, client_for):
    synthetic.seed(persons=20, seed=1, until=UNTIL)

    row = run.measure_page(client_for(cast.carol), "/admin/cases/person/")

    assert row["queries"] == 9
    assert row["sql_ms"] > 0 and row["median_ms"] > 0 and row["p95_ms"] >= row["median_ms"]


def test_the_floor_reruns_only_reads():
    # Re-running the write would fail loudly: there is no such table.
    captured = [{"sql": "SELECT 1"}, {"sql": "UPDATE no_such_table SET x = 1"}]

    assert run.sql_floor(captured, repeats=1) >= 0


def test_pages_not_built_yet_are_listed_as_such():
    rows = [
        {"page": "board", "note": "not built"},
        {
            "page": "admin Person changelist",
            "median_ms": 12.0,
            "p95_ms": 15.5,
            "queries": 10,
            "sql_ms": 4.0,
            "ratio": 3.0,
        },
    ]

    text = table([{"vendor": "sqlite", "rows": rows}])

    assert "not built" in text.splitlines()[2]
    assert "12.0" in text.splitlines()[3] and "3.0" in text.splitlines()[3]
    assert {page.path.split("?")[0] for page in PAGES} >= {
        "/board/",
        "/cases/",
        "/admin/cases/person/",
    }


def test_percentile_picks_the_95th_of_twenty_runs():
    assert run.percentile([float(n) for n in range(1, 21)], 0.95) == 19.0
    assert run.percentile([3.0], 0.95) == 3.0


def test_the_floor_counts_the_time_of_a_requests_writes_but_not_of_its_reads(cast, client_for):
    person = PersonFactory()
    coordinator = client_for(cast.carol)
    reads, opening = run.WriteTimer(), run.WriteTimer()

    with connection.execute_wrapper(reads):
        assert coordinator.get("/board/").status_code == 200
    with connection.execute_wrapper(opening):  # opening a case writes the access log
        assert coordinator.get(f"/cases/{person.reference}/").status_code == 200

    assert reads.seconds == 0.0
    assert opening.seconds > 0.0


@override_settings(ROOT_URLCONF="casework_dev.bench.untuned")
def test_the_empty_page_costs_only_what_every_logged_in_page_pays(cast, client_for):
    client = client_for(cast.carol)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/bench/empty/")

    assert response.status_code == 200
    assert 'href="/inbox/"' in response.content.decode()
    tables = [q["sql"].split(" FROM ", 1)[1].split()[0] for q in queries.captured_queries]
    assert tables == [
        '"django_session"',
        '"accounts_user"',
        '"auth_permission"',
        '"auth_permission"',
        "(SELECT",  # the inbox badge, counted up to 100
    ]


@override_settings(ROOT_URLCONF="casework_dev.bench.untuned")
def test_no_measured_page_runs_more_queries_with_three_times_the_cases(cast, client_for):
    """What the bench's "queries" column must show at a million people as at a thousand:
    no page reads per row, person or letter. (Fewer is possible: a caseworker's short
    list reads its next part when the first does not fill the page.) Left out: the
    untuned comparison, which reads per row by design."""
    pages = [
        page for page in PAGES if not page.export and page.name != "untuned admin Person changelist"
    ]
    clients = {
        "coordinator": client_for(cast.carol),
        "caseworker": Client(),
    }

    def queries_per_page(persons: int) -> dict[str, int]:
        caseworker = run._caseworker()
        clients["caseworker"].force_login(caseworker)
        fill = run.placeholders(persons)
        counts = {}
        for page in pages:
            path = page.path.format(**fill)
            run._fetch(clients[page.user], path)  # once, to fill what a process keeps
            with CaptureQueriesContext(connection) as queries:
                run._fetch(clients[page.user], path)
            counts[page.name] = len(queries)
        return counts

    synthetic.seed(persons=150, seed=1, until=UNTIL)
    # An empty list reads one query fewer than one that lists rows: the caseworker's
    # letters awaiting a response (few: group letters open only to those who see every
    # member) must be there to be measured.
    assert letters_visible_to(run._caseworker()).filter(status="sent").exists()
    few = queries_per_page(150)
    synthetic.seed(persons=300, seed=2, until=UNTIL)
    many = queries_per_page(450)

    assert {name: n for name, n in many.items() if n > few[name]} == {}


def test_a_fresh_bench_database_is_seeded_and_swept_before_pages_are_measured(
    monkeypatch, tmp_path
):
    """Inboxes and badges are measured as use would have filled them, from the first run."""
    monkeypatch.setattr(run, "PERSONS", 40)
    monkeypatch.setattr(run, "_meta_path", lambda: tmp_path / "seed.json")

    meta = run._database()

    assert meta["persons"] == Person.objects.count() == 40
    assert meta["letters"] == Letter.objects.count() > 0
    assert meta["first_sweep_seconds"] > 0
    assert Reminder.objects.exists()
    assert SweepMark.objects.exists()


def test_the_calibration_row_times_the_users_read_by_key_against_that_same_read(cast, monkeypatch):
    rerun = []
    floor = run.sql_floor

    def spy(captured, repeats=5):
        rerun.append([query["sql"] for query in captured])
        return floor(captured, repeats)

    monkeypatch.setattr(run, "sql_floor", spy)

    row = run.measure_orm_read(cast.carol, reads=4)

    assert rerun and all(len(reads) == 4 for reads in rerun)
    assert all(
        '"accounts_user"' in sql and str(cast.carol.pk) in sql for reads in rerun for sql in reads
    )
    assert row["queries"] == 1 and row["sql_ms"] > 0
    assert row["ratio"] == pytest.approx(row["median_ms"] / row["sql_ms"])


def test_the_bench_seeds_letters_too_when_run_with_production_settings(tmp_path):
    """The seeding's letters hook belongs to the development app, which the bench
    installs for itself even with DJANGO_DEBUG=0."""
    script = (
        "from casework_dev.bench import run; run._setup(); "
        "from casework_dev.synthetic.cases import seeded_hooks; "
        "print([hook.__name__ for hook in seeded_hooks])"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k != "CASEWORK_DEV_TOOLS"},
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "x" * 50,
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEY": "y" * 32,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}",
    }
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=run.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['letters_seed']"
