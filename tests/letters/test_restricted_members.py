"""A group letter speaks of every member, restricted ones included: it opens only for
readers who may see each member it was written from, and is 404 and absent from every
list for the others, as a case they may not see."""

import pytest
from django.core.management import CommandError, call_command

from casework.accounts.enums import AccessAction, Role
from casework.accounts.models import AccessLogEntry
from casework.cases.models import GroupMembership
from casework.letters import services
from casework.letters.models import Letter
from tests.factories import GroupFactory, PersonFactory, UserFactory
from tests.letters.conftest import YanjiCase, build_yanji_group

FORMATS = ["pdf", "docx", "txt"]


@pytest.fixture
def vera(cast):
    """An advocate who follows a restricted case: she is one of its assignees."""
    return UserFactory(username="vera", role=Role.ADVOCATE)


@pytest.fixture
def party(cast, vera) -> YanjiCase:
    """The Yanji group of five, and a sixth member whose case is restricted to Alice
    and Vera (a guide, say, whose family would be in danger)."""
    yanji = build_yanji_group()
    guide = PersonFactory(pseudonym="Guide", restricted=True, caseworkers=[cast.alice, vera])
    GroupMembership.objects.create(group=yanji.group, person=guide)
    yanji.members.append(guide)
    return yanji


def write(user, recipient, group, formats=tuple(FORMATS)) -> Letter:
    return services.letter_generate(
        user=user, template_slug="group-imminent-return", language="en",
        recipient=recipient, group=group, formats=formats,
    )  # fmt: skip


def letter_urls(letter: Letter) -> list[str]:
    return [
        f"/letters/{letter.reference}/",
        *(f"/letters/{letter.reference}/download.{f}" for f in FORMATS),
        f"/admin/letters/letter/{letter.pk}/change/",
    ]


def listed(client, url: str) -> list[str]:
    return [letter.reference for letter in client.get(url).context["page"]]


@pytest.mark.parametrize("reader", ["dana", "carol"])
def test_a_reader_who_may_not_see_every_member_gets_404(
    reader, party, vera, cast, client_for, minister
):
    letter = write(vera, minister, party.group)
    client = client_for(getattr(cast, reader))

    # The group itself stays visible to them, with its five other members.
    assert client.get(f"/cases/{party.group.reference}/").status_code == 200
    assert [client.get(url).status_code for url in letter_urls(letter)] == [404] * 5
    for action in ("approve", "sent", "response", "no-response"):
        assert client.post(f"/letters/{letter.reference}/{action}").status_code == 404
    assert Letter.objects.get().status == "draft"


@pytest.mark.parametrize("reader", ["dana", "carol"])
def test_nor_does_it_find_the_letter_in_any_list(reader, party, vera, cast, client_for, minister):
    letter = write(vera, minister, party.group, formats=())
    client = client_for(getattr(cast, reader))

    group_page = client.get(f"/cases/{party.group.reference}/")

    assert listed(client, "/letters/") == []
    assert listed(client, f"/letters/?case={party.group.reference}") == []
    assert group_page.context["case_letters"] == []
    assert letter.reference not in group_page.content.decode()
    assert letter.reference not in client.get("/admin/letters/letter/").content.decode()


def test_the_assignee_of_the_restricted_member_reads_it(party, vera, client_for, minister):
    letter = write(vera, minister, party.group)
    client = client_for(vera)

    assert [client.get(url).status_code for url in letter_urls(letter)] == [200] * 5
    assert "6 North Koreans" in client.get(f"/letters/{letter.reference}/").content.decode()
    assert listed(client, "/letters/") == [letter.reference]
    group_page = client.get(f"/cases/{party.group.reference}/")
    assert [item.reference for item in group_page.context["case_letters"]] == [letter.reference]


def test_the_refusal_is_logged_like_a_case_s(party, vera, cast, client_for, minister):
    letter = write(vera, minister, party.group, formats=())

    client_for(cast.dana).get(f"/letters/{letter.reference}/")
    client_for(cast.dana).get("/letters/L-222222/")

    refused = AccessLogEntry.objects.filter(action=AccessAction.REFUSED).order_by("id")
    assert list(refused.values_list("user__username", "reference", "detail")) == [
        ("dana", letter.reference, "letter"),
        ("dana", "L-222222", "letter"),
    ]


def test_a_member_who_leaves_the_group_still_guards_the_letter(
    party, vera, cast, client_for, minister
):
    letter = write(vera, minister, party.group, formats=())
    GroupMembership.objects.filter(person=party.members[-1]).delete()

    assert client_for(cast.dana).get(f"/letters/{letter.reference}/").status_code == 404
    # A letter written now speaks of the five only, and opens for Dana.
    later = write(vera, minister, party.group, formats=())
    assert client_for(cast.dana).get(f"/letters/{later.reference}/").status_code == 200


def test_a_letter_written_before_a_restricted_member_joined_stays_readable(
    cast, vera, client_for, minister
):
    yanji = build_yanji_group()
    letter = write(cast.dana, minister, yanji.group, formats=())
    guide = PersonFactory(restricted=True, caseworkers=[cast.alice])

    GroupMembership.objects.create(group=yanji.group, person=guide)

    assert client_for(cast.dana).get(f"/letters/{letter.reference}/").status_code == 200
    # A new letter would speak of the guide too: Dana may not write it.
    assert client_for(cast.dana).get(f"/letters/new?case={yanji.group.reference}").status_code == (
        403
    )


def test_nobody_writes_on_members_they_may_not_see(party, cast, tmp_path, minister):
    out = tmp_path / "letter.txt"

    with pytest.raises(CommandError, match=f"dana may not write on {party.group.reference}"):
        call_command(
            "render_letter", "--template", "group-imminent-return",
            "--case", party.group.reference, "--recipient", str(minister.pk),
            "--lang", "en", "--format", "txt", "-o", str(out), "--user", "dana",
        )  # fmt: skip
    assert not out.exists()
    assert Letter.objects.count() == 0


def test_a_batch_on_the_group_is_the_assignee_s_alone(party, vera, cast, client_for, minister):
    batch = services.letter_batch_create(
        user=vera, template_slug="group-imminent-return", language="en",
        recipients=[minister], group=party.group,
    )  # fmt: skip

    for url in (f"/letters/batches/{batch.pk}/", f"/letters/batches/{batch.pk}/progress"):
        assert client_for(cast.dana).get(url).status_code == 404
        assert client_for(vera).get(url).status_code == 200


@pytest.mark.parametrize("rows", [1, 30])
def test_the_letter_list_stays_bounded_with_hidden_members(
    rows, cast, vera, client_for, minister, django_assert_max_num_queries
):
    for n in range(rows):
        members = [PersonFactory(), PersonFactory()]
        if n % 2:
            members.append(PersonFactory(restricted=True, caseworkers=[vera]))
        write(vera, minister, GroupFactory(people=members), formats=())

    for reader, shown in ((cast.dana, (rows + 1) // 2), (vera, rows)):
        client = client_for(reader)
        with django_assert_max_num_queries(9):
            response = client.get("/letters/")
        assert len(response.context["page"].object_list) == shown
