"""The words the board shows: each headline figure in every form it takes, the short
status names of badges and charts, and the names of places in the reader's language.

A figure's words are whole phrases, one message per form ("at least 12 people
detained", "fewer than 3 children"), never a number glued to a noun: Korean puts the
counter after the noun (구금된 사람 최소 12명).
"""

from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, npgettext_lazy, pgettext

from casework.cases.enums import STATUS_SHORT
from casework.cases.places import province_display


@dataclass(frozen=True)
class FigureWords:
    """The phrases of one headline figure. The lazy plurals take ``{"n": count}``."""

    exact: object  # "one person detained" / "%(n)s people detained"
    at_least: object  # "at least one person detained" / "at least %(n)s people detained"
    fewer: object  # "fewer than %(limit)s people detained"
    zero: object  # "no people detained"
    tile: object  # the tile's caption under its number: "person detained" / "people detained"


FIGURE_WORDS = {
    "total": FigureWords(
        ngettext_lazy("one person detained", "%(n)s people detained", "n"),
        ngettext_lazy("at least one person detained", "at least %(n)s people detained", "n"),
        _("fewer than %(limit)s people detained"),
        _("no people detained"),
        npgettext_lazy("board tile", "person detained", "people detained", "n"),
    ),
    "returned": FigureWords(
        ngettext_lazy("one forcibly returned", "%(n)s forcibly returned", "n"),
        ngettext_lazy("at least one forcibly returned", "at least %(n)s forcibly returned", "n"),
        _("fewer than %(limit)s forcibly returned"),
        _("none forcibly returned"),
        npgettext_lazy("board tile", "forcibly returned", "forcibly returned", "n"),
    ),
    "in_custody": FigureWords(
        ngettext_lazy("one still in detention", "%(n)s still in detention", "n"),
        ngettext_lazy("at least one still in detention", "at least %(n)s still in detention", "n"),
        _("fewer than %(limit)s still in detention"),
        _("none still in detention"),
        npgettext_lazy("board tile", "still in detention", "still in detention", "n"),
    ),
    "released": FigureWords(
        ngettext_lazy("one released", "%(n)s released", "n"),
        ngettext_lazy("at least one released", "at least %(n)s released", "n"),
        _("fewer than %(limit)s released"),
        _("none released"),
        npgettext_lazy("board tile", "released", "released", "n"),
    ),
    "in_safe_country": FigureWords(
        ngettext_lazy("one reached a safe country", "%(n)s reached a safe country", "n"),
        ngettext_lazy(
            "at least one reached a safe country", "at least %(n)s reached a safe country", "n"
        ),
        _("fewer than %(limit)s reached a safe country"),
        _("none reached a safe country"),
        npgettext_lazy("board tile", "reached a safe country", "reached a safe country", "n"),
    ),
    "at_large": FigureWords(
        ngettext_lazy("one in hiding", "%(n)s in hiding", "n"),
        ngettext_lazy("at least one in hiding", "at least %(n)s in hiding", "n"),
        _("fewer than %(limit)s in hiding"),
        _("none in hiding"),
        npgettext_lazy("board tile", "in hiding", "in hiding", "n"),
    ),
    "deceased": FigureWords(
        ngettext_lazy("one died", "%(n)s died", "n"),
        ngettext_lazy("at least one died", "at least %(n)s died", "n"),
        _("fewer than %(limit)s died"),
        _("none died"),
        npgettext_lazy("board tile", "died", "died", "n"),
    ),
    "fate_unknown": FigureWords(
        ngettext_lazy("one whose fate is unknown", "%(n)s whose fate is unknown", "n"),
        ngettext_lazy(
            "at least one whose fate is unknown", "at least %(n)s whose fate is unknown", "n"
        ),
        _("fewer than %(limit)s whose fate is unknown"),
        _("none whose fate is unknown"),
        npgettext_lazy("board tile", "fate unknown", "fate unknown", "n"),
    ),
    "children": FigureWords(
        ngettext_lazy("one child", "%(n)s children", "n"),
        ngettext_lazy("at least one child", "at least %(n)s children", "n"),
        _("fewer than %(limit)s children"),
        _("no children"),
        npgettext_lazy("board tile", "child", "children", "n"),
    ),
    "infants": FigureWords(
        ngettext_lazy("one baby born in detention", "%(n)s babies born in detention", "n"),
        ngettext_lazy(
            "at least one baby born in detention", "at least %(n)s babies born in detention", "n"
        ),
        _("fewer than %(limit)s babies born in detention"),
        _("no babies born in detention"),
        npgettext_lazy("board tile", "baby born in detention", "babies born in detention", "n"),
    ),
    "elderly_women": FigureWords(
        ngettext_lazy("one elderly woman", "%(n)s elderly women", "n"),
        ngettext_lazy("at least one elderly woman", "at least %(n)s elderly women", "n"),
        _("fewer than %(limit)s elderly women"),
        _("no elderly women"),
        npgettext_lazy("board tile", "elderly woman", "elderly women", "n"),
    ),
}


# How each headline figure is counted, one line each, shown under the figures so that a
# reader of a published number can say what it holds.
FIGURE_RULES = {
    "total": _(
        "People detained: everyone whose custody began in the period (a first record in "
        "custody, or an arrest after being free); a transfer is not a new detention."
    ),
    "outcomes": _(
        "Returned, still in detention, released and the rest: each person's status at the "
        "end of the as-of day, from the latest event recorded by then."
    ),
    "at_least": _(
        "“At least”: the total, when a detention is unverified or dated only roughly, or a "
        "group records unidentified others; each outcome, when anyone's fate is unknown."
    ),
    "others": _(
        "Unidentified others of a group count in a period's figures and as of a day, as "
        "detained on the day the group was first detained; their fate is unknown, and "
        "they are never listed."
    ),
    "including": _(
        "Children, babies and elderly women: by the vulnerability or the age band "
        "recorded; “at least” when someone's age or sex is unknown."
    ),
    "province": _(
        "Province of arrest: where the facility of the detention that began in the period "
        "lies; “Unknown place” when no facility was recorded."
    ),
}


def status_short(value: str | None) -> str:
    """'Returned' for 'returned', in the active language, for badges in narrow columns
    and the charts' legends (the full labels are ``Status``'s: "Returned (forcibly
    repatriated)"); the short words are ``cases.enums.STATUS_SHORT``. Unknown values
    pass through."""
    label = STATUS_SHORT.get(value or "")
    return capfirst(str(label)) if label is not None else (value or "")


def facility_label(facility) -> str:
    """A facility as the facility filter offers it: 'Tumen detention centre, Jilin', in
    the reader's script."""
    name = facility.display_name
    province = province_display(facility.province)
    if not province:
        return name
    return pgettext("facility, province", "%(facility)s, %(province)s") % {
        "facility": name,
        "province": province,
    }
