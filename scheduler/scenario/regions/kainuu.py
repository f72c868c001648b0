"""Kainuu: a region where leaders, not rooms, are scarce.

The eight municipalities of the Kainuu wellbeing services county. Facts: centres from the
National Land Survey's place names (rounded to about a kilometre); populations are end-2023
figures of Statistics Finland rounded to the hundred (Kajaani 36 600, Sotkamo 10 300,
Kuhmo 8 000, Suomussalmi 7 500, Paltamo 3 200, Puolanka 2 500, Hyrynsalmi 2 100,
Ristijärvi 1 200); Swedish speakers about 0.2 %. Assumptions: foreign-language shares
(1.5-3.5 %), the car share of clients (45 % in Kajaani, 55-80 % elsewhere) and the
settlements' weights are estimates; so is the staffing: the region has room to spare
(health stations, libraries, village and resident houses emptied as the population
shrank: about one room per 12 waiting clients) but about one social rehabilitation staff
member per 22 clients, only 40 % of them qualified to lead alone, and of those about a
third part-time (two or three days a week). Hubs are the real kinds of places in each
centre; addresses are plausible, not checked one by one.

Character: plenty of rooms and few leaders; a leader's hours, not a room, decide how many
groups run. Distances between the centres are 30-110 km.
"""

from __future__ import annotations

from scheduler.scenario.region import HubSite, Municipality, Region, Settlement

__all__ = ["REGION"]

SWEDISH = 0.002

MUNICIPALITIES: tuple[Municipality, ...] = (
    Municipality(
        "Kajaani",
        64.227,
        27.728,
        36_600,
        SWEDISH,
        0.035,
        0.45,
        (
            Settlement(64.227, 27.728, 0.80, 3.0),  # keskusta, Lehtikangas, Teppana
            Settlement(64.140, 26.980, 0.05, 4.0),  # Vuolijoki
            Settlement(64.250, 27.600, 0.15, 10.0),  # maaseutu
        ),
    ),
    Municipality(
        "Sotkamo",
        64.131,
        28.390,
        10_300,
        SWEDISH,
        0.025,
        0.55,
        (
            Settlement(64.131, 28.390, 0.60, 2.5),  # kirkonkylä
            Settlement(64.140, 28.280, 0.25, 2.0),  # Vuokatti
            Settlement(64.100, 28.500, 0.15, 10.0),  # maaseutu
        ),
    ),
    Municipality(
        "Kuhmo",
        64.126,
        29.519,
        8_000,
        SWEDISH,
        0.03,
        0.65,
        (Settlement(64.126, 29.519, 0.75, 3.0), Settlement(64.100, 29.400, 0.25, 15.0)),
    ),
    Municipality(
        "Suomussalmi",
        64.887,
        28.907,
        7_500,
        SWEDISH,
        0.02,
        0.70,
        (Settlement(64.887, 28.907, 0.70, 3.0), Settlement(64.900, 29.100, 0.30, 18.0)),  # Ämmänsaari
    ),
    Municipality(
        "Paltamo",
        64.405,
        27.833,
        3_200,
        SWEDISH,
        0.015,
        0.75,
        (Settlement(64.405, 27.833, 0.80, 3.0), Settlement(64.450, 27.950, 0.20, 8.0)),
    ),
    Municipality(
        "Hyrynsalmi",
        64.676,
        28.494,
        2_100,
        SWEDISH,
        0.015,
        0.75,
        (Settlement(64.676, 28.494, 0.80, 3.0), Settlement(64.650, 28.600, 0.20, 8.0)),
    ),
    Municipality(
        "Puolanka",
        64.868,
        27.672,
        2_500,
        SWEDISH,
        0.015,
        0.80,
        (Settlement(64.868, 27.672, 0.80, 3.0), Settlement(64.850, 27.500, 0.20, 10.0)),
    ),
    Municipality("Ristijärvi", 64.506, 28.214, 1_200, SWEDISH, 0.015, 0.80, (Settlement(64.506, 28.214, 1.0, 5.0),)),
)

