"""What the find page shows and reads: an anonymous profile from its form, and why a group fits, in words.

The matching itself is `scheduler.matching` (the same as POST /offering/recommend); this
module only turns form fields into a `Profile` and a `Suitability` into sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import ValidationError
from starlette.datastructures import FormData

from api.pages import labels
from api.pages.i18n import N_, Lang
from scheduler.contract import DAYS, Window
from scheduler.services.matching import Profile, Suitability
from scheduler.services.offering import OfferedGroup

__all__ = ["ProfileForm", "home_points", "read_profile", "why_fits"]

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


@dataclass
class ProfileForm:
    """The anonymous profile form as entered (to show it again) and the profile it makes, or its faults."""

    values: dict[str, list[str]] = field(default_factory=dict)
    profile: Profile | None = None
    faults: list[str] = field(default_factory=list)

    def has(self, name: str, value: str) -> bool:
        return value in self.values.get(name, [])

    def one(self, name: str, default: str = "") -> str:
        return (self.values.get(name) or [default])[0]


def home_points(groups: list[OfferedGroup]) -> dict[str, tuple[float, float]]:
    """Each municipality with a hub, at the middle of its hubs: a home point near enough for travel times."""
    spots: dict[str, list[tuple[float, float]]] = {}
    for group in groups:
        if group.place is not None:
            spots.setdefault(group.place.municipality, []).append((group.place.lat, group.place.lon))
    return {
        town: (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
        for town, points in sorted(spots.items())
    }


def _languages(form: ProfileForm, lang: Lang) -> list[str]:
    chosen = [code for code in form.values.get("languages", []) if code in ("fi", "sv", "en")]
    for code in re.split(r"[\s,;]+", form.one("other_languages").strip().lower()):
        if not code:
            continue
        if LANGUAGE_CODE.match(code):
            chosen.append(code)
        else:
            form.faults.append(
                lang.gettext(N_("Other languages: %(code)s is not a language code such as ru or ar."), code=repr(code))
            )
    if not chosen:
        form.faults.append(lang.gettext(N_("Languages: choose at least one language the client speaks.")))
    return list(dict.fromkeys(chosen))


def _minutes(form: ProfileForm, lang: Lang) -> int:
    text = form.one("max_minutes", "60").strip()
    if text.isdigit() and int(text) <= 600:
        return int(text)
    form.faults.append(lang.gettext(N_("Longest trip: give whole minutes from 0 to 600.")))
    return 60


def _windows(form: ProfileForm, lang: Lang) -> list[Window] | None:
    days = [d for d in form.values.get("days", []) if d in DAYS]
    if not days:
        return None
    start, end = form.one("from", "08:00"), form.one("until", "18:00")
    try:
        return [Window(day=day, start=start, end=end) for day in days]
    except ValidationError:
        form.faults.append(lang.gettext(N_("Times: the time must end after it starts (for example 9:00–15:00).")))
        return None


def read_profile(data: FormData, homes: dict[str, tuple[float, float]], lang: Lang) -> ProfileForm:
    """The anonymous profile a counsellor entered; faults name the field and what is wrong."""
    form = ProfileForm({key: [str(v) for v in data.getlist(key)] for key in data})
    languages, minutes, windows = _languages(form, lang), _minutes(form, lang), _windows(form, lang)
    interests = [form.one(f"interest{n}") for n in (1, 2, 3) if form.one(f"interest{n}") in labels.THEMES]
    home = homes.get(form.one("home"))
    if form.faults:
        return form
    form.profile = Profile(
        languages=languages,
        lat=home[0] if home else None,
        lon=home[1] if home else None,
        travel_mode="car" if form.one("travel_mode") == "car" else "transit",
        max_travel_minutes=minutes,
        available=windows,
        interests=list(dict.fromkeys(interests)) or None,
        audiences=[a for a in form.values.get("audiences", []) if a in labels.AUDIENCES],
        needs_accessible=form.has("needs", "accessible"),
        remote_ok=form.has("needs", "remote"),
    )
    return form


def why_fits(fit: Suitability, profile: Profile, lang: Lang) -> list[str]:
    """The reasons the group suits the client, rule by rule, in the page's language."""
    group, said = fit.group, []
    theme = labels.label(labels.THEMES, group.theme, lang)
    said.append(
        lang.gettext(N_("Theme: %(theme)s"), theme=theme)
        if profile.interests is None
        else lang.gettext(N_("%(theme)s is the client's interest no. %(rank)d"), theme=theme, rank=fit.rank + 1)
    )
    said.append(
        lang.gettext(N_("Open to everyone"))
        if group.audience == "all"
        else lang.gettext(N_("For %(audience)s"), audience=labels.label(labels.AUDIENCES, group.audience, lang))
    )
    said.append(
        lang.gettext(
            N_("Runs in %(language)s, which the client speaks"), language=labels.language_name(group.language, lang)
        )
    )
    if group.place is None:
        said.append(lang.gettext(N_("Remote: no travel")))
    elif fit.travel is None:
        said.append(lang.gettext(N_("At %(hub)s (no home given, so the trip is not timed)"), hub=group.place.hub))
    else:
        by = N_("by car") if profile.travel_mode == "car" else N_("by public transport")
        said.append(
            lang.gettext(
                N_("%(minutes)d min %(by)s to %(hub)s (the client's limit %(limit)d min)"),
                minutes=fit.travel,
                by=lang.gettext(by),
                hub=group.place.hub,
                limit=profile.max_travel_minutes,
            )
        )
    if fit.remote:
        said.append(lang.gettext(N_("A hybrid group: the client joins from home")))
    elif profile.needs_accessible and group.place is not None:
        said.append(lang.gettext(N_("In an accessible room")))
    said.append(
        lang.gettext(
            N_("%(weekday)s %(start)s–%(end)s fits the client's week"),
            weekday=lang.weekday(group.day),
            start=group.start,
            end=group.end,
        )
    )
    return [line[:1].upper() + line[1:] for line in said]
