"""What ``make bench`` measures. To measure a new page, add a line.

A path may hold placeholders filled from the synthetic database: ``{person}`` (a
person's reference), ``{person_pk}``, ``{pseudonym}`` (theirs, for a URL),
``{pseudonym_word}`` (its first word), ``{group20}`` / ``{group20_pk}`` (a group of 20
people), ``{letter}`` (a reference of one of ``{person}``'s letters), ``{report_periods}`` (the
report's suggested two periods, as of today), ``{board_period}`` (the first of them as
the board's period filter). A path that does not resolve
is reported as "not built", so pages that other work will add are listed here already.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    # Measured once with peak memory instead of repeatedly (exports of every row).
    export: bool = False
    # Who is logged in: the coordinator, or a synthetic caseworker (whose team follows
    # a quarter of the cases: the largest "my cases" the synthetic data holds).
    user: str = "coordinator"


PAGES: tuple[Page, ...] = (
    # What every logged-in page costs before its own work (bench/untuned.py).
    Page("empty page (login, menu, badge)", "/bench/empty/"),
    Page("board", "/board/"),
    Page("board: at risk in Jilin", "/board/?status=at_risk&province=Jilin"),
    Page("board: stale detained", "/board/?status=detained&stale=true"),
    Page("board: children", "/board/?vulnerability=child"),
    Page("board: newly detained in a year", "/board/?{board_period}"),
    Page("report: two periods (a year, and since)", "/board/report/?{report_periods}"),
    Page("case list", "/cases/"),
    Page("case list: a caseworker's my cases", "/cases/", user="caseworker"),
    Page("case search: a pseudonym", "/cases/?q={pseudonym}"),
    Page("case search: a word many share", "/cases/?q={pseudonym_word}"),
    Page(
        "case search: a word many share, caseworker",
        "/cases/?q={pseudonym_word}",
        user="caseworker",
    ),
    Page("person page", "/cases/{person}/"),
    Page("group of 20 page", "/cases/{group20}/"),
    Page("source search (quick update)", "/cases/sources/?q=network"),
    Page("letters", "/letters/"),
    Page("letters: awaiting a response", "/letters/?status=sent"),
    Page("letters: awaiting a response, caseworker", "/letters/?status=sent", user="caseworker"),
    Page("letters of a person", "/letters/?case={person}"),
    Page("letter page", "/letters/{letter}/"),
    Page("admin Person changelist", "/admin/cases/person/"),
    Page("admin Person: detained", "/admin/cases/person/?status=detained"),
    Page("admin Person: children", "/admin/cases/person/?vulnerability=child"),
    Page("admin Person: stale", "/admin/cases/person/?stale=yes"),
    Page("admin Person: province Jilin", "/admin/cases/person/?province=Jilin"),
    Page("admin Person change form", "/admin/cases/person/{person_pk}/change/"),
    Page("admin Group changelist", "/admin/cases/group/"),
    Page("admin Group change form (20)", "/admin/cases/group/{group20_pk}/change/"),
    # The comparison: what a team would have without tuning (bench/untuned.py).
    Page("untuned admin Person changelist", "/untuned-admin/cases/person/"),
    Page("CSV export (every row)", "/board/export.csv", export=True),
)

# Whole-database jobs, measured once when their management command exists.
JOBS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("reminder sweep (every case read)", "run_reminders", ("--every-case",)),
    # The beat's next sweep, after the one above: only the cases that may be due anew.
    ("reminder sweep (the next one)", "run_reminders", ()),
)
