"""Pohjanmaa – Österbotten (the Ostrobothnian coast): a Swedish-majority bilingual region.

The twelve coastal municipalities of the Ostrobothnia wellbeing services county (Österbottens
välfärdsområde), from Kristinestad in the south to Kronoby in the north; the two Finnish
inland municipalities of the county (Laihia, Isokyrö) are left out, so the region is the
Swedish-speaking coast around Vaasa. Municipalities carry their majority language's name
(Vaasa/Vasa, Korsholm/Mustasaari, Närpes/Närpiö, Kristinestad/Kristiinankaupunki,
Jakobstad/Pietarsaari, Nykarleby/Uusikaarlepyy, Kronoby/Kruunupyy, Malax/Maalahti,
Vörå/Vöyri, Larsmo/Luoto; Pedersöre and Korsnäs in both).
Facts: centres from the National Land Survey's place names (rounded to about a kilometre);
populations are end-2023 figures of Statistics Finland rounded to the hundred; Swedish-
speaking shares from the same statistics, rounded (Vaasa 22 %, Jakobstad 54 %, Kristinestad
57 %, Korsholm 68 %, Närpes 76 %, Kronoby 79 %, Vörå 81 %, Malax 84 %, Korsnäs 84 %,
Nykarleby 88 %, Pedersöre 89 %, Larsmo 91 %): about 52 % of the people are Swedish-
speaking. Närpes and Korsnäs have Finland's highest foreign-language shares outside the
capital (greenhouse and fur-farm work, about 14 % and 9 %). Assumptions: the car share of
clients (35-45 % in Vaasa and Jakobstad, 55-75 % in the countryside), the settlements'
weights, and that some of the Swedish-speaking staff in the most Swedish municipalities
speak no Finnish. Hubs are the real kinds of places (health stations, libraries, a
resident house in Vaasa and Jakobstad), named in the majority language; addresses are
plausible, not checked one by one.

Character: Swedish the majority in eleven of the twelve municipalities, staff languages to
match (most speak Swedish, some only Swedish), group models in Swedish and Finnish.
"""

from __future__ import annotations

from scheduler.scenario.region import HubSite, Municipality, Region, Settlement

__all__ = ["REGION"]

MUNICIPALITIES: tuple[Municipality, ...] = (
    Municipality(
        "Vaasa",
        63.096,
        21.616,
        68_200,
        0.22,
        0.11,
        0.35,
        (
            Settlement(63.096, 21.616, 0.72, 2.5),  # keskusta – centrum, Palosaari
            Settlement(63.125, 21.560, 0.10, 2.0),  # Gerby, Västervik
            Settlement(63.020, 21.600, 0.06, 2.0),  # Sundom
            Settlement(63.050, 22.130, 0.12, 4.0),  # Vähäkyrö
        ),
    ),
    Municipality(
        "Korsholm",
        63.106,
        21.690,
        19_600,
        0.68,
        0.04,
        0.55,
        (
            Settlement(63.106, 21.690, 0.45, 2.0),  # Smedsby
            Settlement(63.165, 21.830, 0.15, 3.0),  # Kvevlax
            Settlement(63.230, 21.420, 0.10, 3.0),  # Replot
            Settlement(63.000, 21.700, 0.15, 3.0),  # Solf
            Settlement(63.150, 21.750, 0.15, 6.0),  # landsbygd
        ),
        0.1,
    ),
    Municipality(
        "Närpes",
        62.474,
        21.337,
        9_800,
        0.76,
        0.14,
        0.70,
        (
            Settlement(62.474, 21.337, 0.70, 3.0),  # centrum
            Settlement(62.600, 21.470, 0.15, 3.0),  # Övermark
            Settlement(62.700, 21.630, 0.15, 3.0),  # Pörtom
        ),
        0.15,
    ),
    Municipality(
        "Kristinestad",
        62.274,
        21.378,
        6_300,
        0.57,
        0.05,
        0.70,
        (
            Settlement(62.274, 21.378, 0.60, 2.0),  # centrum
            Settlement(62.250, 21.530, 0.20, 3.0),  # Lappfjärd
            Settlement(62.200, 21.450, 0.20, 7.0),  # landsbygd
        ),
    ),
    Municipality("Korsnäs", 62.784, 21.190, 2_200, 0.84, 0.09, 0.75, (Settlement(62.784, 21.190, 1.0, 5.0),), 0.15),
    Municipality(
        "Malax",
        62.943,
        21.553,
        5_500,
        0.84,
        0.04,
        0.70,
        (Settlement(62.943, 21.553, 0.70, 3.0), Settlement(62.840, 21.410, 0.30, 3.0)),  # Malax, Petalax
        0.15,
    ),
    Municipality(
        "Vörå",
        63.151,
        22.248,
        6_500,
        0.81,
        0.03,
        0.70,
        (
            Settlement(63.151, 22.248, 0.60, 3.0),  # Vörå
            Settlement(63.300, 22.370, 0.25, 3.0),  # Oravais
            Settlement(63.230, 22.080, 0.15, 3.0),  # Maxmo
        ),
        0.15,
    ),
    Municipality(
        "Nykarleby",
        63.522,
        22.530,
        7_600,
        0.88,
        0.03,
        0.65,
        (
            Settlement(63.522, 22.530, 0.60, 2.5),  # centrum
            Settlement(63.400, 22.620, 0.20, 3.0),  # Jeppo
            Settlement(63.450, 22.380, 0.20, 3.0),  # Munsala
        ),
        0.2,
    ),
    Municipality(
        "Jakobstad",
        63.675,
        22.703,
        19_000,
        0.54,
        0.08,
        0.45,
        (Settlement(63.675, 22.703, 1.0, 2.5),),
        0.1,
    ),
    Municipality(
        "Pedersöre",
        63.627,
        22.793,
        11_300,
        0.89,
        0.02,
        0.70,
        (
            Settlement(63.627, 22.793, 0.40, 2.0),  # Bennäs
            Settlement(63.575, 22.780, 0.25, 2.0),  # Kållby
            Settlement(63.525, 23.060, 0.20, 3.0),  # Esse
            Settlement(63.470, 22.960, 0.15, 3.0),  # Purmo
        ),
        0.2,
    ),
    Municipality("Larsmo", 63.755, 22.775, 5_600, 0.91, 0.02, 0.65, (Settlement(63.755, 22.775, 1.0, 3.5),), 0.2),
    Municipality(
        "Kronoby",
        63.727,
        23.032,
        6_500,
        0.79,
        0.04,
        0.70,
        (
            Settlement(63.727, 23.032, 0.50, 3.0),  # Kronoby
            Settlement(63.553, 23.463, 0.30, 3.0),  # Terjärv
            Settlement(63.650, 23.250, 0.20, 3.0),  # Nedervetil
        ),
        0.15,
    ),
)

