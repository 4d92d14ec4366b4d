"""Factories for the case records. Events are made through the service, like real ones."""

import datetime

import factory
from django.apps import apps as django_apps
from django.contrib.auth.models import Group as AuthGroup

from casework.accounts.enums import Role
from casework.accounts.models import Team, User
from casework.accounts.roles import roles_sync
from casework.cases import services
from casework.cases.enums import Confidence, DatePrecision, SourceKind, Status
from casework.cases.models import (
    Facility,
    FamilyContact,
    Group,
    GroupMembership,
    Person,
    PersonVulnerability,
    Source,
)


def roles_ensure() -> None:
    """Transactional tests flush the role groups the migration made; make them again."""
    if AuthGroup.objects.count() < len(Role):
        roles_sync(django_apps)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            roles_ensure()
            self.groups.add(AuthGroup.objects.get(name=extracted))


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility
        django_get_or_create = ("name_en", "province")

    name_en = factory.Sequence(lambda n: f"Detention centre {n}")
    city = "Yanji"
    province = "Jilin"
    border_point = False


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    kind = SourceKind.RESCUE_NETWORK
    label = factory.Sequence(lambda n: f"network {n}")
    identity = "Contact person in Seoul"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    pseudonym = factory.Sequence(lambda n: f"Person {n}")
    legal_name = factory.Sequence(lambda n: f"Kim Legal {n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Opened like any case: blind index, board tallies, history.
        return services.person_create(person=model_class(*args, **kwargs), created_by=None)

    @factory.post_generation
    def caseworkers(self, create, extracted, **kwargs):
        if create and extracted:
            self.assigned_caseworkers.add(*extracted)

    @factory.post_generation
    def vulnerable(self, create, extracted, **kwargs):
        if create and extracted:
            services.person_vulnerabilities_change(
                person=self,
                saved=[PersonVulnerability(person=self, kind=kind) for kind in extracted],
                changed_by=None,
            )


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Group {n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Opened like any group: version, history, the unidentified others checked.
        return services.group_create(group=model_class(*args, **kwargs), created_by=None)

    @factory.post_generation
    def people(self, create, extracted, **kwargs):
        if create and extracted:
            for person in extracted:
                GroupMembership.objects.create(group=self, person=person)


class FamilyContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FamilyContact

    person = factory.SubFactory(PersonFactory)
    relation = "sister"
    name = "Lee Sister"
    contact_channel = "+82 10 0000 0000"


def record(
    person: Person | None = None,
    status: str = Status.DETAINED,
    on: datetime.date = datetime.date(2017, 3, 10),
    *,
    group: Group | None = None,
    by: User | None = None,
    **kwargs,
):
    """Record an event through the service, with test-friendly defaults."""
    kwargs.setdefault("date_precision", DatePrecision.DAY)
    kwargs.setdefault("confidence", Confidence.REPORTED)
    if status == Status.RETURNED:
        kwargs.setdefault("source", SourceFactory())
    return services.custody_event_record(
        persons=[person] if person is not None else None,
        group=group,
        status=status,
        occurred_on=on,
        recorded_by=by,
        **kwargs,
    )


def change(person: Person, **fields) -> Person:
    """Edit a person's own fields and save them through the service, as the admin does."""
    for name, value in fields.items():
        setattr(person, name, value)
    return services.person_update(person=person, updated_by=None)
