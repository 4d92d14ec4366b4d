"""Place names in the reader's script: facilities and the provinces they lie in, and
where a person is now (``place_now_display``), the one rule the board counts and shows.

A facility keeps its name in English, Chinese and Korean (``Facility.name_en`` and so
on); a province is stored in English ("Jilin") and translated here for display, so that a
Korean reader sees 지린성. A province not in the list below is shown as stored.
"""

from django.utils.translation import get_language, gettext, gettext_noop

from casework.cases.enums import Country, Status

# The provinces and regions where people are held or returned from. The stored value is
# the English name; its translation is in the catalogue.
PROVINCES = (
    # China
    gettext_noop("Jilin"),
    gettext_noop("Liaoning"),
    gettext_noop("Heilongjiang"),
    gettext_noop("Inner Mongolia"),
    gettext_noop("Hebei"),
    gettext_noop("Beijing"),
    gettext_noop("Tianjin"),
    gettext_noop("Shandong"),
    gettext_noop("Shanghai"),
    gettext_noop("Guangdong"),
    gettext_noop("Guangxi"),
    gettext_noop("Yunnan"),
    # Russia
    gettext_noop("Primorsky Krai"),
    gettext_noop("Khabarovsk Krai"),
    gettext_noop("Amur Oblast"),
    # South-east Asia and Mongolia
    gettext_noop("Vientiane"),
    gettext_noop("Bokeo"),
    gettext_noop("Luang Namtha"),
    gettext_noop("Chiang Rai"),
    gettext_noop("Bangkok"),
    gettext_noop("Hanoi"),
    gettext_noop("Lao Cai"),
    gettext_noop("Ulaanbaatar"),
)
_KNOWN = frozenset(PROVINCES)


def province_display(province: str | None) -> str:
    """A stored province ("Jilin") in the active language (지린성); unknown ones as stored."""
    if not province:
        return ""
    return gettext(province) if province in _KNOWN else province


def place_now(status: str | None, province: str | None, country: str | None) -> str:
    """Where a person is now, from their current status and the province and country
    of their current facility; blank when that is not known.

    A person returned is in North Korea, whatever border post they were handed over at;
    a person in a safe country is in the country reached (the facility's), not in a
    province of the country they left. Anyone else is in their facility's province.
    """
    if status == Status.RETURNED:
        return gettext("Returned to North Korea")
    if status == Status.IN_SAFE_COUNTRY:
        if not country:
            return gettext("Abroad, country unknown")
        return str(Country(country).label) if country in Country.values else country
    return province_display(province)


def place_now_display(status: str | None, province: str | None, country: str | None) -> str:
    """``place_now``, reading "Unknown place" when it is not known: what the board
    counts people under and exports."""
    return place_now(status, province, country) or gettext("Unknown place")


def province_from_display(text: str) -> str:
    """The stored province for a name shown by ``province_display`` (or the stored name
    itself), so that a facility typed as shown to a Korean reader is found."""
    text = text.strip()
    for province in PROVINCES:
        if text.casefold() in (province.casefold(), gettext(province).casefold()):
            return province
    return text


def facility_display_name(
    name_en: str | None, name_ko: str | None = "", name_zh: str | None = ""
) -> str:
    """A facility's name in the active language's script: Korean → ``name_ko``, Chinese
    → ``name_zh``, each falling back to the English name when it is not recorded.

    For rows read as values (``facility__name_en``, ``facility__name_ko``) where there is
    no ``Facility`` object; ``Facility.display_name`` is the same for one facility."""
    language = (get_language() or "").lower()
    if language.startswith("ko") and name_ko:
        return name_ko
    if language.startswith("zh") and name_zh:
        return name_zh
    return name_en or ""


def facility_display_with_province(name: str, province: str | None) -> str:
    """'Name, Province' as shown in lists and the quick update's choices."""
    shown = province_display(province)
    return f"{name}, {shown}" if shown else name
