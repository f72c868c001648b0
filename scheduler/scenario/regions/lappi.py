"""Lappi (Lapland): a sparse northern region of long drives and few staff.

Fourteen municipalities of the Lapland wellbeing services county, from Rovaniemi to
Utsjoki. Facts: municipal centres from the National Land Survey's place names (rounded to
about a kilometre); populations are end-2023 figures of Statistics Finland rounded to the
hundred (Rovaniemi 65 300 … Pelkosenniemi 950); Swedish speakers about 0.3 % everywhere.
Assumptions: foreign-language shares (2-6 %, highest in the tourism centres Kittilä and
Inari), the car share of clients (60 % in Rovaniemi, 80-85 % elsewhere: buses run a few
times a day) and the settlements' weights are estimates. Sámi speakers (Utsjoki, Inari,
Enontekiö) are modelled as Finnish speakers who cope in Finnish: the group models run in
Finnish and Swedish only. Hubs are the real kinds of places in each centre (the health
centre or sote-centre, the municipal library, a village house in a tourism village);
addresses are plausible, not checked one by one.

Character: hubs 60-200 km apart (Rovaniemi-Sodankylä 100 km, Sodankylä-Ivalo 140 km, by
the contract's formula 2-3 hours by car), so a leader works in their own municipality
only; one staff member per 14 clients; most clients drive and accept 30-90 minutes.
"""

from __future__ import annotations

from scheduler.scenario.region import HubSite, Municipality, Region, Settlement

__all__ = ["REGION"]

SWEDISH = 0.003

MUNICIPALITIES: tuple[Municipality, ...] = (
    Municipality(
        "Rovaniemi",
        66.503,
        25.729,
        65_300,
        SWEDISH,
        0.04,
        0.60,
        (
            Settlement(66.503, 25.729, 0.75, 4.0),  # keskusta, Ounasvaara, Korkalovaara
            Settlement(66.370, 25.360, 0.07, 4.0),  # Muurola
            Settlement(66.600, 25.380, 0.05, 3.0),  # Sinettä
            Settlement(66.550, 26.000, 0.13, 20.0),  # maaseutu
        ),
    ),
    Municipality(
        "Kemijärvi",
        66.713,
        27.431,
        7_200,
        SWEDISH,
        0.02,
        0.80,
        (Settlement(66.713, 27.431, 0.80, 3.0), Settlement(66.750, 27.600, 0.20, 15.0)),
    ),
    Municipality(
        "Sodankylä",
        67.417,
        26.590,
        8_100,
        SWEDISH,
        0.03,
        0.85,
        (
            Settlement(67.417, 26.590, 0.75, 3.0),  # kirkonkylä
            Settlement(68.087, 27.100, 0.08, 3.0),  # Vuotso
            Settlement(67.300, 26.800, 0.17, 20.0),  # maaseutu
        ),
    ),
    Municipality(
        "Kittilä",
        67.653,
        24.911,
        6_700,
        SWEDISH,
        0.06,
        0.80,
        (
            Settlement(67.653, 24.911, 0.55, 3.0),  # kirkonkylä
            Settlement(67.803, 24.808, 0.30, 3.0),  # Sirkka (Levi)
            Settlement(67.600, 25.200, 0.15, 15.0),  # maaseutu
        ),
    ),
    Municipality(
        "Inari",
        68.657,
        27.539,
        7_100,
        SWEDISH,
        0.04,
        0.80,
        (
            Settlement(68.657, 27.539, 0.55, 3.0),  # Ivalo
            Settlement(68.906, 27.027, 0.15, 3.0),  # Inarin kirkonkylä
            Settlement(68.418, 27.417, 0.10, 2.0),  # Saariselkä
            Settlement(68.800, 27.800, 0.20, 20.0),  # maaseutu
        ),
    ),
    Municipality(
        "Salla",
        66.832,
        28.668,
        3_200,
        SWEDISH,
        0.02,
        0.85,
        (Settlement(66.832, 28.668, 0.70, 3.0), Settlement(66.900, 28.900, 0.30, 15.0)),
    ),
    Municipality(
        "Posio",
        66.109,
        28.168,
        2_900,
        SWEDISH,
        0.02,
        0.85,
        (Settlement(66.109, 28.168, 0.75, 3.0), Settlement(66.100, 28.000, 0.25, 15.0)),
    ),
    Municipality(
        "Ranua",
        65.927,
        26.518,
        3_600,
        SWEDISH,
        0.02,
        0.85,
        (Settlement(65.927, 26.518, 0.75, 3.0), Settlement(65.950, 26.700, 0.25, 15.0)),
    ),
    Municipality("Pelkosenniemi", 67.110, 27.510, 950, SWEDISH, 0.02, 0.85, (Settlement(67.110, 27.510, 1.0, 6.0),)),
    Municipality("Savukoski", 67.292, 28.163, 1_000, SWEDISH, 0.02, 0.85, (Settlement(67.292, 28.163, 1.0, 6.0),)),
    Municipality(
        "Kolari",
        67.331,
        23.790,
        3_900,
        SWEDISH,
        0.03,
        0.85,
        (
            Settlement(67.331, 23.790, 0.60, 3.0),  # kirkonkylä
            Settlement(67.604, 24.152, 0.25, 2.0),  # Äkäslompolo (Ylläs)
            Settlement(67.400, 23.900, 0.15, 12.0),  # maaseutu
        ),
    ),
    Municipality(
        "Muonio",
        67.958,
        23.680,
        2_400,
        SWEDISH,
        0.03,
        0.85,
        (Settlement(67.958, 23.680, 0.80, 3.0), Settlement(67.900, 23.750, 0.20, 12.0)),
    ),
    Municipality(
        "Enontekiö",
        68.385,
        23.635,
        1_850,
        SWEDISH,
        0.03,
        0.85,
        (
            Settlement(68.385, 23.635, 0.65, 3.0),  # Hetta
            Settlement(68.450, 22.490, 0.25, 3.0),  # Karesuvanto
            Settlement(69.046, 20.800, 0.10, 2.0),  # Kilpisjärvi
        ),
    ),
    Municipality(
        "Utsjoki",
        69.908,
        27.027,
        1_200,
        SWEDISH,
        0.02,
        0.85,
        (Settlement(69.908, 27.027, 0.60, 3.0), Settlement(69.399, 25.843, 0.40, 3.0)),  # Utsjoki, Karigasniemi
    ),
)

