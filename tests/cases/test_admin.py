"""The admin workflow, seen by the fixed cast: who lists, opens and changes what."""

import datetime

import factory
import pytest
from django.test import Client
from django.urls import reverse

from casework.accounts.enums import AccessAction, Role
from casework.accounts.models import AccessLogEntry
from casework.cases.enums import Status
from casework.cases.models import CustodyEvent, Group, Person
from tests.factories import (
    FacilityFactory,
    GroupFactory,
    PersonFactory,
    SourceFactory,
    UserFactory,
    record,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:cases_person_changelist")
GROUP_CHANGELIST = reverse("admin:cases_group_changelist")


def change_url(obj) -> str:
    return reverse(f"admin:cases_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.fixture
def cases(cast):
    """alice follows Azalea; bob follows Bellflower (restricted); nobody follows Camellia."""
    azalea = PersonFactory(pseudonym="Azalea", legal_name="Canary Pak", caseworkers=[cast.alice])
    bellflower = PersonFactory(pseudonym="Bellflower", restricted=True, caseworkers=[cast.bob])
    camellia = PersonFactory(pseudonym="Camellia")
    return azalea, bellflower, camellia


def listed(client) -> set[str]:
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    return {p.pseudonym for p in response.context["cl"].result_list}


def test_each_role_lists_exactly_the_cases_it_may_see(cast, cases, client_for):
    assert listed(client_for(cast.alice)) == {"Azalea"}
    assert listed(client_for(cast.bob)) == {"Bellflower"}
    assert listed(client_for(cast.oscar)) == set()
    assert listed(client_for(cast.carol)) == {"Azalea", "Camellia"}
    assert listed(client_for(cast.dana)) == {"Azalea", "Camellia"}


def test_a_teammate_sees_the_team_cases_but_not_the_restricted_ones(cast, cases):
    azalea, bellflower, _ = cases
    teammate_of_bob = type(cast.bob).objects.create(username="bea", team=cast.bob.team)
    teammate_of_bob.groups.set(cast.bob.groups.all())
    teammate_of_bob.is_staff = True
    teammate_of_bob.save()
    bellflower.restricted = False
    bellflower.save()
    from django.test import Client

    client = Client()
    client.force_login(teammate_of_bob)
    assert listed(client) == {"Bellflower"}
    bellflower.restricted = True
    bellflower.save()
    assert listed(client) == set()


def test_an_outsider_cannot_open_or_change_a_case_that_is_not_theirs(cast, cases, client_for):
    azalea, bellflower, _ = cases
    client = client_for(cast.oscar)

    assert client.get(change_url(azalea)).status_code == 404
    response = client.post(change_url(azalea), {"pseudonym": "Hijacked"})
    assert response.status_code == 404
    assert Person.objects.get(pk=azalea.pk).pseudonym == "Azalea"


def test_a_restricted_case_is_closed_even_to_a_coordinator(cast, cases, client_for):
    _, bellflower, camellia = cases
    client = client_for(cast.carol)
    assert client.get(change_url(bellflower)).status_code == 404
    assert client.get(change_url(camellia)).status_code == 200


def test_identity_fields_only_for_roles_that_may_reveal_and_each_view_is_logged(
    cast, cases, client_for
):
    azalea, _, _ = cases

    response = client_for(cast.dana).get(change_url(azalea))
    assert response.status_code == 200
    assert "legal_name" not in response.context["adminform"].form.fields
    assert b"Canary Pak" not in response.content

    response = client_for(cast.carol).get(change_url(azalea))
    assert "legal_name" in response.context["adminform"].form.fields
    entry = AccessLogEntry.objects.get(action=AccessAction.REVEALED_IDENTITY)
    assert (entry.user, entry.reference) == (cast.carol, azalea.reference)
    assert "Canary" not in entry.detail


def opened_version(case: Person | Group) -> int | str:
    """The version a change form opened now carries (blank for a new case)."""
    if case.pk is None:
        return ""
    return type(case).objects.values_list("version", flat=True).get(pk=case.pk)


def person_form_data(person: Person, **overrides) -> dict:
    """The admin form of ``person`` as opened now, with ``overrides``."""
    data = {
        "expected_version": opened_version(person),
        "pseudonym": person.pseudonym,
        "sex": person.sex,
        "age_band": person.age_band,
        "birth_year": "",
        "vulnerabilities-TOTAL_FORMS": "0",
        "vulnerabilities-INITIAL_FORMS": "0",
        "custody_events-TOTAL_FORMS": "0",
        "custody_events-INITIAL_FORMS": "0",
        "family_contacts-TOTAL_FORMS": "0",
        "family_contacts-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def new_event(**fields) -> dict:
    data = {"custody_events-TOTAL_FORMS": "1", "custody_events-INITIAL_FORMS": "0"}
    data.update({f"custody_events-0-{key}": value for key, value in fields.items()})
    return data


def test_a_new_event_in_the_inline_goes_through_the_service(cast, cases, client_for):
    azalea, _, _ = cases
    tumen = FacilityFactory(name_en="Tumen", border_point=True)
    record(azalea, Status.DETAINED)

    response = client_for(cast.alice).post(
        change_url(azalea),
        person_form_data(
            azalea,
            **new_event(
                status="transferred",
                occurred_on="2017-04-02",
                date_precision="day",
                facility=tumen.pk,
                confidence="reported",
            ),
        ),
    )

    assert response.status_code == 302, response.context["errors"]
    event = CustodyEvent.objects.get(person=azalea, status=Status.TRANSFERRED)
    assert (event.facility, event.recorded_by) == (tumen, cast.alice)


def test_a_bad_event_in_the_inline_is_explained_and_nothing_is_saved(cast, cases, client_for):
    azalea, _, _ = cases
    future = (datetime.date.today() + datetime.timedelta(days=5)).isoformat()

    response = client_for(cast.alice).post(
        change_url(azalea),
        person_form_data(
            azalea,
            pseudonym="Renamed",
            **new_event(status="detained", occurred_on=future, date_precision="day"),
        ),
    )

    assert response.status_code == 200
    assert "The date lies in the future" in response.content.decode()
    assert not CustodyEvent.objects.exists()
    assert Person.objects.get(pk=azalea.pk).pseudonym == "Azalea"


def test_old_events_are_read_only_in_the_inline(cast, cases, client_for):
    azalea, _, _ = cases
    record(azalea, Status.DETAINED)
    response = client_for(cast.alice).get(change_url(azalea))
    inline = next(
        f for f in response.context["inline_admin_formsets"] if f.opts.model is CustodyEvent
    )
    assert inline.has_change_permission is False
    assert inline.has_delete_permission is False


def run_action(client, url, action, objs, **form):
    data = {"action": action, "_selected_action": [o.pk for o in objs], **form}
    return client.post(url, data)


def test_admin_action_records_an_event_for_the_selected_people(cast, cases, client_for):
    azalea, _, camellia = cases
    client = client_for(cast.carol)
    source = SourceFactory()

    response = run_action(client, CHANGELIST, "record_event", [azalea, camellia])
    assert response.status_code == 200
    assert "Record an event" in response.content.decode()

    response = run_action(
        client,
        CHANGELIST,
        "record_event",
        [azalea, camellia],
        apply="1",
        status="returned",
        occurred_on="2017-06-01",
        date_precision="month",
        source=source.pk,
        confidence="reported",
    )

    assert response.status_code == 302
    assert set(Person.objects.in_status(Status.RETURNED).values_list("pseudonym", flat=True)) == {
        "Azalea",
        "Camellia",
    }


def test_admin_action_with_bad_input_explains_and_saves_nothing(cast, cases, client_for):
    azalea, _, _ = cases
    response = run_action(
        client_for(cast.carol),
        CHANGELIST,
        "record_event",
        [azalea],
        apply="1",
        status="returned",
        occurred_on="2017-06-01",
        date_precision="day",
        confidence="reported",
    )
    assert response.status_code == 200
    assert "A return must name the source" in response.content.decode()
    assert not CustodyEvent.objects.exists()


def test_a_group_action_lands_on_every_member(cast, client_for):
    people = PersonFactory.create_batch(3)
    group = GroupFactory(name="Yanji group", people=people)
    response = run_action(
        client_for(cast.carol),
        GROUP_CHANGELIST,
        "record_event",
        [group],
        apply="1",
        status="detained",
        occurred_on="2017-03-01",
        date_precision="month",
        confidence="reported",
    )
    assert response.status_code == 302
    assert CustodyEvent.objects.filter(group=group).count() == 3
    assert Group.objects.with_rollup().get(pk=group.pk).rollup == "3 detained"


def test_assign_and_archive_actions(cast, cases, client_for):
    _, _, camellia = cases
    client = client_for(cast.carol)

    response = run_action(
        client, CHANGELIST, "assign_caseworker", [camellia], apply="1", caseworker=cast.oscar.pk
    )
    assert response.status_code == 302
    assert list(camellia.assigned_caseworkers.all()) == [cast.oscar]
    assert listed(client_for(cast.oscar)) == {"Camellia"}

    run_action(client_for(cast.carol), CHANGELIST, "archive", [camellia])
    camellia.refresh_from_db()
    assert camellia.archived_at is not None
    assert camellia.history.first().history_change_reason == "archived by carol"


def test_caseworkers_may_not_assign_or_archive(cast, cases, client_for):
    azalea, _, _ = cases
    client = client_for(cast.alice)
    response = client.get(CHANGELIST)
    actions = dict(response.context["action_form"].fields["action"].choices)
    assert "record_event" in actions
    assert "assign_caseworker" not in actions
    assert "archive" not in actions


def test_group_members_inline_shows_each_current_status(cast, client_for):
    a, b = PersonFactory.create_batch(2)
    group = GroupFactory(people=[a, b])
    record(status=Status.DETAINED, group=group)
    record(a, Status.RETURNED, datetime.date(2017, 6, 1))

    response = client_for(cast.carol).get(change_url(group))

    content = response.content.decode()
    assert content.count("Returned (forcibly repatriated)") == 1
    assert content.count(">Detained<") == 1


def test_the_group_list_shows_the_roll_up(cast, client_for):
    people = PersonFactory.create_batch(8)
    group = GroupFactory(name="Suizhong group of eight", people=people)
    record(status=Status.DETAINED, group=group)
    for person in people[:2]:
        record(person, Status.RETURNED, datetime.date(2017, 6, 1))

    response = client_for(cast.carol).get(GROUP_CHANGELIST)
    assert "6 detained, 2 returned" in response.content.decode()


def test_the_changelist_filters_by_derived_status_province_and_staleness(cast, client_for):
    tumen = FacilityFactory(name_en="Tumen", province="Jilin", border_point=True)
    dandong = FacilityFactory(name_en="Dandong", province="Liaoning", border_point=True)
    a = PersonFactory(pseudonym="InJilin")
    b = PersonFactory(pseudonym="InLiaoning")
    PersonFactory(pseudonym="NoNews")
    record(a, Status.DETAINED, facility=tumen)
    record(b, Status.DETAINED, datetime.date.today(), facility=dandong)
    client = client_for(cast.carol)

    def names(**params):
        response = client.get(CHANGELIST, params)
        return {p.pseudonym for p in response.context["cl"].result_list}

    assert names(province="Jilin") == {"InJilin"}
    assert names(status="detained") == {"InJilin", "InLiaoning"}
    assert names(stale="yes") == {"InJilin", "NoNews"}
    assert names(facility=str(dandong.pk)) == {"InLiaoning"}


@pytest.mark.parametrize("rows", [1, 30])
def test_the_person_changelist_runs_a_bounded_number_of_queries(
    rows, cast, client_for, django_assert_max_num_queries
):
    facility = FacilityFactory()
    for person in PersonFactory.create_batch(rows, vulnerable=["child", "pregnant"]):
        record(person, Status.DETAINED, facility=facility)
    client = client_for(cast.carol)
    with django_assert_max_num_queries(14):
        response = client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == rows


@pytest.mark.parametrize("rows", [1, 30])
def test_the_group_changelist_runs_a_bounded_number_of_queries(
    rows, cast, client_for, django_assert_max_num_queries
):
    for _ in range(rows):
        group = GroupFactory(people=PersonFactory.create_batch(2))
        record(status=Status.DETAINED, group=group)
    client = client_for(cast.carol)
    with django_assert_max_num_queries(10):
        response = client.get(GROUP_CHANGELIST)
    assert len(response.context["cl"].result_list) == rows


def test_every_change_is_in_the_history_shown_in_the_admin(cast, cases, client_for):
    azalea, _, _ = cases
    azalea.pseudonym = "Azalea-2"
    azalea._change_reason = "pseudonym corrected"
    azalea.save()

    response = client_for(cast.carol).get(reverse("admin:cases_person_history", args=[azalea.pk]))

    assert response.status_code == 200
    assert "pseudonym corrected" in response.content.decode()
    # created, caseworker assigned, pseudonym corrected
    assert azalea.history.count() == 3


def test_an_impossible_birth_year_is_explained_and_nothing_is_saved(cast, cases, client_for):
    azalea, _, _ = cases
    response = client_for(cast.carol).post(
        change_url(azalea), person_form_data(azalea, pseudonym="Renamed", birth_year="2999")
    )
    assert response.status_code == 200
    assert "Give a birth year between 1900" in response.content.decode()
    assert Person.objects.get(pk=azalea.pk).pseudonym == "Azalea"


def test_a_caseworker_who_opens_a_case_follows_it(cast, client_for):
    client = client_for(cast.alice)
    response = client.post(
        reverse("admin:cases_person_add"),
        person_form_data(Person(pseudonym="Newcomer", sex="unknown", age_band="unknown")),
    )
    assert response.status_code == 302
    person = Person.objects.get(pseudonym="Newcomer")
    assert list(person.assigned_caseworkers.all()) == [cast.alice]
    assert person.reference.startswith("P-")


CASEWORKER_LOOKUP = reverse("admin:cases_person_caseworkers")


def test_the_case_form_draws_the_chosen_caseworkers_and_searches_for_the_others(
    cast, cases, client_for
):
    azalea, _, _ = cases
    UserFactory.create_batch(5, username=factory.Sequence(lambda n: f"zinnia-{n}"))

    content = client_for(cast.carol).get(change_url(azalea)).content.decode()

    assert f'<option value="{cast.alice.pk}" selected>alice</option>' in content
    assert "zinnia" not in content
    assert f'data-ajax--url="{CASEWORKER_LOOKUP}"' in content


def test_the_caseworker_search_finds_active_accounts_by_name(cast, client_for):
    zinnia = UserFactory(username="zinnia", first_name="Zin")
    UserFactory(username="zinnia-gone", is_active=False)
    UserFactory(username="hyun", last_name="Zinberg")

    found = client_for(cast.carol).get(CASEWORKER_LOOKUP, {"term": "zin"}).json()

    assert [row["text"] for row in found["results"]] == ["hyun", "zinnia"]
    assert found["results"][1]["id"] == str(zinnia.pk)
    everyone = client_for(cast.carol).get(CASEWORKER_LOOKUP).json()["results"]
    assert {"alice", "bob", "carol"} <= {row["text"] for row in everyone}


def test_only_those_who_may_assign_caseworkers_may_search_the_accounts(cast, client_for):
    assert client_for(cast.alice).get(CASEWORKER_LOOKUP, {"term": "a"}).status_code == 403
    assert client_for(cast.dana).get(CASEWORKER_LOOKUP, {"term": "a"}).status_code == 403
    anonymous = Client().get(CASEWORKER_LOOKUP, {"term": "a"})
    assert anonymous.status_code == 302 and "zinnia" not in anonymous.content.decode()


def test_a_caseworker_chosen_in_the_search_box_is_assigned(cast, cases, client_for):
    azalea, _, _ = cases
    zinnia = UserFactory(username="zinnia", role=Role.CASEWORKER)

    response = client_for(cast.carol).post(
        change_url(azalea),
        person_form_data(azalea, assigned_caseworkers=[cast.alice.pk, zinnia.pk]),
    )

    assert response.status_code == 302
    assert set(azalea.assigned_caseworkers.all()) == {cast.alice, zinnia}


def test_each_rows_checkbox_is_djangos_own_written_in_one_pass(cast, client_for):
    from django.contrib import admin as django_admin

    person = PersonFactory(pseudonym='Iris "<b>" & co')
    group = GroupFactory(name="Tumen <group> of two", people=[person])

    for model, obj in ((Person, person), (Group, group)):
        ours = django_admin.site._registry[model]
        djangos = django_admin.ModelAdmin.action_checkbox(ours, obj)
        assert ours.action_checkbox(obj) == djangos

    content = client_for(cast.carol).get(CHANGELIST).content.decode()
    assert f'name="_selected_action" value="{person.pk}" class="action-select"' in content


def test_the_caseworker_filter_is_a_box_not_a_link_for_each_caseworker(cast, cases, client_for):
    UserFactory.create_batch(
        5, username=factory.Sequence(lambda n: f"zinnia-{n}"), role=Role.CASEWORKER
    )

    content = client_for(cast.carol).get(CHANGELIST).content.decode()

    assert "zinnia" not in content
    assert 'type="search" name="caseworker"' in content


def test_the_caseworker_filter_lists_the_cases_of_the_username_typed_in(cast, cases, client_for):
    carol = client_for(cast.carol)

    assert listed_with(carol, caseworker="ALICE ") == {"Azalea"}
    # Bellflower is bob's, but restricted: carol may not see it, filter or not.
    assert listed_with(carol, caseworker="bob") == set()
    assert listed_with(carol, caseworker="nobody") == set()
    assert listed_with(carol, caseworker="") == {"Azalea", "Camellia"}


def test_the_caseworker_filter_keeps_the_lists_other_filters_and_search(cast, cases, client_for):
    response = client_for(cast.carol).get(CHANGELIST, {"restricted__exact": "0", "q": "Aza"})

    box = response.content.decode().split('class="caseworker-filter"')[1].split("</form>")[0]
    assert '<input type="hidden" name="restricted__exact" value="0">' in box
    assert '<input type="hidden" name="q" value="Aza">' in box


def listed_with(client, **params) -> set[str]:
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return {p.pseudonym for p in response.context["cl"].result_list}


def test_an_inactive_account_is_not_assigned_through_the_case_form(cast, cases, client_for):
    azalea, _, _ = cases
    gone = UserFactory(username="zinnia-gone", is_active=False)

    response = client_for(cast.carol).post(
        change_url(azalea),
        person_form_data(azalea, assigned_caseworkers=[cast.alice.pk, gone.pk]),
    )

    assert response.status_code == 200
    assert "zinnia-gone is not an active account." in response.content.decode()
    assert set(azalea.assigned_caseworkers.all()) == {cast.alice}


def test_a_case_whose_caseworker_has_left_can_still_be_saved(cast, cases, client_for):
    azalea, _, _ = cases
    cast.alice.is_active = False
    cast.alice.save()

    response = client_for(cast.carol).post(
        change_url(azalea),
        person_form_data(azalea, pseudonym="Azalea Renamed", assigned_caseworkers=[cast.alice.pk]),
    )

    assert response.status_code == 302
    azalea.refresh_from_db()
    assert azalea.pseudonym == "Azalea Renamed"
    assert set(azalea.assigned_caseworkers.all()) == {cast.alice}
