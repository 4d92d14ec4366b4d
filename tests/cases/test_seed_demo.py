import io

import pytest
from django.core.management import CommandError, call_command

from casework.accounts.enums import Role
from casework.accounts.models import User
from casework.cases.enums import Status, Vulnerability
from casework.cases.models import Facility, Group, Person

pytestmark = pytest.mark.django_db


def seed(**kwargs) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **kwargs)
    return out.getvalue()


def test_seed_demo_loads_the_public_reporting_shapes_and_one_login_per_role():
    output = seed(password="demo-password-for-tests")

    suizhong = Group.objects.with_rollup().get(name="Suizhong group of eight")
    assert suizhong.rollup == "6 detained, 2 returned"
    yanji = Group.objects.with_rollup().get(name="Yanji group of five")
    assert yanji.rollup.endswith("and at least 3 others, unidentified")
    at_risk = set(Person.objects.at_risk().values_list("pk", flat=True))
    assert set(yanji.members.values_list("pk", flat=True)) <= at_risk
    assert Person.objects.with_vulnerability(Vulnerability.INFANT).count() == 1
    assert Person.objects.with_vulnerability(Vulnerability.CHILD).count() == 5
    assert Person.objects.with_vulnerability(Vulnerability.ELDERLY).count() == 3
    assert Person.objects.in_status(Status.IN_SAFE_COUNTRY).count() == 2
    assert Facility.objects.filter(province="Yunnan").exists()
    assert Facility.objects.get(name_en__startswith="Tumen Border").border_point

    for role in Role:
        users = User.objects.filter(groups__name=role.value)
        assert users.exists()
        for user in users:
            assert user.check_password("demo-password-for-tests")
            assert user.username in output
    assert "demo-password-for-tests" in output


def test_seeding_twice_adds_nothing():
    seed()
    counts = (Person.objects.count(), Group.objects.count())
    output = seed()
    assert (Person.objects.count(), Group.objects.count()) == counts
    assert "already present" in output


def test_demo_logins_are_refused_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        seed()
    assert not User.objects.exists()
