"""The demo caseworker, coordinator and advocate, set to Korean, walk their daily pages
in a real browser and read no English word.

Each page's visible text (``document.body.innerText`` and the title) is collected; then
what is not interface text is taken out, from an explicit, short allow-list: references,
the records' own names and values as stored (pseudonyms, group names, source labels,
notes and places typed in by caseworkers, recipients and facilities in Latin letters
only where the directory has no Korean name), usernames, the product's name, the file
formats, and each language's own name on the switch. Any Latin word left is English
the interface still speaks; the failure lists the words of each page.

The letters themselves (``.letter-preview``) are not interface text: they are written
in the letter's language (casework/letters/wording.py) and left out.

Screenshots go to a temporary folder, named in the failure, when the test fails or
when CASEWORK_SCREENSHOTS=1; none is kept in the repository.
"""

import io
import os
import re
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from casework.accounts.models import User
from casework.cases.models import (
    REFERENCE_ALPHABET,
    CustodyEvent,
    Facility,
    FamilyContact,
    Group,
    Person,
    Source,
)
from casework.letters import services as letters
from casework.letters.models import Recipient
from tests.factories import roles_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # noqa: S105 - a demo login in a throwaway database
REFERENCE = re.compile(rf"\b[PGSL]-[{REFERENCE_ALPHABET}]{{6}}\b")
LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
# Never translated: the product's name and file formats.
ALLOWED_WORDS = {"Casework", "PDF", "DOCX", "CSV", "XLSX", "UNHCR"}
# Terms of art Korean legal texts keep in the original, in brackets: 현지 체재 중 난민(sur place).
ALLOWED_TERMS = ["sur place"]
# What the page shows that is not interface text: the letter itself.
NOT_INTERFACE = [".letter-preview"]


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo(transactional_db, settings, media_root):
    """The demo of `make run`, its caseworker, coordinator and advocate reading Korean."""
    settings.DEMO_MODE = True
    roles_ensure()
    call_command("seed_demo", password=PASSWORD, stdout=io.StringIO())
    letters.recipients_seed_demo()
    letters.letter_templates_seed_demo()
    User.objects.filter(username__in=["caseworker", "coordinator", "advocate"]).update(
        language="ko"
    )


def records_shown() -> list[str]:
    """The stored values pages may show as they are, longest first."""
    values: set[str] = set()
    values.update(User.objects.values_list("username", flat=True))
    values.update(Person.objects.values_list("pseudonym", flat=True))
    values.update(Group.objects.values_list("name", flat=True))
    values.update(Group.objects.values_list("notes", flat=True))
    values.update(Source.objects.values_list("label", flat=True))
    # Typed by a caseworker as free text ("son", "sister"), not a word of the interface.
    values.update(FamilyContact.objects.values_list("relation", flat=True))
    values.update(CustodyEvent.objects.values_list("place", flat=True))
    values.update(CustodyEvent.objects.values_list("note", flat=True))
    values.update(Facility.objects.filter(name_ko="").values_list("name_en", flat=True))
    values.update(Recipient.objects.filter(title_ko="").values_list("title", flat=True))
    values.update(Recipient.objects.filter(institution_ko="").values_list("institution", flat=True))
    with translation.override("en"):
        values.update(
            translation.get_language_info(code)["name_local"] for code, _ in settings.LANGUAGES
        )
    return sorted((" ".join(v.split()) for v in values if v and v.strip()), key=len, reverse=True)


def english_words(text: str, allowed: list[str]) -> list[str]:
    text = " ".join(text.split())
    for value in allowed:
        text = text.replace(value, " ")
    for term in ALLOWED_TERMS:
        text = text.replace(term, " ")
    text = REFERENCE.sub(" ", text)
    return sorted({w for w in LATIN_WORD.findall(text) if w not in ALLOWED_WORDS})


