"""Facts every region shares: room names, staff roles, names, foreign languages, the client
target groups and the group models (docs/design.md).

The group models and the five client target groups follow the county's employment services
handbook for social rehabilitation (TEP, 2024; see docs/design.md, References). Each region's
own facts (municipalities, hubs) live in `scheduler.scenario.regions`; `MUNICIPALITIES` and
`HUBS` here are the default region's (Western Uusimaa), kept for the code that reads them.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from scheduler.scenario.region import HubSite, Municipality, Settlement
from scheduler.scenario.regions.lansi_uusimaa import HUBS, MUNICIPALITIES

__all__ = [
    "FOREIGN_LANGUAGES",
    "HUBS",
    "MUNICIPALITIES",
    "NAMES",
    "HYBRID_TEMPLATES",
    "PARTNER_ROLES",
    "PEER_ROLE",
    "PROCESS_SESSIONS",
    "QUALIFIED_ROLES",
    "ROOM_NAMES",
    "TARGET_GROUPS",
    "TEMPLATES",
    "HubSite",
    "Municipality",
    "Role",
    "Settlement",
    "TargetGroup",
]


ROOM_NAMES: dict[tuple[str, bool], tuple[str, ...]] = {
    ("sote", False): ("Ryhmähuone", "Olohuone", "Toimintatila", "Neuvotteluhuone", "Keittiö"),
    ("kirjasto", False): ("Ryhmätila", "Pajatila", "Monitoimitila", "Studio"),
    ("asukastalo", False): ("Olohuone", "Kerhohuone", "Keittiö"),
    ("sote", True): ("Grupprum", "Vardagsrum", "Aktivitetsrum", "Mötesrum", "Kök"),
    ("kirjasto", True): ("Grupprum", "Verkstad", "Allrum", "Studio"),
    ("asukastalo", True): ("Vardagsrum", "Klubbrum", "Kök"),
}


class Role(NamedTuple):
    """A staff role: the skill tag that records it, how common it is, its skills."""

    skill: str
    weight: float
    skills: tuple[tuple[str, float], ...]
    extra: tuple[int, int]


QUALIFIED_ROLES: tuple[Role, ...] = (
    Role(
        "role:social_counsellor",
        0.55,
        (
            ("nature", 3),
            ("art", 2),
            ("digital", 2),
            ("peer", 3),
            ("language", 2),
            ("youth", 2),
            ("neuro", 1),
            ("popup", 2),
            ("sport", 1),
        ),
        (2, 3),
    ),
    Role(
        "role:social_worker",
        0.15,
        (
            ("peer", 3),
            ("language", 2),
            ("youth", 2),
            ("neuro", 2),
            ("art", 1),
            ("digital", 1),
        ),
        (1, 2),
    ),
    Role(
        "role:practical_nurse",
        0.30,
        (
            ("nature", 3),
            ("sport", 2),
            ("digital", 2),
            ("art", 2),
            ("neuro", 2),
            ("popup", 1),
        ),
        (2, 3),
    ),
)

PARTNER_ROLES: tuple[Role, ...] = (
    Role("role:sports_instructor", 0.30, (("sport", 5), ("nature", 4), ("youth", 2)), (2, 2)),
    Role(
        "role:ngo_worker",
        0.30,
        (
            ("peer", 3),
            ("popup", 3),
            ("language", 3),
            ("youth", 2),
            ("digital", 2),
            ("art", 1),
        ),
        (2, 3),
    ),
    Role(
        "role:experience_expert",
        0.25,
        (
            ("peer", 4),
            ("popup", 3),
            ("neuro", 2),
            ("art", 2),
        ),
        (1, 2),
    ),
    Role(
        "role:health_professional",
        0.15,
        (
            ("nature", 2),
            ("sport", 2),
            ("neuro", 2),
            ("digital", 1),
        ),
        (1, 2),
    ),
)

NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "fi": (
        (
            "Aino",
            "Anni",
            "Elina",
            "Hanna",
            "Johanna",
            "Katja",
            "Laura",
            "Minna",
            "Noora",
            "Päivi",
            "Riikka",
            "Sanna",
            "Satu",
            "Tiina",
            "Veera",
            "Antti",
            "Eero",
            "Heikki",
            "Janne",
            "Juha",
            "Jukka",
            "Markku",
            "Mikko",
            "Pekka",
            "Sami",
            "Tuomas",
            "Ville",
        ),
        (
            "Virtanen",
            "Korhonen",
            "Mäkinen",
            "Nieminen",
            "Mäkelä",
            "Hämäläinen",
            "Laine",
            "Heikkinen",
            "Koskinen",
            "Järvinen",
            "Lehtonen",
            "Saarinen",
            "Salminen",
            "Heinonen",
            "Niemi",
            "Kinnunen",
            "Salonen",
            "Turunen",
            "Lindroos",
            "Rantanen",
        ),
    ),
    "sv": (
        (
            "Anna",
            "Annika",
            "Camilla",
            "Emma",
            "Frida",
            "Ida",
            "Linnea",
            "Maria",
            "Sofia",
            "Ulrika",
            "Anders",
            "Björn",
            "Erik",
            "Fredrik",
            "Henrik",
            "Johan",
            "Mats",
            "Niklas",
            "Patrik",
            "Rasmus",
        ),
        (
            "Lindholm",
            "Nyström",
            "Grönroos",
            "Lindqvist",
            "Holmström",
            "Eriksson",
            "Karlsson",
            "Sjöberg",
            "Lundqvist",
            "Backman",
            "Öhman",
            "Wikström",
            "Sundström",
            "Forsman",
        ),
    ),
}

FOREIGN_LANGUAGES: tuple[tuple[str, float], ...] = (
    ("ru", 20),
    ("et", 10),
    ("ar", 12),
    ("uk", 10),
    ("so", 8),
    ("en", 8),
    ("fa", 7),
    ("zh", 5),
    ("ku", 4),
    ("vi", 4),
    ("tr", 3),
)


class TargetGroup(NamedTuple):
    """One of the handbook's five client target groups and the groups it suggests."""

    number: int
    weight: float
    interests: tuple[tuple[str, float], ...]
    youth: float
    neuro: float
    remote_ok: float


