import datetime
import re

import pytest
from django.db import connection, transaction

from casework.cases import pagination, permissions
from casework.cases.models import Person
from casework.cases.pagination import CappedCountPaginator, keyset_page
from casework_dev.synthetic import cases as synthetic
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def walk(queryset, size):
    pages, after = [], None
    while True:
        page = keyset_page(queryset, after=after, size=size)
        pages.append([p.pk for p in page.items])
        if page.next_after is None:
            return pages
        after = page.next_after


def test_walking_the_pages_gives_every_visible_person_once_in_list_order(cast):
    synthetic.seed(persons=120, seed=5, until=datetime.date(2025, 6, 30))
    for _ in range(3):
        PersonFactory(pseudonym="Azalea 1")  # ties on the pseudonym are ordered by id
    visible = permissions.persons_visible_to(cast.alice)

    pages = walk(visible, size=7)

    expected = list(visible.order_by("pseudonym", "id").values_list("pk", flat=True))
    assert [pk for page in pages for pk in page] == expected
    assert all(len(page) == 7 for page in pages[:-1]) and 0 < len(pages[-1]) <= 7


def test_each_page_is_one_query_whatever_its_position(django_assert_num_queries):
    synthetic.seed(persons=200, seed=6, until=datetime.date(2025, 6, 30))
    eleventh_from_last = Person.objects.order_by("-pseudonym", "-id")[10]

    with django_assert_num_queries(1):
        page = keyset_page(Person.objects.with_current(), after=eleventh_from_last.pk, size=50)

    assert len(page.items) == 10 and page.next_after is None
    assert page.items[0].current_status  # annotations come along


def test_a_cursor_on_a_case_the_user_may_not_see_gives_an_empty_page(cast):
    hidden = PersonFactory(pseudonym="Magnolia", restricted=True)
    PersonFactory(pseudonym="Willow")

    page = keyset_page(permissions.persons_visible_to(cast.carol), after=hidden.pk)

    assert page.items == [] and page.next_after is None


def test_the_admin_stops_counting_at_the_cap_and_says_so(cast, client_for, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 5)
    for n in range(12):
        PersonFactory(pseudonym=f"Willow {n:02d}")
    coordinator = client_for(cast.carol)

    long_list = coordinator.get("/admin/cases/person/")
    short_list = coordinator.get("/admin/cases/person/?q=Willow+01")

    assert "more than 5 people" in long_list.content.decode()
    assert "1 person" in short_list.content.decode()
    assert CappedCountPaginator(Person.objects.all(), 50).count == 6


def test_a_later_page_starts_from_the_index_rather_than_walking_the_rows_before_it():
    PersonFactory.create_batch(5)
    anchor = Person.objects.order_by("pseudonym", "id")[2]

    plan = _plan(pagination._following(Person.objects.all(), anchor.pk, "pseudonym"))

    if connection.vendor == "sqlite":
        assert "USING INDEX person_list_idx (pseudonym>?)" in plan
    else:
        assert re.search(r"Index Cond: \(\(?pseudonym\)?(::text)? >= ", plan), plan


def _plan(queryset) -> str:
    if connection.vendor == "sqlite":
        return queryset.explain()
    with transaction.atomic(), connection.cursor() as cursor:
        # A table of five rows is read whole; ask the planner what it does with many.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        return queryset.explain()
