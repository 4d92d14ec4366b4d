"""Keyset pagination for long case lists.

An offset page (``LIMIT 50 OFFSET 400000``) makes the database walk every row before the
page, and the usual paginator first counts every row; at a million people both cost
seconds. A keyset page asks for the rows after the last one shown, in the list's order
(``pseudonym, id`` for people, backed by the ``person_list_idx`` index), so every page
costs the same and nothing is counted. The cursor is the primary key of the last row
shown: a number, never a name, so it can go in a URL.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Model, Q, QuerySet, Subquery
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
    ordered = queryset.order_by(order_by, "pk")
    if after is not None:
        anchor = Subquery(queryset.filter(pk=after).values(order_by)[:1])
        ordered = ordered.filter(
            Q(**{f"{order_by}__gt": anchor}) | Q(**{order_by: anchor, "pk__gt": after})
        )
    rows = list(ordered[: size + 1])
    if len(rows) > size:
        return KeysetPage(items=rows[:size], next_after=rows[size - 1].pk)
    return KeysetPage(items=rows)


class CappedCountPaginator(Paginator):
    """A paginator that stops counting after ``cap`` rows, for admin lists over every case.

    Counting a million visible people takes about a second on PostgreSQL whatever the
    indexes; counting up to 10,001 stops early. Lists longer than the cap show "more than
    10,000" (``templates/admin/cases/pagination.html``) and page on up to the cap.
    """

    cap = 10_000

    @cached_property
    def count(self) -> int:
        # values("pk"): count rows, not the annotations a list page shows for each row.
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap
