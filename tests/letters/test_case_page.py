"""The case page lists the case's letters for those who may read letters, and only the
case's own."""

from django.contrib.auth.models import Permission
from django.urls import reverse

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
