"""Facts behind the built-in Western Uusimaa scenario (docs/design.md).

The municipalities with their centres, populations and Swedish shares come from
the table in docs/design.md (2023 figures); the foreign-language share and the share of clients who drive
are approximations for the client mix. Hubs are real kinds of places (sote-centres,
libraries, resident houses) near each centre with real-ish addresses; the group
models and the five client target groups follow the county's employment services handbook
for social rehabilitation (TEP, 2024; see docs/design.md, References).
"""

from __future__ import annotations

from typing import Any, NamedTuple

__all__ = [
    "FOREIGN_LANGUAGES",
    "HUBS",
    "MUNICIPALITIES",
    "NAMES",
    "PARTNER_ROLES",
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


class Settlement(NamedTuple):
    """Where a share of a municipality's people live: a point and a spread in km."""

    lat: float
    lon: float
    weight: float
    spread_km: float


class Municipality(NamedTuple):
    name: str
    lat: float
    lon: float
    population: int
    swedish_share: float
    foreign_share: float
    car_share: float
    settlements: tuple[Settlement, ...]


MUNICIPALITIES: tuple[Municipality, ...] = (
    Municipality(
        "Espoo",
        60.206,
        24.656,
        314_000,
        0.06,
        0.18,
        0.28,
        (
            Settlement(60.219, 24.813, 0.24, 2.0),  # Leppävaara
            Settlement(60.176, 24.800, 0.14, 2.0),  # Tapiola
            Settlement(60.158, 24.735, 0.17, 2.0),  # Matinkylä-Olari
            Settlement(60.150, 24.650, 0.18, 2.5),  # Espoonlahti
            Settlement(60.206, 24.656, 0.19, 2.5),  # Espoon keskus
            Settlement(60.285, 24.680, 0.08, 4.0),  # Pohjois-Espoo
        ),
    ),
    Municipality("Kauniainen", 60.211, 24.729, 10_300, 0.31, 0.08, 0.35, (Settlement(60.211, 24.729, 1.0, 1.0),)),
    Municipality(
        "Kirkkonummi",
        60.124,
        24.439,
        41_000,
        0.15,
        0.10,
        0.40,
        (
            Settlement(60.124, 24.439, 0.50, 3.0),  # keskusta
            Settlement(60.153, 24.532, 0.20, 2.0),  # Masala
            Settlement(60.271, 24.458, 0.15, 2.0),  # Veikkola
            Settlement(60.100, 24.350, 0.15, 8.0),  # maaseutu
        ),
    ),
    Municipality("Siuntio", 60.138, 24.227, 6_100, 0.25, 0.06, 0.55, (Settlement(60.138, 24.227, 1.0, 4.0),)),
    Municipality("Inkoo", 60.046, 24.006, 5_400, 0.52, 0.06, 0.60, (Settlement(60.046, 24.006, 1.0, 5.0),)),
    Municipality(
        "Lohja",
        60.249,
        24.065,
        46_000,
        0.04,
        0.08,
        0.40,
        (
            Settlement(60.249, 24.065, 0.60, 3.0),  # keskusta
            Settlement(60.203, 23.995, 0.15, 2.0),  # Virkkala
            Settlement(60.318, 23.826, 0.08, 4.0),  # Sammatti
            Settlement(60.250, 23.950, 0.17, 9.0),  # maaseutu
        ),
    ),
    Municipality(
        "Vihti",
        60.333,
        24.325,
        29_000,
        0.02,
        0.06,
        0.45,
        (
            Settlement(60.333, 24.325, 0.60, 3.0),  # Nummela
            Settlement(60.417, 24.319, 0.20, 3.0),  # kirkonkylä
            Settlement(60.380, 24.420, 0.20, 8.0),  # maaseutu
        ),
    ),
    Municipality("Karkkila", 60.534, 24.210, 8_600, 0.01, 0.05, 0.50, (Settlement(60.534, 24.210, 1.0, 3.5),)),
    Municipality(
        "Raasepori",
        59.974,
        23.436,
        27_400,
        0.64,
        0.07,
        0.50,
        (
            Settlement(59.974, 23.436, 0.45, 3.0),  # Ekenäs
            Settlement(60.071, 23.662, 0.35, 3.0),  # Karis
            Settlement(60.097, 23.523, 0.10, 3.0),  # Pojo
            Settlement(59.980, 23.300, 0.10, 8.0),  # skärgård och landsbygd
        ),
    ),
    Municipality(
        "Hanko",
        59.824,
        22.968,
        7_900,
        0.42,
        0.06,
        0.40,
        (
            Settlement(59.824, 22.968, 0.85, 2.0),  # Hangö centrum
            Settlement(59.905, 23.230, 0.15, 4.0),  # Lappvik
        ),
    ),
)


class HubSite(NamedTuple):
    """A base meeting place; kind is sote, kirjasto (library) or asukastalo."""

    id: str
    municipality: str
    kind: str
    lat: float
    lon: float
    name: str
    address: str
    swedish: bool = False


HUBS: tuple[HubSite, ...] = (
    HubSite(
        "espoo-keskus-sote",
        "Espoo",
        "sote",
        60.2062,
        24.6585,
        "Espoon keskuksen sote-keskus",
        "Kamreerintie 3, 02770 Espoo",
    ),
    HubSite(
        "espoo-keskus-kirjasto",
        "Espoo",
        "kirjasto",
        60.2050,
        24.6560,
        "Entressen kirjasto",
        "Siltakatu 11, 02770 Espoo",
    ),
    HubSite(
        "espoo-suvela-asukastalo",
        "Espoo",
        "asukastalo",
        60.2120,
        24.6410,
        "Asukastalo Kylämaja",
        "Kirstintie 2, 02760 Espoo",
    ),
    HubSite(
        "espoo-leppavaara-sote",
        "Espoo",
        "sote",
        60.2195,
        24.8145,
        "Leppävaaran sote-keskus",
        "Hatsinanpuisto 8, 02600 Espoo",
    ),
    HubSite(
        "espoo-leppavaara-kirjasto",
        "Espoo",
        "kirjasto",
        60.2178,
        24.8106,
        "Sellon kirjasto",
        "Leppävaarankatu 9, 02600 Espoo",
    ),
    HubSite(
        "espoo-tapiola-kirjasto",
        "Espoo",
        "kirjasto",
        60.1765,
        24.8050,
        "Tapiolan kirjasto",
        "Kulttuuriaukio 2, 02100 Espoo",
    ),
    HubSite(
        "espoo-matinkyla-sote",
        "Espoo",
        "sote",
        60.1608,
        24.7382,
        "Matinkylän sote-keskus",
        "Piispansilta 9, 02230 Espoo",
    ),
    HubSite(
        "espoo-matinkyla-kirjasto",
        "Espoo",
        "kirjasto",
        60.1615,
        24.7378,
        "Ison Omenan kirjasto",
        "Piispansilta 11, 02230 Espoo",
    ),
    HubSite(
        "espoo-espoonlahti-sote",
        "Espoo",
        "sote",
        60.1480,
        24.6580,
        "Espoonlahden sote-keskus",
        "Espoonlahdenkatu 8, 02320 Espoo",
    ),
    HubSite(
        "espoo-espoonlahti-kirjasto",
        "Espoo",
        "kirjasto",
        60.1492,
        24.6552,
        "Lippulaivan kirjasto",
        "Espoonlahdenkatu 4, 02320 Espoo",
    ),
    HubSite(
        "kauniainen-sote",
        "Kauniainen",
        "sote",
        60.2095,
        24.7270,
        "Kauniaisten sote-asema – Grankulla social- och hälsostation",
        "Kauniaistentie 10, 02700 Kauniainen",
    ),
    HubSite(
        "kauniainen-kirjasto",
        "Kauniainen",
        "kirjasto",
        60.2118,
        24.7300,
        "Kauniaisten kirjasto – Grankulla bibliotek",
        "Thurmaninpuistotie 2, 02700 Kauniainen",
    ),
    HubSite(
        "kirkkonummi-sote",
        "Kirkkonummi",
        "sote",
        60.1255,
        24.4470,
        "Kirkkonummen sote-keskus",
        "Gesterbyntie 36, 02400 Kirkkonummi",
    ),
    HubSite(
        "kirkkonummi-kirjasto",
        "Kirkkonummi",
        "kirjasto",
        60.1228,
        24.4385,
        "Kirkkonummen pääkirjasto Fyyri",
        "Ratakuja 3, 02400 Kirkkonummi",
    ),
    HubSite(
        "kirkkonummi-masala-asukastalo",
        "Kirkkonummi",
        "asukastalo",
        60.1530,
        24.5320,
        "Masalan asukastila",
        "Masalantie 2, 02430 Masala",
    ),
    HubSite(
        "kirkkonummi-veikkola-kirjasto",
        "Kirkkonummi",
        "kirjasto",
        60.2705,
        24.4580,
        "Veikkolan kirjasto",
        "Koulukuja 1, 02880 Veikkola",
    ),
    HubSite(
        "siuntio-sote",
        "Siuntio",
        "sote",
        60.1385,
        24.2260,
        "Siuntion sote-asema – Sjundeå social- och hälsostation",
        "Asematie 9, 02580 Siuntio",
    ),
    HubSite(
        "siuntio-kirjasto",
        "Siuntio",
        "kirjasto",
        60.1372,
        24.2290,
        "Siuntion kirjasto – Sjundeå bibliotek",
        "Kirkkotie 6, 02580 Siuntio",
    ),
    HubSite(
        "inkoo-sote",
        "Inkoo",
        "sote",
        60.0460,
        24.0060,
        "Ingå hälsostation – Inkoon terveysasema",
        "Kyrkvägen 2, 10210 Ingå",
        True,
    ),
    HubSite(
        "inkoo-kirjasto",
        "Inkoo",
        "kirjasto",
        60.0452,
        24.0075,
        "Ingå bibliotek – Inkoon kirjasto",
        "Strandvägen 1, 10210 Ingå",
        True,
    ),
    HubSite("lohja-sote", "Lohja", "sote", 60.2486, 24.0652, "Lohjan sote-keskus", "Sairaalatie 8, 08200 Lohja"),
    HubSite("lohja-kirjasto", "Lohja", "kirjasto", 60.2510, 24.0690, "Lohjan pääkirjasto", "Karstuntie 3, 08100 Lohja"),
    HubSite(
        "lohja-virkkala-asukastalo",
        "Lohja",
        "asukastalo",
        60.2030,
        23.9950,
        "Virkkalan asukastalo",
        "Virkkalantie 30, 08700 Lohja",
    ),
    HubSite(
        "lohja-sammatti-kirjasto",
        "Lohja",
        "kirjasto",
        60.3185,
        23.8270,
        "Sammatin kirjasto",
        "Lohjantie 1, 09220 Sammatti",
    ),
    HubSite(
        "vihti-nummela-sote",
        "Vihti",
        "sote",
        60.3340,
        24.3225,
        "Nummelan sote-keskus",
        "Ojakkalantie 13, 03100 Nummela",
    ),
    HubSite(
        "vihti-nummela-kirjasto",
        "Vihti",
        "kirjasto",
        60.3326,
        24.3254,
        "Nummelan kirjasto",
        "Tuusantie 1, 03100 Nummela",
    ),
    HubSite(
        "vihti-kirkonkyla-kirjasto",
        "Vihti",
        "kirjasto",
        60.4165,
        24.3190,
        "Vihdin kirjasto",
        "Kirkkoraitti 4, 03400 Vihti",
    ),
    HubSite(
        "karkkila-sote", "Karkkila", "sote", 60.5330, 24.2140, "Karkkilan sote-asema", "Huhdintie 10, 03600 Karkkila"
    ),
    HubSite(
        "karkkila-kirjasto",
        "Karkkila",
        "kirjasto",
        60.5355,
        24.2085,
        "Karkkilan kirjasto",
        "Valtatie 21, 03600 Karkkila",
    ),
    HubSite(
        "raasepori-tammisaari-sote",
        "Raasepori",
        "sote",
        59.9760,
        23.4330,
        "Ekenäs social- och hälsocentral",
        "Norra Strandgatan 1, 10600 Ekenäs",
        True,
    ),
    HubSite(
        "raasepori-tammisaari-kirjasto",
        "Raasepori",
        "kirjasto",
        59.9735,
        23.4380,
        "Ekenäs bibliotek",
        "Gustav Wasas gata 2, 10600 Ekenäs",
        True,
    ),
    HubSite(
        "raasepori-karjaa-sote",
        "Raasepori",
        "sote",
        60.0720,
        23.6600,
        "Karis social- och hälsocentral",
        "Köpmansgatan 10, 10300 Karis",
        True,
    ),
    HubSite(
        "raasepori-karjaa-kirjasto",
        "Raasepori",
        "kirjasto",
        60.0705,
        23.6635,
        "Karis bibliotek",
        "Torggatan 3, 10300 Karis",
        True,
    ),
    HubSite(
        "hanko-sote",
        "Hanko",
        "sote",
        59.8250,
        22.9700,
        "Hangö social- och hälsocentral",
        "Esplanaden 64, 10900 Hangö",
        True,
    ),
    HubSite(
        "hanko-kirjasto",
        "Hanko",
        "kirjasto",
        59.8235,
        22.9650,
        "Hangö stadsbibliotek",
        "Berggatan 3, 10900 Hangö",
        True,
    ),
)

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
