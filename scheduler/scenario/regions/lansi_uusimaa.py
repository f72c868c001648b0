"""Western Uusimaa (Länsi-Uusimaa – Västra Nyland): the built-in default region.

Ten municipalities west of Helsinki, from the city of Espoo to the bilingual coast of
Raasepori and Hanko. Centres, 2023 populations and Swedish-speaking shares are the table
in docs/design.md (Statistics Finland, population structure 2023); the foreign-language
shares and the share of clients who drive are approximations for the client mix. Hubs are
real kinds of places (sote-centres, libraries, resident houses) near each centre with
real-ish addresses. Character: a mixed county, a big city beside small towns, Swedish in
the west; rooms and staff plentiful (one staff member per ten clients, 60 % qualified).
This module's numbers must not change: the default scenario is compared byte for byte
(tests/scenario/test_default_region_unchanged.py).
"""

from __future__ import annotations

from scheduler.scenario.region import HubSite, Municipality, Region, Settlement

__all__ = ["HUBS", "MUNICIPALITIES", "REGION"]

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
        0.2,  # a fifth of the Swedish-speaking staff speak no Finnish
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


REGION = Region(name="lansi-uusimaa", display="Länsi-Uusimaa", municipalities=MUNICIPALITIES, hubs=HUBS)
