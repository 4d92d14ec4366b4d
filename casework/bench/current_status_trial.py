"""A measured trial, not application code: what a stored current-status row would buy.

``python -m casework.bench.current_status_trial`` (on the database DATABASE_URL names, seeded by
``make bench`` or ``seed_synthetic``) times the board's typical questions twice:
derived from the events on every request (the named querysets as they are), and read
from a current-status table built once from the same events in a temporary table
(as a rebuild command would). Nothing is written to the application's tables. The
figures justify (or not) the design in docs/performance.md.
"""

import os
import statistics
import sys
import time
from datetime import timedelta

import django


def _median_seconds(run, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from casework.cases import permissions
    from casework.cases.enums import IN_CUSTODY, STALE_AFTER_DAYS, Status
    from casework.cases.models import Person

    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    from casework.bench.run import _coordinator

    user = _coordinator()
    today = timezone.localdate()
    detained_before = today - timedelta(days=STALE_AFTER_DAYS[Status.DETAINED])
    custody = tuple(str(s) for s in IN_CUSTODY)

    def visible(qs):
        return permissions.persons_visible_to(user, qs)

    derived = {
        "people per current status": lambda: sorted(
            visible(Person.objects.with_current())
            .values_list("current_status")
            .annotate(n=Count("id"))
            .order_by()
        ),
        "at risk in Jilin (count)": lambda: visible(
            Person.objects.at_risk().filter(current_province="Jilin")
        ).count(),
        "stale detained (count)": lambda: visible(
            Person.objects.with_current().filter(
                current_status=Status.DETAINED, last_heard_on__lt=detained_before
            )
        ).count(),
        "children in custody (count)": lambda: visible(
            Person.objects.with_vulnerability("child").in_status(*custody)
        ).count(),
        "at risk, first page of 50": lambda: list(
            visible(Person.objects.at_risk()).order_by("pseudonym", "id")[:50].values_list("id")
        ),
    }

    # Plain SQL with parameters; the statuses are the constants of IN_CUSTODY.
    visible_where = (
        " (NOT p.restricted OR EXISTS (SELECT 1 FROM cases_person_assigned_caseworkers a"
        " WHERE a.person_id = p.id AND a.user_id = %s)) "
    )
    at_risk = (
        " (c.status = 'at_risk_of_return' OR (c.status IN ('detained', 'transferred',"
        " 'at_risk_of_return') AND (c.border_point OR c.planned_on IS NOT NULL))) "
    )
    joined = "FROM bench_current c JOIN cases_person p ON p.id = c.person_id WHERE"
    uid = [user.pk]
    stored_sql = {
        "people per current status": (
            "SELECT c.status, COUNT(*) " + joined + visible_where + "GROUP BY c.status",
            uid,
        ),
        "at risk in Jilin (count)": (
            "SELECT COUNT(*) " + joined + visible_where + "AND c.province = 'Jilin' AND" + at_risk,
            uid,
        ),
        "stale detained (count)": (
            "SELECT COUNT(*) " + joined + visible_where + "AND c.status = 'detained' AND "
            "c.last_heard_on < %s",
            [*uid, detained_before],
        ),
        "children in custody (count)": (
            "SELECT COUNT(*) "  # noqa: S608 - constant strings only
            + joined
            + visible_where
            + "AND c.status IN ('detained', "
            "'transferred', 'at_risk_of_return') AND EXISTS (SELECT 1 FROM "
            "cases_personvulnerability v WHERE v.person_id = p.id AND v.kind = 'child')",
            uid,
        ),
        "at risk, first page of 50": (
            "SELECT p.id "
            + joined
            + visible_where
            + "AND"
            + at_risk
            + "ORDER BY p.pseudonym, p.id "
            "LIMIT 50",
            uid,
        ),
    }
    build = (
        "CREATE TEMPORARY TABLE bench_current AS SELECT e.person_id, e.status, "
        "e.facility_id, f.province, f.border_point, e.planned_on, "
        "e.occurred_on AS last_heard_on FROM (SELECT person_id, status, facility_id, "
        "planned_on, occurred_on, ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY "
        "occurred_on DESC, id DESC) AS rn FROM cases_custodyevent) e LEFT JOIN "
        "cases_facility f ON f.id = e.facility_id WHERE e.rn = 1"
    )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_current")
        started = time.perf_counter()
        cursor.execute(build)
        cursor.execute("CREATE UNIQUE INDEX bench_current_person ON bench_current (person_id)")
        cursor.execute("CREATE INDEX bench_current_status ON bench_current (status, last_heard_on)")
        cursor.execute("CREATE INDEX bench_current_province ON bench_current (province, status)")
        cursor.execute("ANALYZE bench_current")
        rebuild = time.perf_counter() - started

        def stored(sql_and_params):
            def run():
                cursor.execute(*sql_and_params)
                return cursor.fetchall()

            return run

        persons = Person.objects.count()
        print(
            f"{connection.vendor}, {persons:,} people: rebuilding the current-status table "
            f"from the events took {rebuild:,.1f}s"
        )
        print(f"{'question':32} {'derived ms':>11} {'stored ms':>10} {'speed-up':>9}")
        for name, run in derived.items():
            slow, slow_result = _median_seconds(run, repeats)
            fast, fast_result = _median_seconds(stored(stored_sql[name]), repeats)
            same = _normalise(slow_result) == _normalise(fast_result)
            print(
                f"{name:32} {slow * 1000:>11,.1f} {fast * 1000:>10,.1f} "
                f"{slow / fast:>8,.0f}×{'' if same else '  (RESULTS DIFFER)'}"
            )
        cursor.execute("DROP TABLE bench_current")


def _normalise(result):
    """Counts as ints and rows as sorted tuples, whichever way they were read."""
    if isinstance(result, int):
        return result
    rows = [tuple(row) for row in result]
    if len(rows) == 1 and len(rows[0]) == 1:
        return rows[0][0]
    return sorted(rows)


if __name__ == "__main__":
    sys.exit(main())