HUBS: tuple[HubSite, ...] = (
    HubSite(
        "vaasa-sote",
        "Vaasa",
        "sote",
        63.0960,
        21.6180,
        "Vaasan pääterveysasema – Vasa huvudhälsostation",
        "Hietalahdenkatu 2-4, 65130 Vaasa",
    ),
    HubSite(
        "vaasa-kirjasto",
        "Vaasa",
        "kirjasto",
        63.0970,
        21.6130,
        "Vaasan kaupunginkirjasto – Vasa stadsbibliotek",
        "Kirjastonkatu 13, 65100 Vaasa",
    ),
    HubSite(
        "vaasa-ristinummi-asukastalo",
        "Vaasa",
        "asukastalo",
        63.0800,
        21.6500,
        "Ristinummen asukastupa – Korsmalms invånarstuga",
        "Ristinummentie 8, 65320 Vaasa",
    ),
    HubSite(
        "vaasa-palosaari-kirjasto",
        "Vaasa",
        "kirjasto",
        63.1100,
        21.5900,
        "Palosaaren kirjasto – Sandviks bibliotek",
        "Palosaarentie 54, 65200 Vaasa",
    ),
    HubSite(
        "vaasa-vahakyro-sote",
        "Vaasa",
        "sote",
        63.0500,
        22.1300,
        "Vähänkyrön terveysasema",
        "Tervajoentie 2, 66500 Vähäkyrö",
    ),
    HubSite(
        "korsholm-sote",
        "Korsholm",
        "sote",
        63.1060,
        21.6920,
        "Korsholms hälsostation – Mustasaaren terveysasema",
        "Korsholmsesplanaden 44, 65610 Korsholm",
        True,
    ),
    HubSite(
        "korsholm-kirjasto",
        "Korsholm",
        "kirjasto",
        63.1070,
        21.6880,
        "Korsholms huvudbibliotek",
        "Skolvägen 1, 65610 Korsholm",
        True,
    ),
    HubSite(
        "korsholm-kvevlax-kirjasto",
        "Korsholm",
        "kirjasto",
        63.1650,
        21.8300,
        "Kvevlax bibliotek",
        "Kvevlaxvägen 1030, 66530 Kvevlax",
        True,
    ),
    HubSite(
        "narpes-sote", "Närpes", "sote", 62.4740, 21.3360, "Närpes hälsocentral", "Kyrkvägen 6, 64200 Närpes", True
    ),
    HubSite(
        "narpes-kirjasto",
        "Närpes",
        "kirjasto",
        62.4750,
        21.3400,
        "Närpes stadsbibliotek",
        "Närpesvägen 5, 64200 Närpes",
        True,
    ),
    HubSite(
        "kristinestad-sote",
        "Kristinestad",
        "sote",
        62.2740,
        21.3800,
        "Kristinestads hälsocentral",
        "Västra Långgatan 1, 64100 Kristinestad",
        True,
    ),
    HubSite(
        "kristinestad-kirjasto",
        "Kristinestad",
        "kirjasto",
        62.2730,
        21.3750,
        "Kristinestads stadsbibliotek",
        "Rådhusgatan 1, 64100 Kristinestad",
        True,
    ),
    HubSite(
        "korsnas-sote",
        "Korsnäs",
        "sote",
        62.7840,
        21.1900,
        "Korsnäs hälsostation",
        "Korsnäsvägen 100, 66200 Korsnäs",
        True,
    ),
    HubSite(
        "korsnas-kirjasto",
        "Korsnäs",
        "kirjasto",
        62.7850,
        21.1930,
        "Korsnäs bibliotek",
        "Centrumvägen 5, 66200 Korsnäs",
        True,
    ),
    HubSite(
        "malax-sote", "Malax", "sote", 62.9430, 21.5500, "Malax hälsostation", "Övermalaxvägen 10, 66100 Malax", True
    ),
    HubSite(
        "malax-kirjasto",
        "Malax",
        "kirjasto",
        62.9420,
        21.5560,
        "Malax bibliotek",
        "Tegelbruksvägen 1, 66100 Malax",
        True,
    ),
    HubSite("vora-sote", "Vörå", "sote", 63.1510, 22.2500, "Vörå hälsostation", "Vöråvägen 5, 66600 Vörå", True),
    HubSite("vora-kirjasto", "Vörå", "kirjasto", 63.1500, 22.2450, "Vörå bibliotek", "Kyrkvägen 4, 66600 Vörå", True),
    HubSite(
        "vora-oravais-kirjasto",
        "Vörå",
        "kirjasto",
        63.3000,
        22.3700,
        "Oravais bibliotek",
        "Oravaisvägen 18, 66800 Oravais",
        True,
    ),
    HubSite(
        "nykarleby-sote",
        "Nykarleby",
        "sote",
        63.5220,
        22.5300,
        "Nykarleby hälsocentral",
        "Kristinagatan 4, 66900 Nykarleby",
        True,
    ),
    HubSite(
        "nykarleby-kirjasto",
        "Nykarleby",
        "kirjasto",
        63.5230,
        22.5270,
        "Nykarleby stadsbibliotek",
        "Topeliusesplanaden 7, 66900 Nykarleby",
        True,
    ),
    HubSite(
        "jakobstad-sote",
        "Jakobstad",
        "sote",
        63.6720,
        22.7000,
        "Jakobstads hälsostation – Pietarsaaren terveysasema",
        "Sjukhusgatan 3, 68600 Jakobstad",
        True,
    ),
    HubSite(
        "jakobstad-kirjasto",
        "Jakobstad",
        "kirjasto",
        63.6750,
        22.7050,
        "Jakobstads stadsbibliotek – Pietarsaaren kaupunginkirjasto",
        "Storgatan 6, 68600 Jakobstad",
        True,
    ),
    HubSite(
        "jakobstad-skutnas-asukastalo",
        "Jakobstad",
        "asukastalo",
        63.6800,
        22.7250,
        "Invånarstugan i Skutnäs",
        "Skutnäsgatan 12, 68620 Jakobstad",
        True,
    ),
    HubSite(
        "pedersore-sote",
        "Pedersöre",
        "sote",
        63.6270,
        22.7900,
        "Pedersöre hälsostation",
        "Bennäsvägen 20, 68820 Bennäs",
        True,
    ),
    HubSite(
        "pedersore-kirjasto",
        "Pedersöre",
        "kirjasto",
        63.6260,
        22.7950,
        "Pedersöre huvudbibliotek",
        "Sursikvägen 6, 68820 Bennäs",
        True,
    ),
    HubSite(
        "pedersore-esse-kirjasto",
        "Pedersöre",
        "kirjasto",
        63.5250,
        23.0600,
        "Esse bibliotek",
        "Essevägen 552, 68880 Esse",
        True,
    ),
    HubSite(
        "larsmo-sote", "Larsmo", "sote", 63.7550, 22.7750, "Larsmo hälsostation", "Bäckvägen 2, 68570 Larsmo", True
    ),
    HubSite(
        "larsmo-kirjasto", "Larsmo", "kirjasto", 63.7560, 22.7780, "Larsmo bibliotek", "Kyrkvägen 2, 68570 Larsmo", True
    ),
    HubSite(
        "kronoby-sote", "Kronoby", "sote", 63.7270, 23.0320, "Kronoby hälsostation", "Hälsovägen 1, 68500 Kronoby", True
    ),
    HubSite(
        "kronoby-kirjasto",
        "Kronoby",
        "kirjasto",
        63.7280,
        23.0350,
        "Kronoby huvudbibliotek",
        "Kyrkostrandvägen 16, 68500 Kronoby",
        True,
    ),
    HubSite(
        "kronoby-terjarv-kirjasto",
        "Kronoby",
        "kirjasto",
        63.5530,
        23.4630,
        "Terjärv bibliotek",
        "Terjärvvägen 10, 68700 Terjärv",
        True,
    ),
)

REGION = Region(
    name="pohjanmaa",
    display="Pohjanmaa – Österbotten",
    municipalities=MUNICIPALITIES,
    hubs=HUBS,
    car_minutes=(20, 51, 5),
    transit_minutes=(30, 76, 5),
    template_languages=("sv", "fi"),
)
