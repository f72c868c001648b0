"""Tampereen seutu (the Tampere city region): a dense city region where clients ride transit.

Tampere and seven neighbours of the Tampere city region (Nokia, Ylöjärvi, Kangasala,
Lempäälä, Pirkkala, Orivesi, Vesilahti), in the Pirkanmaa wellbeing services county.
Facts: centres and the districts of Tampere from the National Land Survey's place names
(rounded to about a kilometre); populations are end-2023 figures of Statistics Finland
rounded to the hundred (Tampere 255 100, Nokia 35 600, Ylöjärvi 33 900, Kangasala 33 700,
Lempäälä 24 900, Pirkkala 20 100, Orivesi 8 900, Vesilahti 4 500); Swedish speakers about
0.3-0.5 %. Assumptions: foreign-language shares (Tampere 9.5 %, the rest 2-5 %), the car
share of clients (15 % in Tampere where the tram and the buses run often, 30-60 % in the
neighbours) and the districts' weights are estimates. Hubs are the real kinds of places
in each district (health stations, the main library Metso and the district libraries,
resident houses); addresses are plausible, not checked one by one.

Character: many hubs a few kilometres apart (median hub-to-hub drive about 20-30 minutes by
the contract's formula), most clients by transit with 30-60 minutes, staff and rooms as
in Western Uusimaa (one staff member per ten clients, one room per 25).
"""

from __future__ import annotations

from scheduler.scenario.region import HubSite, Municipality, Region, Settlement

__all__ = ["REGION"]

MUNICIPALITIES: tuple[Municipality, ...] = (
    Municipality(
        "Tampere",
        61.498,
        23.761,
        255_100,
        0.005,
        0.095,
        0.15,
        (
            Settlement(61.498, 23.761, 0.27, 1.5),  # keskusta, Tammela, Amuri
            Settlement(61.450, 23.851, 0.15, 1.5),  # Hervanta
            Settlement(61.497, 23.805, 0.12, 1.2),  # Kaleva
            Settlement(61.498, 23.630, 0.08, 1.2),  # Tesoma
            Settlement(61.516, 23.683, 0.08, 1.2),  # Lielahti
            Settlement(61.509, 23.873, 0.10, 1.5),  # Linnainmaa, Koilliskeskus
            Settlement(61.457, 23.772, 0.09, 1.2),  # Multisilta, Peltolammi
            Settlement(61.630, 23.830, 0.08, 3.0),  # Kämmenniemi, Teisko
        ),
    ),
    Municipality(
        "Nokia",
        61.478,
        23.508,
        35_600,
        0.003,
        0.04,
        0.30,
        (Settlement(61.478, 23.508, 0.80, 2.0), Settlement(61.450, 23.420, 0.20, 5.0)),
    ),
    Municipality(
        "Ylöjärvi",
        61.550,
        23.597,
        33_900,
        0.003,
        0.025,
        0.35,
        (
            Settlement(61.550, 23.597, 0.75, 2.5),  # keskusta, Siivikkala
            Settlement(61.830, 23.270, 0.05, 4.0),  # Viljakkala
            Settlement(61.870, 23.730, 0.05, 4.0),  # Kuru
            Settlement(61.600, 23.520, 0.15, 6.0),  # maaseutu
        ),
    ),
    Municipality(
        "Kangasala",
        61.464,
        24.073,
        33_700,
        0.003,
        0.03,
        0.35,
        (
            Settlement(61.464, 24.073, 0.60, 2.5),  # keskusta
            Settlement(61.510, 23.970, 0.20, 2.0),  # Ruutana, Lentola
            Settlement(61.345, 24.270, 0.08, 3.0),  # Sahalahti
            Settlement(61.520, 24.150, 0.12, 6.0),  # maaseutu
        ),
    ),
    Municipality(
        "Lempäälä",
        61.314,
        23.752,
        24_900,
        0.003,
        0.03,
        0.35,
        (
            Settlement(61.314, 23.752, 0.65, 2.5),  # keskusta
            Settlement(61.370, 23.800, 0.25, 2.0),  # Sääksjärvi
            Settlement(61.280, 23.850, 0.10, 5.0),  # maaseutu
        ),
    ),
    Municipality(
        "Pirkkala",
        61.466,
        23.647,
        20_100,
        0.004,
        0.05,
        0.30,
        (Settlement(61.466, 23.647, 0.85, 1.8), Settlement(61.440, 23.590, 0.15, 3.0)),
    ),
    Municipality(
        "Orivesi",
        61.677,
        24.357,
        8_900,
        0.003,
        0.03,
        0.50,
        (
            Settlement(61.677, 24.357, 0.70, 2.5),  # keskusta
            Settlement(61.580, 24.530, 0.10, 3.0),  # Eräjärvi
            Settlement(61.700, 24.250, 0.20, 8.0),  # maaseutu
        ),
    ),
    Municipality(
        "Vesilahti",
        61.310,
        23.615,
        4_500,
        0.002,
        0.02,
        0.60,
        (Settlement(61.310, 23.615, 0.60, 2.5), Settlement(61.270, 23.540, 0.40, 6.0)),
    ),
)

