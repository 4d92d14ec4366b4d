"""seed_synthetic writes letters about the cases it seeds, in bulk and around the
services; these tests prove each is a letter the services would have written and moved
along its lifecycle, that it is sealed and names no one, and that it is deterministic."""

import datetime
import random

import pytest
from django.core.management import call_command
from django.db import connection

from casework.accounts.enums import Role
from casework.cases.encryption import decrypt
from casework.cases.models import Person
from casework.letters import services, views
from casework.letters.enums import LetterStatus, Response
from casework.letters.models import Letter
from casework.letters.permissions import letters_visible_to
from casework_dev.synthetic import cases as synthetic
from casework_dev.synthetic.letters import LETTER_COLUMNS, letters_seed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UNTIL = datetime.date(2025, 6, 30)


def seed(persons: int, seed: int = 7) -> synthetic.SeedReport:
    return synthetic.seed(persons=persons, seed=seed, until=UNTIL)


def fingerprint() -> list[tuple]:
    return list(
        Letter.objects.order_by("id").values_list(
            "reference", "person__reference", "group__reference", "template__slug",
            "language", "recipient__title", "status", "created_at", "approved_at",
            "sent_on", "channel", "response", "response_on", "follow_up_on",
        )
    )  # fmt: skip


def test_about_one_letter_for_every_two_people_on_people_and_groups():
    report = seed(600)

    assert report.others == {"letters": Letter.objects.count()}
    assert 0.4 * 600 < Letter.objects.count() < 0.7 * 600
    assert Letter.objects.filter(group__isnull=False).exists()
    assert set(Letter.objects.values_list("status", flat=True)) == set(LetterStatus.values)
    assert Letter.objects.exclude(language="en").exists()
    assert Letter.copies_to.through.objects.exists()


def test_the_same_seed_gives_the_same_letters():
    seed(150)
    persons = range(Person.objects.earliest("pk").pk, Person.objects.latest("pk").pk + 1)

    def letters_of(seed: int) -> list[tuple]:
        Letter.objects.all().delete()
        letters_seed(synthetic.Seeded(random.Random(seed), persons, range(0), UNTIL))
        return fingerprint()

    first = letters_of(3)
    assert first
    assert letters_of(3) == first
    assert letters_of(4) != first


def test_every_synthetic_letter_is_one_the_services_write_and_move_along():
    """Replay each letter through letter_generate and the lifecycle services on the same
    case: any move they would refuse raises, and what they set must come out the same."""
    seed(80)
    advocate = UserFactory(role=Role.ADVOCATE)
    coordinator = UserFactory(role=Role.COORDINATOR)
    letters = list(Letter.objects.select_related("template", "recipient", "person", "group"))
    assert len(letters) > 20
    for letter in letters:
        copy = services.letter_generate(
            user=advocate, template_slug=letter.template.slug, language=letter.language,
            recipient=letter.recipient, person=letter.person, group=letter.group,
            legal_bases=letter.legal_bases, formats=(),
        )  # fmt: skip
        if letter.status != LetterStatus.DRAFT:
            services.letter_approve(letter=copy, by=coordinator)
        if letter.sent_on:
            services.letter_mark_sent(
                letter=copy, by=advocate, sent_on=letter.sent_on, channel=letter.channel
            )
        if letter.status == LetterStatus.RESPONSE_RECEIVED:
            services.letter_record_response(
                letter=copy, by=advocate, response=letter.response, response_on=letter.response_on
            )
        elif letter.status == LetterStatus.NO_RESPONSE:
            services.letter_mark_no_response(letter=copy, by=advocate)
        copy.refresh_from_db()
        replayed = ("status", "sent_on", "channel", "response", "response_on", "follow_up_on")
        assert [getattr(copy, a) for a in replayed] == [getattr(letter, a) for a in replayed]
        # Written, approved, sent and answered in that order, none of it after the seed's day.
        moments = [letter.created_at.date(), letter.approved_at, letter.sent_on, letter.response_on]
        days = [m.date() if isinstance(m, datetime.datetime) else m for m in moments if m]
        assert days == sorted(days) and days[-1] <= UNTIL
        if letter.approved_at:
            assert letter.approved_at >= letter.created_at
            assert letter.approved_by.has_perm("letters.approve_letter")
        assert letter.created_by.has_perm("letters.add_letter")
        if letter.status == LetterStatus.NO_RESPONSE:
            assert letter.response == Response.NONE