HUBS: tuple[HubSite, ...] = (
    HubSite(
        "kajaani-sote", "Kajaani", "sote", 64.2240, 27.7500, "Kajaanin sote-keskus", "Sotkamontie 13, 87300 Kajaani"
    ),
    HubSite(
        "kajaani-kirjasto",
        "Kajaani",
        "kirjasto",
        64.2260,
        27.7280,
        "Kajaanin kaupunginkirjasto",
        "Kauppakatu 35, 87100 Kajaani",
    ),
    HubSite(
        "kajaani-teppana-asukastalo",
        "Kajaani",
        "asukastalo",
        64.2200,
        27.7150,
        "Teppanan asukastupa",
        "Teppanankatu 6, 87100 Kajaani",
    ),
    HubSite(
        "kajaani-lehtikangas-asukastalo",
        "Kajaani",
        "asukastalo",
        64.2150,
        27.7600,
        "Lehtikankaan asukastalo",
        "Lehtikankaantie 20, 87400 Kajaani",
    ),
    HubSite(
        "kajaani-vuolijoki-kirjasto",
        "Kajaani",
        "kirjasto",
        64.1400,
        26.9800,
        "Vuolijoen kirjasto",
        "Vuolijoentie 22, 88300 Vuolijoki",
    ),
    HubSite("sotkamo-sote", "Sotkamo", "sote", 64.1310, 28.3950, "Sotkamon sote-keskus", "Hiukankatu 3, 88600 Sotkamo"),
    HubSite(
        "sotkamo-kirjasto", "Sotkamo", "kirjasto", 64.1320, 28.3880, "Sotkamon kirjasto", "Kainuuntie 29, 88600 Sotkamo"
    ),
    HubSite(
        "sotkamo-vuokatti-asukastalo",
        "Sotkamo",
        "asukastalo",
        64.1400,
        28.2800,
        "Vuokatin kylätalo",
        "Vuokatintie 40, 88610 Vuokatti",
    ),
    HubSite("kuhmo-sote", "Kuhmo", "sote", 64.1250, 29.5150, "Kuhmon sote-keskus", "Terveystie 1, 88900 Kuhmo"),
    HubSite(
        "kuhmo-kirjasto", "Kuhmo", "kirjasto", 64.1270, 29.5200, "Kuhmon kaupunginkirjasto", "Koulukatu 1, 88900 Kuhmo"
    ),
    HubSite(
        "kuhmo-asukastalo", "Kuhmo", "asukastalo", 64.1240, 29.5250, "Kuhmon asukastupa", "Kainuuntie 85, 88900 Kuhmo"
    ),
    HubSite(
        "suomussalmi-sote",
        "Suomussalmi",
        "sote",
        64.8870,
        28.9000,
        "Suomussalmen sote-keskus",
        "Terveystie 5, 89600 Suomussalmi",
    ),
    HubSite(
        "suomussalmi-kirjasto",
        "Suomussalmi",
        "kirjasto",
        64.8880,
        28.9100,
        "Suomussalmen kirjasto",
        "Kirkkotie 1, 89600 Suomussalmi",
    ),
    HubSite(
        "paltamo-sote", "Paltamo", "sote", 64.4050, 27.8350, "Paltamon terveysasema", "Kajaanintie 17, 88300 Paltamo"
    ),
    HubSite(
        "paltamo-kirjasto", "Paltamo", "kirjasto", 64.4060, 27.8300, "Paltamon kirjasto", "Kirkkotie 2, 88300 Paltamo"
    ),
    HubSite(
        "hyrynsalmi-sote",
        "Hyrynsalmi",
        "sote",
        64.6760,
        28.4950,
        "Hyrynsalmen terveysasema",
        "Kirkkotie 6, 89400 Hyrynsalmi",
    ),
    HubSite(
        "hyrynsalmi-kirjasto",
        "Hyrynsalmi",
        "kirjasto",
        64.6770,
        28.4900,
        "Hyrynsalmen kirjasto",
        "Keskustie 1, 89400 Hyrynsalmi",
    ),
    HubSite(
        "puolanka-sote", "Puolanka", "sote", 64.8680, 27.6700, "Puolangan terveysasema", "Kajaanintie 5, 89200 Puolanka"
    ),
    HubSite(
        "puolanka-kirjasto",
        "Puolanka",
        "kirjasto",
        64.8690,
        27.6750,
        "Puolangan kirjasto",
        "Keskustie 9, 89200 Puolanka",
    ),
    HubSite(
        "ristijarvi-sote",
        "Ristijärvi",
        "sote",
        64.5060,
        28.2150,
        "Ristijärven terveysasema",
        "Kirkkotie 3, 88400 Ristijärvi",
    ),
    HubSite(
        "ristijarvi-kirjasto",
        "Ristijärvi",
        "kirjasto",
        64.5070,
        28.2120,
        "Ristijärven kirjasto",
        "Kirkkotie 1, 88400 Ristijärvi",
    ),
)

REGION = Region(
    name="kainuu",
    display="Kainuu",
    municipalities=MUNICIPALITIES,
    hubs=HUBS,
    clients_per_room=12,
    clients_per_staff=22,
    min_staff=8,
    qualified_share=0.4,
    part_time_share=0.35,
    car_minutes=(25, 61, 5),
    transit_minutes=(40, 91, 5),
)
