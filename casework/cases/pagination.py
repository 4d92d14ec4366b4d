"""Keyset pagination for long case lists.

An offset page (``LIMIT 50 OFFSET 400000``) makes the database walk every row before the
page, and the usual paginator first counts every row: both grow with the cases. A keyset
page asks for the rows after the last one shown, in the list's order
(``pseudonym, id`` for people, backed by the ``person_list_idx`` index), so every page
costs the same and nothing is counted. The cursor is the primary key of the last row
shown: a number, never a name, so it can go in a URL.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Model, Q, QuerySet, Subquery
from django.db.models.query import EmptyQuerySet
from django.utils.functional import cached_property


@dataclass
class KeysetPage:
    items: list[Model] = field(default_factory=list)
    # The ``after`` value for the next page, or None on the last page.
    next_after: int | None = None


def keyset_page(
    queryset: QuerySet, *, after: int | None = None, size: int = 50, order_by: str = "pseudonym"
) -> KeysetPage:
    """The ``size`` rows of ``queryset`` that follow row ``after`` in (``order_by``, id) order.

    The anchor row is looked up in ``queryset`` itself, so a cursor naming a row the user
    may not see gives an empty page rather than revealing where that row sorts. One query.
    """
    rows = list(_following(queryset, after, order_by)[: size + 1])
    if len(rows) > size:
        return KeysetPage(items=rows[:size], next_after=rows[size - 1].pk)
    return KeysetPage(items=rows)


def _following(queryset: QuerySet, after: int | None, order_by: str) -> QuerySet:
    """``queryset`` in (``order_by``, id) order, from the row after row ``after`` on."""
    ordered = queryset.order_by(order_by, "pk")
    if after is None:
        return ordered
    anchor = Subquery(queryset.filter(pk=after).values(order_by)[:1])
    # The first condition is a range the index can start from; the second only sorts out
    # rows that share the anchor's value. (The "a > x OR (a = x AND id > n)" spelling
    # alone is no range: the database walked every row before the anchor.)
    return ordered.filter(
        Q(**{f"{order_by}__gte": anchor}),
        Q(**{f"{order_by}__gt": anchor}) | Q(pk__gt=after),
    )


def parts_keyset_page(
    parts: Sequence[QuerySet],
    *,
    after: int | None = None,
    part: int = 0,
    size: int = 50,
    order_by: str = "pseudonym",
) -> KeysetPage:
    """``keyset_page`` over lists shown one after another (at risk, then stale, then the
    rest), each in (``order_by``, id) order: a sort on a flag would make the database
    flag and sort every row to show fifty, where each part walks its index and stops.

    ``part`` is the index of the part that holds row ``after`` (the caller read it back
    with the anchor row); the page goes on into the next parts when that one runs out.
    One query per part reached.
    """
    rows: list[Model] = []
    for index in range(part, len(parts)):
        following = _following(parts[index], after if index == part else None, order_by)
        rows += following[: size + 1 - len(rows)]
        if len(rows) > size:
            return KeysetPage(items=rows[:size], next_after=rows[size - 1].pk)
    return KeysetPage(items=rows)


def first_found(queryset: QuerySet, cap: int = 1_000) -> list[int]:
    """The ids of the first ``cap + 1`` rows the database finds: more than ``cap`` of
    them means there are more than a caller shows.

    A page in list order of a few rows among very many is cheapest as "these ids,
    sorted"; left to itself the database may walk the whole list in order looking for
    them (the worst case: a search that matches nothing). Many matches are no cheaper in
    list order: they may all lie late in it (every "Willow …"), so that the walk passes
    most of the list before the first one, and sorting them all reads each one. Ids
    found in whatever order the index gives them stop after ``cap + 1``, so the cost is
    bounded whatever the term; a caller with more than ``cap`` says so and shows those.
    Their set is the same from page to page unless rows are written meanwhile
    (PostgreSQL may move an updated row).
    """
    return list(queryset.order_by().values_list("pk", flat=True)[: cap + 1])


def capped_count(queryset: QuerySet, cap: int) -> int:
    """The number of rows, counted up to ``cap + 1`` only: past the cap a list says "more
    than …", and a count of every row grows with the cases where this stops early."""
    if isinstance(queryset, EmptyQuerySet):
        return 0
    # values("pk"): count rows, not the annotations a list shows for each row.
    return queryset.order_by().values("pk")[: cap + 1].count()


class CappedCountPaginator(Paginator):
    """A paginator that stops counting after ``cap`` rows, for admin lists over every case.

    Counting every visible person reads every one of them whatever the indexes; counting
    up to the cap stops early. Lists longer than the cap show "more than
    10,000" (``templates/admin/cases/pagination.html``) and page on up to the cap.
    """

    cap = 10_000

    def __init__(self, *args, cap: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if cap is not None:
            self.cap = cap

    @cached_property
    def count(self) -> int:
        return capped_count(self.object_list, self.cap)

    @property
    def capped(self) -> bool:
        return self.count > self.cap
