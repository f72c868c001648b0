"""The contract's codes (themes, audiences, group kinds) as msgids: one table for the pages and the feeds.

A page and a feed name a code with the very same msgid, so one label has one translation
everywhere. Languages are named by CLDR (`scheduler.i18n.language_name`), not by the catalogues.
"""

from __future__ import annotations

from scheduler.i18n import N_, gettext

__all__ = ["AUDIENCES", "FAMILIES", "KINDS", "THEMES", "label"]

THEMES = {
    "nature": N_("Nature"), "wellbeing": N_("Wellbeing"), "art": N_("Art and culture"),
    "digital": N_("Digital skills"), "peer": N_("Peer support"), "language": N_("Language practice"),
    "life_skills": N_("Life skills"), "activity": N_("Activities"), "community": N_("Community"),
    "games": N_("Games"), "sport": N_("Sport and exercise"),
}
AUDIENCES = {
    "all": N_("Everyone"), "men": N_("Men"), "women": N_("Women"), "youth": N_("Young adults"),
    "immigrants": N_("Speakers of other languages"), "neuro": N_("Neurodivergent people"),
}
KINDS = {
    "theme": N_("Theme group"), "process": N_("Process group"), "peer": N_("Peer group"),
    "targeted": N_("Targeted group"), "popup": N_("Pop-up group"),
}
FAMILIES = {"theme": THEMES, "audience": AUDIENCES, "kind": KINDS}
"""Each family of codes by the name a feed's `label` asks for."""


def label(table: dict[str, str], code: str, lang: str) -> str:
    """A code's name in the language; an unknown code is shown as it is."""
    return gettext(lang, table[code]) if code in table else code