HUBS: tuple[HubSite, ...] = (
    HubSite(
        "tampere-tammela-sote",
        "Tampere",
        "sote",
        61.5010,
        23.7780,
        "Tammelan terveysasema",
        "Tammelan puistokatu 23, 33100 Tampere",
    ),
    HubSite(
        "tampere-metso-kirjasto",
        "Tampere",
        "kirjasto",
        61.4960,
        23.7580,
        "Pääkirjasto Metso",
        "Pirkankatu 2, 33210 Tampere",
    ),
    HubSite(
        "tampere-keskusta-asukastalo",
        "Tampere",
        "asukastalo",
        61.4975,
        23.7520,
        "Amurin asukastupa",
        "Satakunnankatu 49, 33230 Tampere",
    ),
    HubSite(
        "tampere-hervanta-sote",
        "Tampere",
        "sote",
        61.4510,
        23.8500,
        "Hervannan terveysasema",
        "Lindforsinkatu 2, 33720 Tampere",
    ),
    HubSite(
        "tampere-hervanta-kirjasto",
        "Tampere",
        "kirjasto",
        61.4505,
        23.8535,
        "Hervannan kirjasto",
        "Insinöörinkatu 38, 33720 Tampere",
    ),
    HubSite(
        "tampere-hervanta-asukastalo",
        "Tampere",
        "asukastalo",
        61.4480,
        23.8480,
        "Hervannan asukastupa",
        "Opiskelijankatu 7, 33720 Tampere",
    ),
    HubSite(
        "tampere-kaleva-sote",
        "Tampere",
        "sote",
        61.4970,
        23.8040,
        "Kalevan terveysasema",
        "Sammonkatu 42, 33540 Tampere",
    ),
    HubSite(
        "tampere-kaleva-kirjasto",
        "Tampere",
        "kirjasto",
        61.4955,
        23.8060,
        "Kalevan kirjasto",
        "Liisanpuisto 1, 33540 Tampere",
    ),
    HubSite(
        "tampere-tesoma-sote",
        "Tampere",
        "sote",
        61.4985,
        23.6310,
        "Tesoman terveysasema",
        "Tesomankatu 4, 33310 Tampere",
    ),
    HubSite(
        "tampere-tesoma-kirjasto",
        "Tampere",
        "kirjasto",
        61.4990,
        23.6290,
        "Tesoman kirjasto",
        "Tesoman valtatie 23, 33310 Tampere",
    ),
    HubSite(
        "tampere-lielahti-sote",
        "Tampere",
        "sote",
        61.5160,
        23.6830,
        "Lielahden terveysasema",
        "Lielahdenkatu 20, 33400 Tampere",
    ),
    HubSite(
        "tampere-lielahti-asukastalo",
        "Tampere",
        "asukastalo",
        61.5140,
        23.6870,
        "Lielahden asukastupa",
        "Kaarilantie 3, 33400 Tampere",
    ),
    HubSite(
        "tampere-linnainmaa-sote",
        "Tampere",
        "sote",
        61.5090,
        23.8730,
        "Linnainmaan terveysasema",
        "Hakamäenkatu 1, 33580 Tampere",
    ),
    HubSite(
        "tampere-linnainmaa-kirjasto",
        "Tampere",
        "kirjasto",
        61.5100,
        23.8700,
        "Linnainmaan kirjasto",
        "Linnainmaankatu 19, 33580 Tampere",
    ),
    HubSite(
        "tampere-multisilta-sote",
        "Tampere",
        "sote",
        61.4570,
        23.7720,
        "Multisillan terveysasema",
        "Multisillankatu 3, 33820 Tampere",
    ),
    HubSite(
        "tampere-multisilta-asukastalo",
        "Tampere",
        "asukastalo",
        61.4580,
        23.7750,
        "Multisillan asukastupa",
        "Multisillankatu 7, 33820 Tampere",
    ),
    HubSite(
        "tampere-kammenniemi-kirjasto",
        "Tampere",
        "kirjasto",
        61.6300,
        23.8300,
        "Kämmenniemen kirjasto",
        "Kämmenniementie 1, 34240 Kämmenniemi",
    ),
    HubSite("nokia-sote", "Nokia", "sote", 61.4790, 23.5050, "Nokian terveyskeskus", "Sairaalankatu 1, 37120 Nokia"),
    HubSite("nokia-kirjasto", "Nokia", "kirjasto", 61.4770, 23.5100, "Nokian pääkirjasto", "Härkitie 7, 37100 Nokia"),
    HubSite(
        "nokia-asukastalo", "Nokia", "asukastalo", 61.4750, 23.5000, "Nokian asukastupa", "Välikatu 19, 37100 Nokia"
    ),
    HubSite(
        "ylojarvi-sote",
        "Ylöjärvi",
        "sote",
        61.5490,
        23.5990,
        "Ylöjärven terveyskeskus",
        "Mikkolantie 10, 33470 Ylöjärvi",
    ),
    HubSite(
        "ylojarvi-kirjasto",
        "Ylöjärvi",
        "kirjasto",
        61.5510,
        23.5950,
        "Ylöjärven pääkirjasto",
        "Kuruntie 14, 33470 Ylöjärvi",
    ),
    HubSite(
        "kangasala-sote",
        "Kangasala",
        "sote",
        61.4640,
        24.0700,
        "Kangasalan terveyskeskus",
        "Kangasalantie 4, 36200 Kangasala",
    ),
    HubSite(
        "kangasala-kirjasto",
        "Kangasala",
        "kirjasto",
        61.4650,
        24.0760,
        "Kangasalan pääkirjasto",
        "Kunnantalonkatu 6, 36200 Kangasala",
    ),
    HubSite(
        "kangasala-ruutana-kirjasto",
        "Kangasala",
        "kirjasto",
        61.5100,
        23.9700,
        "Ruutanan kirjasto",
        "Ruutanantie 32, 36220 Kangasala",
    ),
    HubSite(
        "lempaala-sote",
        "Lempäälä",
        "sote",
        61.3140,
        23.7520,
        "Lempäälän terveysasema",
        "Kauppilankatu 1, 37500 Lempäälä",
    ),
    HubSite(
        "lempaala-kirjasto",
        "Lempäälä",
        "kirjasto",
        61.3150,
        23.7550,
        "Lempäälän kirjasto",
        "Ryynäsentie 5, 37500 Lempäälä",
    ),
    HubSite(
        "lempaala-saaksjarvi-asukastalo",
        "Lempäälä",
        "asukastalo",
        61.3700,
        23.8000,
        "Sääksjärven asukastupa",
        "Sääksjärventie 18, 37560 Lempäälä",
    ),
    HubSite(
        "pirkkala-sote",
        "Pirkkala",
        "sote",
        61.4650,
        23.6450,
        "Pirkkalan terveysasema",
        "Naistenmatkantie 2, 33950 Pirkkala",
    ),
    HubSite(
        "pirkkala-kirjasto",
        "Pirkkala",
        "kirjasto",
        61.4660,
        23.6480,
        "Pirkkalan kirjasto",
        "Suupantie 11, 33960 Pirkkala",
    ),
    HubSite(
        "orivesi-sote", "Orivesi", "sote", 61.6770, 24.3560, "Oriveden terveysasema", "Hirsimäentie 3, 35300 Orivesi"
    ),
    HubSite(
        "orivesi-kirjasto",
        "Orivesi",
        "kirjasto",
        61.6780,
        24.3590,
        "Oriveden kaupunginkirjasto",
        "Keskustie 23, 35300 Orivesi",
    ),
    HubSite(
        "vesilahti-sote",
        "Vesilahti",
        "sote",
        61.3100,
        23.6150,
        "Vesilahden terveysasema",
        "Koskentie 2, 37470 Vesilahti",
    ),
    HubSite(
        "vesilahti-kirjasto",
        "Vesilahti",
        "kirjasto",
        61.3110,
        23.6180,
        "Vesilahden kirjasto",
        "Kirkkomäentie 1, 37470 Vesilahti",
    ),
)

REGION = Region(
    name="tampere",
    display="Tampereen seutu",
    municipalities=MUNICIPALITIES,
    hubs=HUBS,
    car_minutes=(15, 41, 5),
    transit_minutes=(30, 66, 5),
)
