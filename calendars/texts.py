"""Every word a feed shows, in Finnish, Swedish and English (one table, so translations stay together).

Codes the application uses (themes, audiences, languages, group kinds) are looked up here;
an unknown code is shown as it is.
"""

from __future__ import annotations

from datetime import date

from calendars.model import Lang

__all__ = ["feed_name", "label", "short_date", "text"]

TEXTS: dict[str, dict[str, str]] = {
    "offering": {"fi": "Ryhmätarjotin", "sv": "Gruppbricka", "en": "Group offering"},
    "hub": {"fi": "Ryhmät: {subject}", "sv": "Grupper: {subject}", "en": "Groups: {subject}"},
    "group": {"fi": "{subject}", "sv": "{subject}", "en": "{subject}"},
    "staff": {"fi": "Ohjattavat ryhmät: {subject}", "sv": "Grupper att leda: {subject}",
              "en": "Groups led by {subject}"},
    "calendar_about": {"fi": "Sosiaalisen kuntoutuksen ryhmät", "sv": "Grupper inom social rehabilitering",
                       "en": "Social rehabilitation groups"},
    "theme": {"fi": "Teema", "sv": "Tema", "en": "Theme"},
    "language": {"fi": "Kieli", "sv": "Språk", "en": "Language"},
    "audience": {"fi": "Kenelle", "sv": "För vem", "en": "For"},
    "free_seats": {"fi": "Vapaita paikkoja", "sv": "Lediga platser", "en": "Free seats"},
    "leaders": {"fi": "Ohjaajat", "sv": "Ledare", "en": "Leaders"},
    "no_session": {"fi": "Ei kokoontumista", "sv": "Ingen träff", "en": "No session"},
    "join": {"fi": "Mukaan pääset omatyöntekijäsi (sosiaaliohjaajan) kautta: hän varaa sinulle paikan.",
             "sv": "Du kommer med via din kontaktperson (socialhandledare), som bokar en plats åt dig.",
             "en": "To join, ask your social counsellor, who reserves a seat for you."},
    "more": {"fi": "Lisätietoja", "sv": "Mer information", "en": "More information"},
    "cancelled": {"fi": "PERUTTU", "sv": "INSTÄLLD", "en": "CANCELLED"},
    "cancelled_group": {"fi": "Ryhmä on peruttu.", "sv": "Gruppen är inställd.", "en": "The group is cancelled."},
    "moved": {"fi": "Tämä kerta on siirretty.", "sv": "Den här träffen är flyttad.",
              "en": "This session has been moved."},
    "substitute": {"fi": "Tällä kertaa sijainen ohjaa", "sv": "Den här gången leder en vikarie",
                   "en": "This time a substitute leads"},
    "remote": {"fi": "Etäryhmä (linkki omatyöntekijältä)", "sv": "På distans (länk av kontaktpersonen)",
               "en": "Remote (link from your counsellor)"},
    "room": {"fi": "tila", "sv": "rum", "en": "room"},
    "closed": {"fi": "suljettu", "sv": "stängt", "en": "closed"},
}

LABELS: dict[str, dict[str, dict[str, str]]] = {
    "theme": {
        "nature": {"fi": "luonto", "sv": "natur", "en": "nature"},
        "wellbeing": {"fi": "hyvinvointi", "sv": "välmående", "en": "wellbeing"},
        "art": {"fi": "taide ja kulttuuri", "sv": "konst och kultur", "en": "art and culture"},
        "digital": {"fi": "digitaidot", "sv": "digital kompetens", "en": "digital skills"},
        "peer": {"fi": "vertaistuki", "sv": "kamratstöd", "en": "peer support"},
        "language": {"fi": "kielen harjoittelu", "sv": "språkträning", "en": "language practice"},
        "life_skills": {"fi": "elämäntaidot", "sv": "livskunskap", "en": "life skills"},
        "activity": {"fi": "toiminta", "sv": "aktivitet", "en": "activity"},
        "community": {"fi": "yhteisö", "sv": "gemenskap", "en": "community"},
        "games": {"fi": "pelit", "sv": "spel", "en": "games"},
    },
    "audience": {
        "all": {"fi": "kaikille", "sv": "alla", "en": "everyone"},
        "men": {"fi": "miehille", "sv": "män", "en": "men"},
        "women": {"fi": "naisille", "sv": "kvinnor", "en": "women"},
        "youth": {"fi": "nuorille aikuisille", "sv": "unga vuxna", "en": "young adults"},
        "neuro": {"fi": "nepsy-asiakkaille", "sv": "personer med neuropsykiatriska behov",
                  "en": "neurodivergent people"},
        "immigrants": {"fi": "vieraskielisille", "sv": "personer med annat modersmål",
                       "en": "foreign-language speakers"},
    },
    "language": {
        "fi": {"fi": "suomi", "sv": "finska", "en": "Finnish"},
        "sv": {"fi": "ruotsi", "sv": "svenska", "en": "Swedish"},
        "en": {"fi": "englanti", "sv": "engelska", "en": "English"},
    },
    "kind": {
        "process": {"fi": "prosessiryhmä", "sv": "processgrupp", "en": "process group"},
        "targeted": {"fi": "kohdennettu ryhmä", "sv": "riktad grupp", "en": "targeted group"},
        "theme": {"fi": "teemaryhmä", "sv": "temagrupp", "en": "theme group"},
        "peer": {"fi": "vertaisryhmä", "sv": "kamratgrupp", "en": "peer group"},
        "popup": {"fi": "pop-up-ryhmä", "sv": "pop up-grupp", "en": "pop-up group"},
    },
}


def text(key: str, lang: Lang, **values: str) -> str:
    """A sentence or word of the feeds in the language, with its blanks filled."""
    return TEXTS[key][lang].format(**values)


def label(family: str, code: str, lang: Lang) -> str:
    """A theme, audience, language or group kind in words; the code itself when it is not known."""
    return LABELS.get(family, {}).get(code, {}).get(lang, code)


def feed_name(kind: str, subject: str, lang: Lang) -> str:
    """The calendar's name as a calendar program lists it."""
    return text(kind, lang, subject=subject)


def short_date(day: date, lang: Lang) -> str:
    """6.1.2027 in Finnish and Swedish, 2027-01-06 in English."""
    return day.isoformat() if lang == "en" else f"{day.day}.{day.month}.{day.year}"