TARGET_GROUPS: tuple[TargetGroup, ...] = (
    # 1 young adults whose work or studies broke off, tense in social situations
    TargetGroup(
        1,
        0.29,
        (
            ("nature", 3),
            ("activity", 3),
            ("life_skills", 3),
            ("wellbeing", 3),
            ("peer", 2),
            ("art", 1),
        ),
        0.90,
        0.10,
        0.35,
    ),
    # 2 middle-aged, lost work after long careers, lonely, short of meaning
    TargetGroup(
        2,
        0.24,
        (
            ("art", 4),
            ("peer", 3),
            ("wellbeing", 2),
            ("nature", 2),
            ("digital", 1),
        ),
        0.0,
        0.0,
        0.15,
    ),
    # 3 middle-aged and older, reduced work ability, weak digital skills
    TargetGroup(
        3,
        0.26,
        (
            ("nature", 4),
            ("peer", 3),
            ("digital", 4),
            ("wellbeing", 2),
            ("art", 1),
        ),
        0.0,
        0.0,
        0.10,
    ),
    # 4 young adults, broken work histories, nepsy or substance challenges, online contacts
    TargetGroup(
        4,
        0.21,
        (
            ("community", 4),
            ("games", 4),
            ("life_skills", 3),
            ("activity", 2),
            ("nature", 1),
        ),
        0.85,
        0.50,
        0.70,
    ),
    # 5 immigrants needing integration and Finnish contacts (drawn from language, not weight)
    TargetGroup(
        5,
        0.0,
        (
            ("language", 5),
            ("life_skills", 3),
            ("community", 3),
            ("wellbeing", 2),
            ("digital", 2),
        ),
        0.20,
        0.0,
        0.15,
    ),
)


def _template(
    id: str,
    kind: str,
    theme: str,
    audience: str,
    duration: int,
    max_size: int,
    skills: tuple[str, ...],
    names: tuple[str, str, str],
    modality: str = "in_person",
) -> dict[str, Any]:
    """A group model as contract data; every model runs in Finnish or Swedish."""
    fi, sv, en = names
    return {
        "id": id,
        "name": {"fi": fi, "sv": sv, "en": en},
        "kind": kind,
        "theme": theme,
        "audience": audience,
        "modality": modality,
        "duration_minutes": duration,
        "min_size": 3,
        "max_size": max_size,
        "languages": ["fi", "sv"],
        "required_skills": list(skills),
    }


