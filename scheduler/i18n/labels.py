"""The contract's codes (themes, audiences, group kinds) as msgids: one table for the pages and the feeds.

A page and a feed name a code with the very same msgid, so one label has one translation
everywhere. Languages are named by CLDR (`scheduler.i18n.language_name`), not by the catalogues.
"""

from __future__ import annotations

from scheduler.i18n import N_, gettext

__all__ = ["ATTENDANCE", "AUDIENCES", "END_REASONS", "FAMILIES", "KINDS", "NEXT_STEPS", "THEMES", "label"]

THEMES = {
    "nature": N_("Nature"),
    "wellbeing": N_("Wellbeing"),
    "art": N_("Art and culture"),
    "digital": N_("Digital skills"),
    "peer": N_("Peer support"),
    "language": N_("Language practice"),
    "life_skills": N_("Life skills"),
    "activity": N_("Activities"),
    "community": N_("Community"),
    "games": N_("Games"),
    "sport": N_("Sport and exercise"),
}
AUDIENCES = {
    "all": N_("Everyone"),
    "men": N_("Men"),
    "women": N_("Women"),
    "youth": N_("Young adults"),
    "immigrants": N_("Speakers of other languages"),
    "neuro": N_("Neurodivergent people"),
}
KINDS = {
    "theme": N_("Theme group"),
    "process": N_("Process group"),
    "peer": N_("Peer group"),
    "targeted": N_("Targeted group"),
    "popup": N_("Pop-up group"),
}
ATTENDANCE = {
    "present": N_("Present"),
    "excused": N_("Absent with notice"),
    "absent": N_("Absent without notice"),
}
END_REASONS = {
    "completed": N_("Completed"),
    "work": N_("Work trial or work"),
    "education": N_("Education"),
    "other_service": N_("Another service"),
    "moved_away": N_("Moved away"),
    "health": N_("Health"),
    "own_wish": N_("The client's own wish"),
    "absences": N_("Absences without notice"),
}
NEXT_STEPS = {
    "work": N_("Work"),
    "work_trial": N_("Work trial"),
    "education": N_("Education or training"),
    "employment_services": N_("Employment services"),
    "health_services": N_("Health services"),
    "other_social_service": N_("Another social service"),
    "social_rehabilitation": N_("On in social rehabilitation"),
    "none": N_("Nothing planned"),
    "unknown": N_("Not known"),
}
FAMILIES = {"theme": THEMES, "audience": AUDIENCES, "kind": KINDS}
"""Each family of codes by the name a feed's `label` asks for."""


def label(table: dict[str, str], code: str, lang: str) -> str:
    """A code's name in the language; an unknown code is shown as it is."""
    return gettext(lang, table[code]) if code in table else code
