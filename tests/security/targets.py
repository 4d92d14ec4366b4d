"""What the adversarial suite attacks. Apps added later add their pages here.

- SENSITIVE_ACTIONS: views that must demand a recent password + second factor
  (bulk reveal, export, purge, role changes). Add e.g.
  ``SensitiveAction("board:export")`` or ``SensitiveAction("letters:bulk_reveal", method="post")``.
- CASE_PAGES and CASE_POSTS: every page and action about one case, its files, letters
  and letter batches; whoever may not see the case must get 404 and must never see its
  pseudonym, and an action must change nothing. Each entry names its URL and builds the
  arguments from a ``Case``: a URL renamed or removed fails the suite (``reverse``), and
  ``test_access.py`` fails when a case URL is routed that no entry attacks.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

from casework.cases.models import Group, Person


@dataclass(frozen=True)
class SensitiveAction:
    url_name: str
    args: tuple = ()
    method: str = "get"
    data: dict = field(default_factory=dict)

    def url(self) -> str:
        return reverse(self.url_name, args=self.args)


SENSITIVE_ACTIONS = [
    SensitiveAction("board:export_csv"),
    SensitiveAction("board:export_xlsx"),
    SensitiveAction("erasure:list"),
    SensitiveAction("erasure:list", method="post", data={"reference": "P-222222"}),
    SensitiveAction("erasure:confirm", args=(1,), method="post"),
    SensitiveAction("erasure:cancel", args=(1,), method="post"),
    SensitiveAction("recovery_codes_renew", method="post"),
    # Role changes: any change to an account in the admin.
    SensitiveAction("admin:accounts_user_add", method="post", data={"username": "mallory"}),
    SensitiveAction(
        "admin:accounts_user_changelist",
        method="post",
        data={"action": "reset_two_factor", "_selected_action": ["1"]},
    ),
]


@dataclass(frozen=True)
class Case:
    """A restricted person and everything the pages reach it by: its group (of which it
    is the only member), a letter with its files, a letter batch and an uploaded file."""

    person: Person
    group: Group
    history_id: int  # a past version of the person, for the admin's history pages
    group_history_id: int  # and of the group
    letter_id: int
    letter: str  # the letter's reference
    document_id: int
    batch_id: int

    @property
    def reference(self) -> str:
        return self.person.reference


@dataclass(frozen=True)
class CasePage:
    url_name: str
    args: Callable[[Case], list]
    query: Callable[[Case], str] = lambda case: ""
    label: str = ""
    # What the case's assignee (a caseworker) gets: the page, or 403 where the role may
    # not do this (the case check came first); and a text of the case the page shows.
    assignee_status: int = 200
    shows: Callable[[Case], str] | None = lambda case: case.person.pseudonym

    @property
    def name(self) -> str:
        return self.label or self.url_name

    def url(self, case: Case) -> str:
        return reverse(self.url_name, args=self.args(case)) + self.query(case)


def _reference(case: Case) -> list:
    return [case.person.reference]


def _group(case: Case) -> list:
    return [case.group.reference]


def _letter(case: Case) -> list:
    return [case.letter]


def _on_case(case: Case) -> str:
    return f"?case={case.person.reference}"


CASE_PAGES = [
    CasePage("admin:cases_person_change", lambda c: [c.person.pk]),
    CasePage("admin:cases_person_history", lambda c: [c.person.pk]),
    CasePage("admin:cases_person_simple_history", lambda c: [c.person.pk, c.history_id]),
    CasePage("admin:cases_person_delete", lambda c: [c.person.pk], assignee_status=403, shows=None),
    CasePage("admin:cases_group_change", lambda c: [c.group.pk]),
    CasePage("admin:cases_group_history", lambda c: [c.group.pk]),
    CasePage("admin:cases_group_simple_history", lambda c: [c.group.pk, c.group_history_id]),
    CasePage("admin:cases_group_delete", lambda c: [c.group.pk], assignee_status=403, shows=None),
    CasePage("admin:letters_letter_change", lambda c: [c.letter_id], shows=lambda c: c.letter),
    CasePage("admin:letters_letter_history", lambda c: [c.letter_id], shows=lambda c: c.letter),
    CasePage(
        "admin:letters_letter_delete", lambda c: [c.letter_id], assignee_status=403, shows=None
    ),
    CasePage("cases:detail", _reference),
    CasePage("cases:detail", _group, label="group page"),
    CasePage("documents:list", _reference),
    CasePage("documents:download", lambda c: [c.person.reference, c.document_id], shows=None),
    CasePage("letters:list", lambda c: [], _on_case, label="letters of the case", shows=None),
    CasePage("letters:new", lambda c: [], _on_case, assignee_status=403, shows=None),
    CasePage("letters:detail", _letter),
    CasePage("letters:download", lambda c: [c.letter, "txt"], label="letter as text"),
    CasePage("letters:download", lambda c: [c.letter, "pdf"], label="letter as PDF", shows=None),
    CasePage("letters:download", lambda c: [c.letter, "docx"], label="letter as DOCX", shows=None),
    CasePage("letters:batch", lambda c: [c.batch_id], shows=lambda c: c.person.reference),
    CasePage("letters:batch_progress", lambda c: [c.batch_id], shows=None),
]

# Case actions (POST): whoever may not see the case gets 404, and nothing is written.
CASE_POSTS = [
    CasePage("cases:update", _reference, label="quick update"),
    CasePage("cases:update", _group, label="quick update of the group"),
    CasePage("cases:others", _group, label="unidentified others of the group"),
    CasePage("cases:reveal", _reference, label="reveal identity"),
    CasePage("documents:list", _reference, label="upload a file"),
    CasePage("admin:cases_person_change", lambda c: [c.person.pk], label="admin save"),
    CasePage("admin:cases_person_delete", lambda c: [c.person.pk], label="admin delete"),
    CasePage("admin:cases_group_change", lambda c: [c.group.pk], label="admin save of the group"),
    CasePage("admin:cases_group_delete", lambda c: [c.group.pk], label="admin group delete"),
    CasePage("admin:letters_letter_delete", lambda c: [c.letter_id], label="admin letter delete"),
    CasePage("letters:new", lambda c: [], _on_case, label="write a letter"),
    CasePage("letters:approve", _letter),
    CasePage("letters:mark_sent", _letter),
    CasePage("letters:record_response", _letter),
    CasePage("letters:no_response", _letter),
]