def test_each_letter_is_sealed_and_speaks_of_its_own_case_without_a_legal_name():
    seed(120)

    letters = Letter.objects.select_related("person", "group")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT document_sealed FROM {Letter._meta.db_table}")  # noqa: S608
        stored = [row[0] for row in cursor.fetchall()]
    assert stored and all(decrypt(token).startswith('{"language"') for token in stored)
    legal_names = set(Person.objects.values_list("legal_name", flat=True)) - {""}
    for letter in letters:
        text = letter.document_sealed  # read through the field, which decrypts it
        case = letter.person or letter.group
        assert letter.reference in letter.document["reference_line"]
        assert case.reference in letter.document["reference_line"]
        assert (case.pseudonym if letter.person else case.name) in text
        assert not letter.names_person
        assert not any(name in text for name in legal_names)


def test_a_group_letter_keeps_its_group_s_members_as_the_service_does():
    seed(300)

    group_letters = Letter.objects.filter(group__isnull=False).prefetch_related("members")
    assert group_letters.exists()
    for letter in group_letters.select_related("group"):
        assert {p.pk for p in letter.members.all()} == {p.pk for p in letter.group.members.all()}
    assert not Letter.members.through.objects.filter(letter__group__isnull=True).exists()


def test_the_command_reports_the_letters_it_wrote(capsys):
    call_command("seed_synthetic", persons=40, seed=2, until=UNTIL)

    captured = capsys.readouterr()
    assert f", {Letter.objects.count():,} letters in " in captured.out
    assert "letters written in " in captured.err


def test_the_letters_list_counts_up_to_its_cap_and_says_there_are_more(
    cast, client_for, monkeypatch
):
    """Twenty years of letters are not counted on every page: past the cap the list says
    "more than" and still pages on."""
    seed(200)
    monkeypatch.setattr(views, "LIST_COUNT_CAP", 60)
    coordinator = client_for(cast.carol)

    first = coordinator.get("/letters/").content.decode()
    second = coordinator.get("/letters/?page=2").content.decode()

    assert Letter.objects.count() > 60
    assert "Page 1 (more than 60 letters: choose a status" in first
    newest = Letter.objects.order_by("-created_at", "-id")
    assert newest[0].reference in first and newest[50].reference in second


def test_the_letters_list_checks_each_letters_own_case_never_a_set_of_every_case(cast):
    """Each letter's case is tested as the list walks it, so a page reads a page's worth.
    PostgreSQL may otherwise build a hashed set of every visible group first (0.4-1.4 s
    at a million people); SQLite always tests row by row."""
    seed(60)
    page = letters_visible_to(cast.alice).for_list()[:50]

    plan = page.explain()

    if connection.vendor == "postgresql":
        lines = [line.strip() for line in plan.splitlines()]
        scan = next(i for i, line in enumerate(lines) if "on letters_letter" in line)
        letter_filter = next(line for line in lines[scan:] if line.startswith("Filter:"))
        assert "SubPlan" in letter_filter and "hashed" not in letter_filter
    else:
        assert "CORRELATED" in plan and "LIST SUBQUERY" not in plan
    assert [letter.pk for letter in page] == [
        letter.pk
        for letter in Letter.objects.order_by("-created_at", "-id")
        if letter.pk in set(letters_visible_to(cast.alice).values_list("pk", flat=True))
    ][:50]


def test_a_letter_field_the_generator_does_not_write_stops_the_seeding(monkeypatch):
    monkeypatch.setattr(
        "casework_dev.synthetic.letters.LETTER_COLUMNS",
        tuple(c for c in LETTER_COLUMNS if c != "response_note"),
    )

    with pytest.raises(
        RuntimeError, match=r"\['response_note'\].*casework_dev/synthetic/letters.py"
    ):
        seed(10)