class Journey:
    """Visits pages in one browser context and keeps what each page showed."""

    def __init__(self, browser, base_url: str, name: str):
        # A Korean browser, so the login page is read in Korean too.
        self.context = browser.new_context(
            base_url=base_url, locale="ko-KR", viewport={"width": 1280, "height": 900}
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.name = name
        self.seen: list[tuple[str, str, bytes]] = []  # (page, text, screenshot)

    def collect(self, label: str) -> None:
        text = self.page.evaluate(
            """(hidden) => {
                for (const selector of hidden) {
                    document.querySelectorAll(selector).forEach((e) => e.remove());
                }
                return document.title + "\\n" + document.body.innerText;
            }""",
            NOT_INTERFACE,
        )
        shot = self.page.screenshot(full_page=True)
        self.seen.append((f"{self.name}: {label} ({self.page.url})", text, shot))

    def visit(self, url: str, label: str) -> None:
        self.page.goto(url)
        self.collect(label)

    def log_in(self, username: str) -> None:
        self.visit("/accounts/login/", "login")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        with self.page.expect_navigation():
            self.page.click("main button[type=submit]")

    def close(self) -> None:
        self.context.close()


def assert_no_english(journey: Journey) -> None:
    allowed = records_shown()
    found = [(label, english_words(text, allowed), shot) for label, text, shot in journey.seen]
    failing = [(label, words, shot) for label, words, shot in found if words]
    keep = failing or os.environ.get("CASEWORK_SCREENSHOTS") == "1"
    folder = None
    if keep:
        folder = Path(tempfile.mkdtemp(prefix=f"korean-{journey.name}-"))
        for number, (_label, _words, shot) in enumerate(failing or found, start=1):
            (folder / f"{number:02d}.png").write_bytes(shot)
    if folder is not None:
        print(f"Screenshots of the {journey.name}'s pages: {folder}")  # noqa: T201
    if failing:
        pytest.fail(
            "\n".join(
                [f"English words left on {len(failing)} of {len(found)} pages:"]
                + [f"  {label}:\n    {', '.join(words)}" for label, words, _ in failing]
                + [f"Screenshots: {folder}"]
            ),
            pytrace=False,
        )


def test_the_caseworker_reads_korean(browser, live_server, demo):
    journey = Journey(browser, live_server.url, "caseworker")
    try:
        journey.log_in("caseworker")
        journey.visit("/cases/", "my cases")
        person = journey.page.locator("main a[href^='/cases/P-']").first
        with journey.page.expect_navigation():
            person.click()
        journey.collect("a person, with the quick update")
        journey.visit("/inbox/", "the inbox")
        assert_no_english(journey)
    finally:
        journey.close()


def test_the_coordinator_reads_korean(browser, live_server, demo):
    group = Group.objects.order_by("pk").first()
    journey = Journey(browser, live_server.url, "coordinator")
    try:
        journey.log_in("coordinator")
        journey.visit("/board/", "the board")
        journey.visit("/board/?status=detained&stale=true", "the board, filtered")
        journey.visit(f"/cases/{group.reference}/", "a group")
        assert_no_english(journey)
    finally:
        journey.close()


def test_the_advocate_reads_korean(browser, live_server, demo):
    advocate = User.objects.get(username="advocate")
    group = Group.objects.get(name="Yanji group of five")
    recipient = Recipient.objects.exclude(title_ko="").order_by("pk").first()
    draft = letters.letter_generate(
        user=advocate,
        template_slug="group-imminent-return",
        language="ko",
        recipient=recipient,
        group=group,
        formats=("txt",),
    )
    journey = Journey(browser, live_server.url, "advocate")
    try:
        journey.log_in("advocate")
        journey.visit("/letters/", "the letters")
        journey.visit(f"/letters/new?case={group.reference}", "a new letter")
        journey.visit(f"/letters/{draft.reference}/", "a letter draft")
        assert_no_english(journey)
    finally:
        journey.close()
