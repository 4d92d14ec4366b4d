"""The case page lists the case's letters for those who may read letters, and only the
case's own."""

from django.contrib.auth.models import Permission
from django.urls import reverse

from casework.cases import encryption
from casework.letters import services
from tests.factories import PersonFactory, UserFactory


def test_the_group_page_lists_its_letters_and_not_another_case_s(cast, yanji, minister, client_for):
    letter = services.letter_generate(
        user=cast.dana, template_slug="group-imminent-return", language="en",
        recipient=minister, group=yanji.group, formats=(),
    )  # fmt: skip
    other = PersonFactory()

    group_page = client_for(cast.carol).get(reverse("cases:detail", args=[yanji.group.reference]))
    other_page = client_for(cast.carol).get(reverse("cases:detail", args=[other.reference]))

    assert [item.reference for item in group_page.context["case_letters"]] == [letter.reference]
    assert letter.reference in group_page.content.decode()
    assert other_page.context["case_letters"] == []


def test_a_user_who_may_not_read_letters_sees_none_on_the_case_page(
    cast, yanji, minister, client_for
):
    services.letter_generate(
        user=cast.dana, template_slug="group-imminent-return", language="en",
        recipient=minister, group=yanji.group, formats=(),
    )  # fmt: skip
    reader = UserFactory(username="no-letters")
    reader.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_person", "view_all_cases", "view_group"])
    )

    page = client_for(reader).get(reverse("cases:detail", args=[yanji.group.reference]))

    assert page.status_code == 200
    assert page.context["case_letters"] == []


def test_the_case_page_and_the_letters_list_decrypt_no_letter_or_identity(
    cast, magnolia, minister, client_for, monkeypatch
):
    """Lists of letters show a reference, recipient and status: the sealed letter and the
    person's encrypted identity stay unread."""
    services.letter_generate(
        user=cast.carol, template_slug="trafficking-victim", language="en",
        recipient=minister, person=magnolia, formats=(),
    )  # fmt: skip
    decrypted = []
    real_decrypt = encryption.decrypt
    monkeypatch.setattr(
        encryption, "decrypt", lambda token, **kw: decrypted.append(kw) or real_decrypt(token, **kw)
    )

    client = client_for(cast.carol)
    page = client.get(reverse("cases:detail", args=[magnolia.reference]))
    letters_page = client.get(reverse("letters:list"))

    assert len(page.context["case_letters"]) == 1
    assert letters_page.status_code == 200 and magnolia.reference in letters_page.content.decode()
    assert decrypted == []
