"""Who may see the identifying values of a record: the one rule every page asks."""

import pytest
from django.apps import apps

from casework.cases import permissions
from casework.cases.encryption import encrypted_fields
from casework.cases.models import FamilyContact, Person, Source
from casework.letters.models import Letter
from tests.factories import (
    FamilyContactFactory,
    GroupFactory,
    PersonFactory,
    SourceFactory,
    change,
    record,
)

pytestmark = pytest.mark.django_db

PERSON_IDENTITY = set(Person.IDENTITY_FIELDS)


def hidden(user, record_) -> set[str]:
    return set(permissions.identity_fields_hidden(user, record_))


@pytest.fixture
def azalea(cast):
    return PersonFactory(pseudonym="Azalea", caseworkers=[cast.alice])


def test_a_persons_identity_is_shown_to_those_who_may_reveal_it(cast, azalea):
    assert hidden(cast.alice, azalea) == set()  # her caseworker
    assert hidden(cast.carol, azalea) == set()  # a coordinator
    assert hidden(cast.erin, azalea) == set()  # an administrator
    assert hidden(cast.dana, azalea) == PERSON_IDENTITY  # an advocate reveals nobody
    assert hidden(cast.bob, azalea) == PERSON_IDENTITY  # another team's caseworker
    assert hidden(cast.oscar, azalea) == PERSON_IDENTITY


def test_a_restricted_case_hides_its_identity_even_from_a_coordinator(cast, azalea):
    change(azalea, restricted=True)
    assert hidden(cast.carol, azalea) == PERSON_IDENTITY
    assert hidden(cast.alice, azalea) == set()


def test_a_family_contact_is_shown_with_the_persons_identity(cast, azalea):
    contact = FamilyContactFactory(person=azalea)
    both = {"name", "contact_channel"}

    assert hidden(cast.alice, contact) == set()
    assert hidden(cast.dana, contact) == both
    assert hidden(cast.bob, contact) == both


def test_a_record_with_nothing_encrypted_hides_nothing(cast, azalea):
    group = GroupFactory(people=[azalea])
    assert hidden(cast.dana, group) == set()
    assert permissions.identity_shown_to(cast.dana, group)


def test_a_sources_identity_is_for_those_who_see_a_case_it_informs(cast, azalea):
    source = SourceFactory()
    record(azalea, "detained", source=source, by=cast.alice)

    assert permissions.can_reveal_source_identity(cast.alice, source)
    assert permissions.can_reveal_source_identity(cast.carol, source)
    assert permissions.can_reveal_source_identity(cast.erin, source)
    assert not permissions.can_reveal_source_identity(cast.bob, source)
    assert not permissions.can_reveal_source_identity(cast.oscar, source)
    assert not permissions.can_reveal_source_identity(cast.dana, source)  # no reveals at all
    assert hidden(cast.bob, source) == {"identity"}


def test_a_source_of_restricted_cases_only_is_for_their_assignees(cast, azalea):
    source = SourceFactory()
    record(azalea, "detained", source=source, by=cast.alice)
    change(azalea, restricted=True)

    assert permissions.can_reveal_source_identity(cast.alice, source)
    assert not permissions.can_reveal_source_identity(cast.carol, source)


def test_a_source_that_informs_no_case_is_for_its_recorder_and_coordinators(cast, azalea):
    source = SourceFactory(created_by=cast.oscar)

    assert permissions.can_reveal_source_identity(cast.oscar, source)
    assert permissions.can_reveal_source_identity(cast.carol, source)
    assert not permissions.can_reveal_source_identity(cast.alice, source)

    # Once it informs a case, the case decides: oscar does not see alice's.
    record(azalea, "detained", source=source, by=cast.alice)
    assert permissions.can_reveal_source_identity(cast.alice, source)
    assert not permissions.can_reveal_source_identity(cast.oscar, source)


def test_every_history_that_keeps_an_encrypted_field_has_its_rule(cast):
    """A history table holding an identity is covered by the rule by name; the letter's
    history leaves its sealed contents out (its page shows status changes only)."""
    tracked = [m for m in apps.get_models() if hasattr(m._meta, "simple_history_manager_attribute")]
    with_identity = {
        model
        for model in tracked
        if encrypted_fields(getattr(model, model._meta.simple_history_manager_attribute).model)
    }
    assert with_identity == {Person, FamilyContact, Source}
    assert not encrypted_fields(Letter.history.model)
    assert encrypted_fields(Letter)  # yet the letter itself seals its contents


def test_a_model_with_encrypted_fields_and_no_rule_hides_them_from_everyone(cast):
    unknown = [m for m in apps.get_models() if encrypted_fields(m)]
    known = {Person, FamilyContact, Source}
    assert set(unknown) - known  # letters, documents: shown by their own pages' rules
    for model in set(unknown) - known:
        instance = model(pk=1)
        assert not permissions.identity_shown_to(cast.erin, instance), model
        assert hidden(cast.erin, instance) == {f.name for f in encrypted_fields(model)}
