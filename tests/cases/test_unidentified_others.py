"""Groups of unknown size: "eight people, and at least two others".

Public releases name some of the people detained together and count the rest ("three
women and an undetermined number of their guides"). A group records those others as a
number, written through the services, shown in its roll-up, and counted by the figures
as detained on the day the group's first member was."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from casework.cases import services
from casework.cases.enums import Status
from casework.cases.models import UNIDENTIFIED_OTHERS_MAX, Group
from casework.cases.services import StaleVersionError, group_archive, group_create, group_update
from tests.cases.test_admin import change_url
from tests.cases.test_admin_writes import group_form_data
from tests.factories import GroupFactory, PersonFactory, record

pytestmark = pytest.mark.django_db

MARCH_1, MARCH_10, MARCH_31 = (datetime.date(2017, 3, d) for d in (1, 10, 31))


def stored(group: Group) -> tuple[int, int, int]:
    """What the database holds of the group: others, version, past versions."""
    row = Group.objects.get(pk=group.pk)
    return row.unidentified_others, row.version, row.history.count()


# --- written only through the services ----------------------------------------------


def test_a_group_opens_with_its_unidentified_others_and_keeps_them_in_its_history(cast):
    group = group_create(
        group=Group(name="Suizhong"),
        created_by=cast.carol,
        members=[PersonFactory()],
        unidentified_others=2,
    )

    group = group_update(
        group=group, updated_by=cast.carol, expected_version=0, unidentified_others=5
    )

    assert stored(group) == (5, 1, 2)
    assert [h.unidentified_others for h in group.history.order_by("history_date")] == [2, 5]


def test_an_update_without_the_number_leaves_it_as_it_is(cast):
    group = GroupFactory(unidentified_others=3)
    group.name = "Renamed"

    group_update(group=group, updated_by=cast.carol)

    assert Group.objects.get(pk=group.pk).unidentified_others == 3


def test_the_largest_number_allowed_is_accepted(cast):
    group = group_create(
        group=Group(name="A big one"), created_by=None, unidentified_others=UNIDENTIFIED_OTHERS_MAX
    )
    assert stored(group)[0] == 10_000


BAD_NUMBERS = [
    (-1, "cannot be negative"),
    (UNIDENTIFIED_OTHERS_MAX + 1, "At most 10,000 unidentified others"),
    (10**30, "At most 10,000 unidentified others"),
    ("3", "as a whole number"),
    (2.5, "as a whole number"),
    (True, "as a whole number"),
]


@pytest.mark.parametrize(("value", "message"), BAD_NUMBERS)
def test_a_bad_number_is_refused_on_update_and_nothing_is_written(value, message, cast):
    group = GroupFactory(unidentified_others=3)
    before = stored(group)

    with pytest.raises(ValidationError) as refused:
        group_update(
            group=group,
            updated_by=cast.carol,
            expected_version=group.version,
            unidentified_others=value,
        )

    assert message in refused.value.message_dict["unidentified_others"][0]
    assert stored(group) == before
    assert group.unidentified_others == 3  # the caller's object is left as it was


@pytest.mark.parametrize(("value", "message"), BAD_NUMBERS)
def test_a_bad_number_is_refused_on_create_and_no_group_is_opened(value, message, cast):
    with pytest.raises(ValidationError, match=message):
        group_create(
            group=Group(name="Suizhong"),
            created_by=cast.carol,
            members=[PersonFactory()],
            unidentified_others=value,
        )

    assert not Group.objects.exists()


def test_a_number_set_on_the_group_behind_the_keyword_is_checked_too(cast):
    group = GroupFactory()
    group.unidentified_others = -4

    with pytest.raises(ValidationError, match="cannot be negative"):
        group_update(group=group, updated_by=cast.carol)

    assert stored(group)[0] == 0


def test_a_form_opened_before_another_change_does_not_overwrite_it(cast):
    group = GroupFactory()
    opened = group.version
    group_update(group=Group.objects.get(pk=group.pk), updated_by=cast.erin, unidentified_others=2)
    before = stored(group)

    with pytest.raises(StaleVersionError):
        group_update(
            group=group, updated_by=cast.carol, expected_version=opened, unidentified_others=7
        )

    assert stored(group) == before


def test_the_database_refuses_a_number_written_behind_the_services_back(db):
    from django.db import IntegrityError, transaction

    group = GroupFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Group.objects.filter(pk=group.pk).update(unidentified_others=UNIDENTIFIED_OTHERS_MAX + 1)


# --- the roll-up ---------------------------------------------------------------------


def six_detained_two_returned(**group_fields) -> Group:
    people = PersonFactory.create_batch(8)
    group = GroupFactory(name="Suizhong group of eight", people=people, **group_fields)
    record(status=Status.DETAINED, on=MARCH_1, group=group)
    for person in people[:2]:
        record(person, Status.RETURNED, datetime.date(2017, 4, 1))
    return Group.objects.with_rollup().get(pk=group.pk)


def test_the_roll_up_ends_with_the_unidentified_others():
    group = six_detained_two_returned(unidentified_others=3)

    assert group.rollup == "6 detained, 2 returned and at least 3 others, unidentified"
    with translation.override("ko"):
        assert group.rollup == "구금 중 6명, 강제송환됨 2명 외 신원 미상자 최소 3명"


def test_a_roll_up_without_unidentified_others_reads_as_before():
    assert six_detained_two_returned().rollup == "6 detained, 2 returned"


def test_one_unidentified_other_is_one_and_a_group_of_no_named_member_is_only_them():
    group = GroupFactory(unidentified_others=1)
    group.members_counted([])

    assert group.rollup == "at least 1 other, unidentified"
    with translation.override("ko"):
        assert group.rollup == "신원 미상자 최소 1명"
    assert GroupFactory().rollup == "no members"


# --- the figures: as detained on the day the group's first member was -----------------


def detained_group(*days: datetime.date, others: int = 2, **fields) -> Group:
    """A group whose members were each detained on one of ``days``."""
    group = GroupFactory(unidentified_others=others, **fields)
    for day in days:
        person = PersonFactory()
        services.group_member_add(group=group, person=person, added_by=None)
        record(person, Status.DETAINED, day)
    return group


def first_detained(group: Group) -> datetime.date | None:
    return Group.objects.with_first_detention().get(pk=group.pk).first_detained_on


def test_a_group_was_first_detained_when_its_first_member_began_a_custody_episode():
    assert first_detained(detained_group(MARCH_10, MARCH_1, MARCH_31)) == MARCH_1


def test_a_transfer_within_an_episode_is_not_a_first_detention():
    group = detained_group(MARCH_10)
    member = group.members.get()
    record(member, Status.TRANSFERRED, MARCH_31, place="Tumen")
    record(member, Status.RELEASED, datetime.date(2017, 5, 1))
    record(member, Status.DETAINED, datetime.date(2017, 6, 1))

    assert first_detained(group) == MARCH_10


def test_a_group_whose_members_were_never_detained_has_no_first_detention():
    group = detained_group()
    member = PersonFactory()
    services.group_member_add(group=group, person=member, added_by=None)
    record(member, Status.AT_LARGE, MARCH_1)

    assert first_detained(group) is None


def test_the_first_detentions_of_many_groups_are_read_in_one_query(
    django_assert_num_queries,
):
    for day in (MARCH_1, MARCH_10, MARCH_31):
        detained_group(day, day + datetime.timedelta(days=3))

    with django_assert_num_queries(1):
        days = sorted(g.first_detained_on for g in Group.objects.with_first_detention())

    assert days == [MARCH_1, MARCH_10, MARCH_31]


def test_unidentified_others_count_within_the_period_of_their_groups_first_detention(cast):
    on_the_first = detained_group(MARCH_1, MARCH_31)
    on_the_last = detained_group(MARCH_31)
    before = detained_group(datetime.date(2017, 2, 28))
    after = detained_group(datetime.date(2017, 4, 1))
    none_unidentified = detained_group(MARCH_10, others=0)
    archived = detained_group(MARCH_10)
    group_archive(group=archived, archived_by=cast.carol)
    detained_group()  # never detained

    def between(start, stop) -> set[str]:
        return {g.name for g in Group.objects.unidentified_detained_between(start, stop)}

    assert between(MARCH_1, MARCH_31) == {on_the_first.name, on_the_last.name}
    assert between(None, MARCH_1) == {before.name, on_the_first.name}
    assert between(MARCH_31, None) == {on_the_last.name, after.name}
    assert between(None, None) == {g.name for g in (on_the_first, on_the_last, before, after)}
    assert none_unidentified.name not in between(None, None)


# --- the app's form on the group page --------------------------------------------------


def others_url(group: Group) -> str:
    return reverse("cases:others", args=[group.reference])


def page_of(group: Group) -> str:
    return reverse("cases:detail", args=[group.reference])


def post_others(client, group: Group, value, version=None):
    if version is None:
        version = Group.objects.get(pk=group.pk).version
    return client.post(others_url(group), {"unidentified_others": value, "version": version})


def test_a_coordinator_records_the_others_and_the_group_page_reads_them(cast, client_for):
    group = six_detained_two_returned()
    client = client_for(cast.carol)
    assert 'name="unidentified_others"' in client.get(page_of(group)).content.decode()

    response = post_others(client, group, "3")

    assert response.status_code == 302
    assert stored(group)[0] == 3
    page = client.get(page_of(group)).content.decode()
    assert "6 detained, 2 returned and at least 3 others, unidentified" in page


def test_a_bad_number_is_explained_in_korean_and_nothing_is_written(cast, client_for):
    group = GroupFactory(unidentified_others=2, people=[PersonFactory()])
    before = stored(group)
    cast.carol.language = "ko"
    cast.carol.save(update_fields=["language"])
    client = client_for(cast.carol)

    too_many = post_others(client, group, "20000")
    negative = post_others(client, group, "-1")
    not_a_number = post_others(client, group, "a few")

    assert too_many.status_code == negative.status_code == not_a_number.status_code == 400
    assert (
        "한 그룹에 기록할 수 있는 신원 미상자는 최대 10,000명입니다." in too_many.content.decode()
    )
    assert "신원 미상자 수는 음수일 수 없습니다." in negative.content.decode()
    assert "정수를 입력하세요." in not_a_number.content.decode()
    assert "신원 미상자 최소 2명" in negative.content.decode()  # the roll-up as stored
    assert stored(group) == before


def test_a_form_opened_before_another_change_is_refused_and_keeps_what_was_typed(cast, client_for):
    group = GroupFactory(people=[PersonFactory()])
    opened = group.version
    group_update(group=Group.objects.get(pk=group.pk), updated_by=cast.erin, unidentified_others=2)
    before = stored(group)

    response = post_others(client_for(cast.carol), group, "7", version=opened)

    assert response.status_code == 409
    assert "Someone else updated this case" in response.content.decode()
    assert stored(group) == before
    form = response.context["others_form"]
    assert (form["unidentified_others"].value(), form["version"].value()) == ("7", before[1])


def test_an_advocate_reads_the_others_but_may_not_change_them(cast, client_for):
    group = GroupFactory(unidentified_others=2, people=[PersonFactory()])
    client = client_for(cast.dana)

    page = client.get(page_of(group)).content.decode()
    response = post_others(client, group, "5")

    assert "at least 2 others, unidentified" in page
    assert 'name="unidentified_others"' not in page
    assert response.status_code == 403
    assert stored(group)[0] == 2


def test_a_group_one_may_not_see_is_404_for_its_others_too(cast, client_for):
    hidden = PersonFactory(restricted=True, caseworkers=[cast.bob])
    group = GroupFactory(people=[hidden])
    client = client_for(cast.oscar)

    assert client.get(page_of(group)).status_code == 404
    assert post_others(client, group, "5").status_code == 404
    assert stored(group)[0] == 0


# --- the admin ---------------------------------------------------------------------------


def test_the_admin_opens_a_group_with_its_others_through_the_service(cast, client_for):
    data = {
        "name": "Yanji group",
        "unidentified_others": "4",
        "notes": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    with mock.patch.object(services, "group_create", wraps=services.group_create) as service:
        response = client_for(cast.carol).post(reverse("admin:cases_group_add"), data)

    assert response.status_code == 302
    assert service.call_args.kwargs["unidentified_others"] == 4
    assert Group.objects.get(name="Yanji group").unidentified_others == 4


def test_the_admin_changes_the_others_through_the_service_and_refuses_a_slip(cast, client_for):
    group = GroupFactory(name="Yanji group", people=[PersonFactory()])
    client = client_for(cast.carol)

    with mock.patch.object(services, "group_update", wraps=services.group_update) as service:
        saved = client.post(
            change_url(group), {**group_form_data(group, [], 0), "unidentified_others": "6"}
        )
    before = stored(group)
    refused = client.post(
        change_url(group), {**group_form_data(group, [], 0), "unidentified_others": "-2"}
    )

    assert saved.status_code == 302
    assert service.call_args.kwargs["unidentified_others"] == 6
    assert before[0] == 6
    assert refused.status_code == 200
    assert "The number of unidentified others cannot be negative." in refused.content.decode()
    assert stored(group) == before