HUBS: tuple[HubSite, ...] = (
    HubSite(
        "rovaniemi-sote",
        "Rovaniemi",
        "sote",
        66.4940,
        25.7200,
        "Rovaniemen sote-keskus",
        "Sairaalakatu 1, 96100 Rovaniemi",
    ),
    HubSite(
        "rovaniemi-kirjasto",
        "Rovaniemi",
        "kirjasto",
        66.5010,
        25.7250,
        "Rovaniemen pääkirjasto",
        "Jorma Eton tie 6, 96100 Rovaniemi",
    ),
    HubSite(
        "rovaniemi-korkalovaara-asukastalo",
        "Rovaniemi",
        "asukastalo",
        66.4880,
        25.7600,
        "Korkalovaaran asukastupa",
        "Pitkäkatu 5, 96400 Rovaniemi",
    ),
    HubSite(
        "kemijarvi-sote",
        "Kemijärvi",
        "sote",
        66.7150,
        27.4250,
        "Kemijärven sote-keskus",
        "Sairaalankatu 10, 98100 Kemijärvi",
    ),
    HubSite(
        "kemijarvi-kirjasto",
        "Kemijärvi",
        "kirjasto",
        66.7135,
        27.4300,
        "Kemijärven kaupunginkirjasto",
        "Hallituskatu 4, 98100 Kemijärvi",
    ),
    HubSite(
        "sodankyla-sote",
        "Sodankylä",
        "sote",
        67.4150,
        26.6000,
        "Sodankylän sote-keskus",
        "Sairaalantie 1, 99600 Sodankylä",
    ),
    HubSite(
        "sodankyla-kirjasto",
        "Sodankylä",
        "kirjasto",
        67.4180,
        26.5870,
        "Sodankylän kunnankirjasto",
        "Jäämerentie 3, 99600 Sodankylä",
    ),
    HubSite(
        "kittila-sote", "Kittilä", "sote", 67.6550, 24.9050, "Kittilän terveyskeskus", "Tunturitie 10, 99100 Kittilä"
    ),
    HubSite(
        "kittila-kirjasto",
        "Kittilä",
        "kirjasto",
        67.6530,
        24.9120,
        "Kittilän kunnankirjasto",
        "Valtatie 15, 99100 Kittilä",
    ),
    HubSite(
        "kittila-sirkka-asukastalo",
        "Kittilä",
        "asukastalo",
        67.8000,
        24.8100,
        "Sirkan kylätalo",
        "Sirkantie 15, 99130 Sirkka",
    ),
    HubSite(
        "inari-ivalo-sote", "Inari", "sote", 68.6600, 27.5450, "Ivalon terveyskeskus", "Sairaalatie 2, 99800 Ivalo"
    ),
    HubSite(
        "inari-ivalo-kirjasto", "Inari", "kirjasto", 68.6570, 27.5430, "Ivalon kirjasto", "Piiskuntie 5, 99800 Ivalo"
    ),
    HubSite(
        "inari-kirkonkyla-kirjasto", "Inari", "kirjasto", 68.9050, 27.0300, "Inarin kirjasto", "Sajostie 1, 99870 Inari"
    ),
    HubSite("salla-sote", "Salla", "sote", 66.8330, 28.6600, "Sallan terveyskeskus", "Sairaalantie 4, 98900 Salla"),
    HubSite(
        "salla-kirjasto", "Salla", "kirjasto", 66.8320, 28.6700, "Sallan kunnankirjasto", "Myllytie 2, 98900 Salla"
    ),
    HubSite("posio-sote", "Posio", "sote", 66.1080, 28.1600, "Posion terveyskeskus", "Sairaalantie 2, 97900 Posio"),
    HubSite("posio-kirjasto", "Posio", "kirjasto", 66.1100, 28.1700, "Posion kirjasto", "Kuusamontie 2, 97900 Posio"),
    HubSite("ranua-sote", "Ranua", "sote", 65.9280, 26.5120, "Ranuan terveyskeskus", "Keskustie 14, 97700 Ranua"),
    HubSite("ranua-kirjasto", "Ranua", "kirjasto", 65.9270, 26.5200, "Ranuan kirjasto", "Keskustie 13, 97700 Ranua"),
    HubSite(
        "pelkosenniemi-sote",
        "Pelkosenniemi",
        "sote",
        67.1100,
        27.5120,
        "Pelkosenniemen terveysasema",
        "Sodankyläntie 1, 98500 Pelkosenniemi",
    ),
    HubSite(
        "pelkosenniemi-kirjasto",
        "Pelkosenniemi",
        "kirjasto",
        67.1110,
        27.5050,
        "Pelkosenniemen kirjasto",
        "Kemijärventie 2, 98500 Pelkosenniemi",
    ),
    HubSite(
        "savukoski-sote",
        "Savukoski",
        "sote",
        67.2920,
        28.1600,
        "Savukosken terveysasema",
        "Kuntatie 4, 98800 Savukoski",
    ),
    HubSite(
        "savukoski-kirjasto",
        "Savukoski",
        "kirjasto",
        67.2930,
        28.1650,
        "Savukosken kirjasto",
        "Kuntatie 2, 98800 Savukoski",
    ),
    HubSite("kolari-sote", "Kolari", "sote", 67.3300, 23.7850, "Kolarin terveyskeskus", "Sairaalantie 1, 95900 Kolari"),
    HubSite(
        "kolari-kirjasto", "Kolari", "kirjasto", 67.3320, 23.7920, "Kolarin kirjasto", "Kolarintie 17, 95900 Kolari"
    ),
    HubSite(
        "kolari-akaslompolo-asukastalo",
        "Kolari",
        "asukastalo",
        67.6040,
        24.1520,
        "Äkäslompolon kylätalo",
        "Äkäslompolontie 21, 95970 Äkäslompolo",
    ),
    HubSite("muonio-sote", "Muonio", "sote", 67.9550, 23.6800, "Muonion terveyskeskus", "Sairaalantie 2, 99300 Muonio"),
    HubSite("muonio-kirjasto", "Muonio", "kirjasto", 67.9580, 23.6780, "Muonion kirjasto", "Puljuntie 3, 99300 Muonio"),
    HubSite(
        "enontekio-hetta-sote",
        "Enontekiö",
        "sote",
        68.3850,
        23.6300,
        "Enontekiön terveyskeskus",
        "Ounastie 4, 99400 Enontekiö",
    ),
    HubSite(
        "enontekio-hetta-kirjasto",
        "Enontekiö",
        "kirjasto",
        68.3840,
        23.6400,
        "Enontekiön kirjasto",
        "Peuratie 15, 99400 Enontekiö",
    ),
    HubSite(
        "utsjoki-sote", "Utsjoki", "sote", 69.9080, 27.0250, "Utsjoen terveyskeskus", "Sairaalantie 5, 99980 Utsjoki"
    ),
    HubSite(
        "utsjoki-kirjasto", "Utsjoki", "kirjasto", 69.9070, 27.0300, "Utsjoen kirjasto", "Ohcejohtie 10, 99980 Utsjoki"
    ),
    HubSite(
        "utsjoki-karigasniemi-asukastalo",
        "Utsjoki",
        "asukastalo",
        69.3990,
        25.8430,
        "Karigasniemen kylätalo",
        "Tenontie 2, 99950 Karigasniemi",
    ),
)

REGION = Region(
    name="lappi",
    display="Lappi",
    municipalities=MUNICIPALITIES,
    hubs=HUBS,
    clients_per_room=20,
    clients_per_staff=14,
    min_staff=14,
    qualified_share=0.55,
    car_minutes=(30, 91, 5),
    transit_minutes=(45, 121, 15),
)