TEMPLATES: tuple[dict[str, Any], ...] = (
    _template(
        "luontoryhma", "theme", "nature", "all", 180, 8, ("nature",), ("Luontoryhmä", "Naturgrupp", "Nature group")
    ),
    _template(
        "hyvinvointiryhma",
        "theme",
        "wellbeing",
        "all",
        120,
        10,
        (),
        ("Hyvinvointiryhmä", "Välmåendegrupp", "Wellbeing group"),
    ),
    _template(
        "taide-ja-kulttuuri",
        "theme",
        "art",
        "all",
        180,
        8,
        ("art",),
        ("Taide- ja kulttuuriryhmä", "Konst- och kulturgrupp", "Art and culture group"),
    ),
    _template(
        "elamani-kuvat",
        "process",
        "art",
        "all",
        150,
        6,
        ("art",),
        ("Elämäni kuvat -ryhmä", "Mitt livs bilder -grupp", "Pictures of my life group"),
    ),
    _template(
        "digikurssi",
        "theme",
        "digital",
        "all",
        120,
        8,
        ("digital",),
        ("Digikurssi kirjastolla", "Digikurs på biblioteket", "Digital skills course at the library"),
    ),
    _template(
        "miesten-ryhma",
        "peer",
        "peer",
        "men",
        180,
        8,
        ("peer",),
        ("Miesten toiminnallinen vertaisryhmä", "Mäns aktivitets- och kamratgrupp", "Men's activity peer group"),
    ),
    _template(
        "naisten-ryhma",
        "peer",
        "peer",
        "women",
        120,
        8,
        ("peer",),
        ("Naisten vertaistukiryhmä", "Kvinnors kamratstödsgrupp", "Women's peer-support group"),
    ),
    _template(
        "kieliryhma",
        "targeted",
        "language",
        "immigrants",
        120,
        10,
        ("language",),
        (
            "Kielen harjoitteluryhmä vieraskielisille",
            "Språkträning för personer med annat modersmål",
            "Language practice for foreign-language speakers",
        ),
    ),
    _template(
        "arki-tutuksi",
        "targeted",
        "life_skills",
        "immigrants",
        180,
        8,
        ("language",),
        (
            "Arki tutuksi – ryhmä vieraskielisille",
            "Vardagen bekant – grupp för personer med annat modersmål",
            "Everyday life group for foreign-language speakers",
        ),
    ),
    _template(
        "nuorten-ryhma",
        "targeted",
        "activity",
        "youth",
        180,
        8,
        ("youth",),
        ("Nuorten aikuisten toimintaryhmä", "Aktivitetsgrupp för unga vuxna", "Young adults' activity group"),
    ),
    _template(
        "nepsy-ryhma",
        "targeted",
        "life_skills",
        "neuro",
        120,
        6,
        ("neuro",),
        ("Nepsy-ryhmä", "Neuropsykiatrisk grupp", "Neurodiversity (nepsy) group"),
    ),
    _template(
        "elamantaidot",
        "process",
        "life_skills",
        "all",
        180,
        8,
        (),
        ("Elämäntaitoryhmä", "Livskunskapsgrupp", "Life-skills group"),
    ),
    _template(
        "pop-up",
        "popup",
        "community",
        "all",
        120,
        10,
        ("popup",),
        ("Matalan kynnyksen pop-up-ryhmä", "Lågtröskel pop up-grupp", "Low-threshold pop-up group"),
    ),
    _template(
        "etapeliryhma",
        "theme",
        "games",
        "all",
        120,
        8,
        ("digital",),
        ("Etäpeliryhmä", "Spelgrupp på distans", "Remote games group"),
        "remote",
    ),
    _template(
        "etahyvinvointi",
        "theme",
        "wellbeing",
        "all",
        120,
        8,
        (),
        ("Hyvinvointiryhmä etänä", "Välmåendegrupp på distans", "Remote wellbeing group"),
        "remote",
    ),
)

PROCESS_SESSIONS: dict[str, int] = {"elamani-kuvat": 10, "elamantaidot": 8}
"""The process groups' own terms in weeks (the handbook: a process group runs for a set term), with group kinds."""

HYBRID_TEMPLATES: tuple[dict[str, Any], ...] = (
    _template(
        "keskusteluryhma-hybridi",
        "theme",
        "wellbeing",
        "all",
        120,
        10,
        (),
        (
            "Keskusteluryhmä paikan päällä ja etänä",
            "Samtalsgrupp på plats och på distans",
            "Discussion group, in the room or from home",
        ),
        "hybrid",
    ),
)
"""Models run as hybrid groups (a room for those present, a link for those at home), with group kinds."""

PEER_ROLE = "role:experience_expert"
"""Staff of this role are peer instructors (experts by experience) when the scenario has group kinds."""
