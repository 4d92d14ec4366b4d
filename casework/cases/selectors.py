"""Reads of the case records that several places share: a page of a case list, finding
a source or a facility from what a user typed. Each costs the same whatever the number
of rows."""

import re

from django.db.models import Q, QuerySet
from django.db.models.query import EmptyQuerySet

from casework.cases.enums import SourceKind
from casework.cases.models import Facility, Person, Source
from casework.cases.pagination import KeysetPage, keyset_page, parts_keyset_page
from casework.cases.places import province_from_display

SOURCE_MATCHES = 20
# What a source is shown as: "label (S-7K3QX2)". The reference alone is enough to find it.
_SOURCE_REFERENCE = re.compile(r"(?:^|\()\s*(S-[0-9A-Z]+)\s*\)?$", re.IGNORECASE)
# The columns str(source) needs. The encrypted identity is never read, so never decrypted.
_SOURCE_SHOWN = ("reference", "label", "kind")


def _kinds_shown_as(text: str, *, exact: bool) -> list[str]:
    """The kinds whose name a source without a label is shown by (str() uses it)."""
    folded = text.casefold()
    return [
        kind
        for kind, name in SourceKind.choices
        if (name.casefold() == folded if exact else folded in name.casefold())
    ]


def sources_matching(query: str, *, limit: int = SOURCE_MATCHES) -> QuerySet[Source]:
    """Sources whose shown name (label, or kind when unlabelled) or reference contains
    ``query``, by reference. Nothing for an empty query: the list is for searching."""
    query = query.strip()
    if not query:
        return Source.objects.none()
    shown = Q(label__icontains=query) | Q(reference__icontains=query)
    kinds = _kinds_shown_as(query, exact=False)
    if kinds:
        shown |= Q(label="", kind__in=kinds)
    return Source.objects.filter(shown).only(*_SOURCE_SHOWN).order_by("reference")[:limit]


def sources_for_text(text: str) -> list[Source]:
    """The sources ``text`` names: by its reference when it has one ("label (S-…)" or the
    bare "S-…", the reference deciding), otherwise by exact shown name. At most two, so a
    caller can tell one match from several."""
    text = text.strip()
    found = _SOURCE_REFERENCE.search(text)
    if found:
        named = Q(reference=found.group(1).upper())
    else:
        named = Q(label__iexact=text)
        kinds = _kinds_shown_as(text, exact=True)
        if kinds:
            named |= Q(label="", kind__in=kinds)
    return list(Source.objects.filter(named).only(*_SOURCE_SHOWN).order_by("reference")[:2])


def _named(name: str) -> Q:
    return Q(name_en__iexact=name) | Q(name_ko__iexact=name) | Q(name_zh__iexact=name)


def facility_for_name(name: str) -> Facility | None:
    """The facility shown as ``name`` ("name, province", in the reader's script and
    language, as ``str(facility)`` shows it) or called ``name`` in any of its languages,
    the first in gazetteer order when several are."""
    name = name.strip()
    named = _named(name)
    if ", " in name:
        facility_name, province = name.rsplit(", ", 1)
        named |= _named(facility_name) & Q(province__iexact=province_from_display(province))
    return Facility.objects.filter(named).first()


def case_list_page(
    people: QuerySet[Person], *, after: int | None = None, size: int = 50
) -> KeysetPage:
    """A page of a case list: the people at risk first, then those gone quiet, then the
    rest, each part by pseudonym, flagged ``is_at_risk`` / ``is_stale``.

    A page starts after row ``after``, read back here to learn which part it is in, so a
    link holds only a number; a row the caller may not see gives an empty page.
    """
    if isinstance(people, EmptyQuerySet):
        return KeysetPage()  # known empty: no query to build
    flagged = people.with_flags()
    # On the flags, not the conditions behind them: SQLite would otherwise gather every
    # detained person through the status index and sort them all to show fifty.
    parts = (
        flagged.filter(is_at_risk=True),
        flagged.filter(is_at_risk=False, is_stale=True),
        flagged.filter(is_at_risk=False, is_stale=False),
    )
    part = 0
    if after is not None:
        anchor = flagged.filter(pk=after).values_list("is_at_risk", "is_stale").first()
        if anchor is None:
            return KeysetPage()
        part = 0 if anchor[0] else 1 if anchor[1] else 2
    return parts_keyset_page(parts, after=after, part=part, size=size)


def case_search_page(
    people: QuerySet[Person], *, after: int | None = None, size: int = 50
) -> KeysetPage:
    """A page of search results: found by name, shown by name (one walk, where "at risk
    first" would walk the matches once for each part), flagged as in ``case_list_page``."""
    return keyset_page(people.with_flags(), after=after, size=size)
