"""Partners' and third-sector activities for a built-in region: a handful of the kinds a county's counsellors
offer beside its own groups (docs/partners.md).

A parish's diaconia lunch, a Red Cross friend group, a mental-health association's peer group, a sports
club's walking group and a library's reading circle in the region's biggest municipalities (in Finnish),
and the same kinds in Swedish where a municipality is largely Swedish-speaking (Folkhälsan's meeting
among them). Places are the region's own sites (a library for the reading circle), so every activity has
coordinates. Nothing is random: the same region and term give the same activities.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from scheduler.contract.partner import PartnerActivityIn
from scheduler.scenario.generate import DEFAULT_TERM_START, TERM_WEEKS
from scheduler.scenario.region import HubSite, Municipality, Region
from scheduler.scenario.regions import DEFAULT_REGION, find_region

__all__ = ["partner_activities"]

SWEDISH_SHARE = 0.3
"""A municipality at least this Swedish-speaking also gets the Swedish activities."""


class Kind(NamedTuple):
    """One kind of activity: who runs it, its name and description, theme, weekday, hours and more."""

    key: str
    organisation: str
    name: str
    description: str
    theme: str
    day: str
    start: str
    end: str
    site: str
    """The kind of site it meets at (kirjasto: a library; else the municipality's first site)."""
    accessible: bool
    audience: str = "all"
    term_only: bool = False
    """Runs over the county's term only (else open-ended)."""


FINNISH = (
    Kind(
        "diakonialounas",
        "Ev.-lut. seurakunta – {m}, diakoniatyö",
        "Diakonialounas",
        "Yhteinen lounas ja juttuseuraa. Ei ilmoittautumista, lounas on maksuton.",
        "community",
        "wed",
        "11:00",
        "12:30",
        "sote",
        True,
    ),
    Kind(
        "ystavaryhma",
        "Suomen Punainen Risti – {m}",
        "Ystäväryhmä",
        "Vapaaehtoisten vetämä ryhmä, jossa tutustutaan uusiin ihmisiin kahvin äärellä.",
        "peer",
        "tue",
        "13:00",
        "15:00",
        "asukastalo",
        True,
    ),
    Kind(
        "vertaisryhma",
        "Mielenterveysyhdistys Majakka ry",
        "Mielenterveyden vertaistukiryhmä",
        "Kokemusasiantuntijan ohjaama vertaisryhmä. Luottamuksellinen, voit tulla myös vain kuuntelemaan.",
        "peer",
        "thu",
        "17:00",
        "18:30",
        "sote",
        True,
        term_only=True,
    ),
    Kind(
        "kavelyryhma",
        "Liikuntaseura Ryhti ry",
        "Kävelyryhmä",
        "Rauhallinen tunnin kävely lähimaastossa säällä kuin säällä. Lähtö pääovelta.",
        "sport",
        "mon",
        "10:00",
        "11:00",
        "sote",
        False,
    ),
    Kind(
        "lukupiiri",
        "Kirjasto – {m}",
        "Selkokielinen lukupiiri",
        "Luetaan ja keskustellaan lyhyistä teksteistä. Kirjat saa lainaksi.",
        "art",
        "fri",
        "14:00",
        "15:30",
        "kirjasto",
        True,
        term_only=True,
    ),
)
SWEDISH = (
    Kind(
        "diakonilunch",
        "Svenska församlingen – {m}, diakonin",
        "Diakonilunch",
        "Gemensam lunch och samvaro. Ingen anmälan, lunchen är gratis.",
        "community",
        "wed",
        "11:30",
        "13:00",
        "sote",
        True,
    ),
    Kind(
        "vantraff",
        "Finlands Röda Kors – {m}",
        "Vänträff",
        "Frivilliga leder en träff där man lär känna nya människor över en kopp kaffe.",
        "peer",
        "tue",
        "14:00",
        "16:00",
        "asukastalo",
        True,
    ),
    Kind(
        "mabra",
        "Folkhälsan – {m}",
        "Må bra-träff",
        "Lätt motion, avslappning och samtal om vardagens välmående.",
        "wellbeing",
        "thu",
        "10:00",
        "11:30",
        "kirjasto",
        True,
        term_only=True,
    ),
)


def _site(region: Region, town: Municipality, kind: str) -> HubSite:
    sites = [s for s in region.hubs if s.municipality == town.name]
    return next((s for s in sites if s.kind == kind), sites[0])


def _activity(
    region: Region, town: Municipality, kind: Kind, language: str, start: date, end: date
) -> PartnerActivityIn:
    site = _site(region, town, kind.site)
    return PartnerActivityIn(
        id=f"{kind.key}-{site.id}",
        organisation=kind.organisation.format(m=town.name),
        name=kind.name,
        description=kind.description,
        municipality=town.name,
        place=f"{site.name}, {site.address}",
        lat=site.lat,
        lon=site.lon,
        day=kind.day,
        start=kind.start,
        end=kind.end,
        first_date=start if kind.term_only else None,
        last_date=end if kind.term_only else None,
        languages=[language],
        theme=kind.theme,
        audience=kind.audience,
        contact=f"{kind.key}.{site.id.split('-')[0]}@example.fi",
        url=None,
        accessible=kind.accessible,
    )


def partner_activities(
    region: str | Region = DEFAULT_REGION, term_start: date = DEFAULT_TERM_START, weeks: int = TERM_WEEKS
) -> list[PartnerActivityIn]:
    """The region's partner activities: each Finnish kind in one of the biggest municipalities in turn, the
    Swedish kinds in the most Swedish-speaking one (when a municipality is at least 30 % Swedish-speaking).
    The mental-health peer group and the reading circle run over the term; the others are open-ended."""
    region = find_region(region) if isinstance(region, str) else region
    end = term_start + timedelta(days=7 * weeks - 1)
    biggest = sorted(region.municipalities, key=lambda m: -m.population)
    found = [
        _activity(region, biggest[i % min(3, len(biggest))], kind, "fi", term_start, end)
        for i, kind in enumerate(FINNISH)
    ]
    swedish = max(region.municipalities, key=lambda m: (m.swedish_share, m.population))
    if swedish.swedish_share >= SWEDISH_SHARE:
        found += [_activity(region, swedish, kind, "sv", term_start, end) for kind in SWEDISH]
    return found
