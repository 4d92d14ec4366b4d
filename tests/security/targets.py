"""What the adversarial suite attacks. Apps added later add their pages here.

- SENSITIVE_ACTIONS: views that must demand a recent password + second factor
  (bulk reveal, export, purge, role changes). Add e.g.
  ``SensitiveAction("board:export")`` or ``SensitiveAction("letters:bulk_reveal", method="post")``.
- CASE_PAGES: pages about one case; whoever may not see the case must get 404 (or the
  admin's redirect away), and must never see its pseudonym. Each entry builds the URL
  from a Person.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from casework.cases.models import Person


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


def routed(name: str) -> bool:
    """Whether a case URL exists yet (pages of other apps arrive as they are merged)."""
    try:
        reverse(name, args=["P-222222"])
    except NoReverseMatch:
        return False
    return True


@dataclass(frozen=True)
class CasePage:
    name: str
    url: Callable[[Person], str]


def _by_reference(name: str) -> Callable[[Person], str]:
    return lambda person: reverse(name, args=[person.reference])


CASE_PAGES = [
    CasePage("admin change form", lambda p: reverse("admin:cases_person_change", args=[p.pk])),
    CasePage("admin history", lambda p: reverse("admin:cases_person_history", args=[p.pk])),
    CasePage(
        "admin past version",
        lambda p: reverse(
            "admin:cases_person_simple_history",
            args=[p.pk, Person.history.filter(id__in=[p.pk, p.pk - 1000]).latest().history_id],
        ),
    ),
]
CASE_PAGES += [
    CasePage(label, _by_reference(name))
    for label, name in [("case page", "cases:detail")]
    if routed(name)
]

# Case actions (POST): whoever may not see the case gets 404, and nothing is written.
CASE_POSTS = [
    CasePage(label, _by_reference(name))
    for label, name in [
        ("quick update", "cases:update"),
        ("reveal identity", "cases:reveal"),
        ("upload a file", "documents:list"),
    ]
    if routed(name)
]
