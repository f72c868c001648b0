"""Who could lead one session of a group in someone's place (or as an extra leader), best first, and why.

Every staff member not already leading the session is weighed by the same leader rules a
change is checked against (`scheduler.services.leader_rules`), criterion by criterion, and the
list is ordered as a coordinator would look:

1. free then: available for the whole session (their windows that weekday), not leading an
   overlapping session that day, time to drive between their other sessions that day and this
   one, and within their weekly minutes that week;
2. speaks the group's language;
3. qualified, where the group needs it (no qualified leader stays once the replaced one goes);
4. has the skills the group model requires that the staying leader lacks;
5. the shortest drive from their base hub (a remote session: none), then by name.

Everyone is listed: those who fit every criterion first (`fits`), then those who do not, each
with every criterion's flag and reason in words, so a coordinator can see the nearest miss.
Each reason is a msgid of the catalogues with its values (`Reason.text` is the English; the
pages translate it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.contract import minutes
from scheduler.contract.rules import MAX_LEADERS
from scheduler.i18n import N_
from scheduler.services.leader_rules import Breach, Slot, Travel, load_calendar, time_breaches, weekday_of
from scheduler.services.session_changes import ChangeError, find_session
from scheduler.storage.models import GroupModelRow, StaffRow

__all__ = ["CRITERIA", "Reason", "Substitute", "Substitutes", "suggest_substitutes"]

CRITERIA = (
    "available",
    "not_busy",
    "can_drive",
    "weekly_minutes",
    "speaks_language",
    "qualified",
    "skills",
    "drive",
)
"""The criteria in the order of the reasons; the first four together are `free`."""


@dataclass(frozen=True)
class Reason:
    """One criterion for one staff member: met or not, the rule's key behind it, the reason as a msgid and values."""

    criterion: str
    ok: bool
    rule: str | None
    message: str
    values: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> str:
        """The reason in English (the msgid filled in)."""
        return self.message % dict(self.values) if self.values else self.message


@dataclass(frozen=True)
class Substitute:
    """A staff member weighed for the session."""

    staff_id: str
    name: str
    base_hub: str
    qualified: bool
    languages: tuple[str, ...]
    available: bool
    not_busy: bool
    can_drive: bool
    within_weekly_minutes: bool
    speaks_language: bool
    qualified_where_needed: bool
    skills_covered: bool
    drive_minutes: int | None
    reasons: tuple[Reason, ...]

    @property
    def free(self) -> bool:
        return self.available and self.not_busy and self.can_drive and self.within_weekly_minutes

    @property
    def fits(self) -> bool:
        return self.free and self.speaks_language and self.qualified_where_needed and self.skills_covered

    def rank(self) -> tuple[bool, bool, bool, bool, float, str, str]:
        """Best first: free, language, qualification where needed, skills, the shortest drive, then by name."""
        drive = float("inf") if self.drive_minutes is None else float(self.drive_minutes)
        return (
            not self.free,
            not self.speaks_language,
            not self.qualified_where_needed,
            not self.skills_covered,
            drive,
            self.name.casefold(),
            self.staff_id,
        )


@dataclass(frozen=True)
class Substitutes:
    """The session, whom it is for (a leader replaced, or None for an extra leader), and the staff weighed."""

    group_id: str
    planned: date
    day: date
    start: str
    end: str
    hub_id: str | None
    language: str
    replacing: str | None
    staying: tuple[str, ...]
    needs_qualified: bool
    needs_skills: tuple[str, ...]
    substitutes: tuple[Substitute, ...]


def _by_rule(breaches: Sequence[Breach], rule: str) -> list[Breach]:
    return [b for b in breaches if b.rule == rule]


def _time_reasons(breaches: Sequence[Breach], slot: Slot, used: int, most: int) -> list[Reason]:
    when = (("when", slot.when()),)
    reasons = [
        Reason("available", False, "leader_available", N_("not available %(when)s"), when)
        if _by_rule(breaches, "leader_available")
        else Reason("available", True, "leader_available", N_("available %(when)s"), when)
    ]
    busy = _by_rule(breaches, "leader_one_session_at_a_time")
    reasons.append(
        Reason(
            "not_busy", False, "leader_one_session_at_a_time", N_("leads group %(group)s at %(time)s"), busy[0].values
        )
        if busy
        else Reason("not_busy", True, "leader_one_session_at_a_time", N_("leads no other session at that time"))
    )
    far = _by_rule(breaches, "leader_travel_time")
    reasons.append(
        Reason(
            "can_drive",
            False,
            "leader_travel_time",
            N_("leads group %(group)s at %(time)s: %(gap)s min between, the drive takes %(need)s min"),
            far[0].values,
        )
        if far
        else Reason("can_drive", True, "leader_travel_time", N_("time to drive between the day's sessions"))
    )
    values = (("used", str(used)), ("max", str(most)))
    reasons.append(
        Reason(
            "weekly_minutes",
            False,
            "leader_weekly_minutes",
            N_("would lead %(used)s min that week, at most %(max)s"),
            values,
        )
        if used > most
        else Reason(
            "weekly_minutes", True, "leader_weekly_minutes", N_("%(used)s of at most %(max)s min that week"), values
        )
    )
    return reasons


def suggest_substitutes(db: Session, group_id: str, planned: date, replacing: str | None = None) -> Substitutes:
    """Everyone who could lead the session planned on the date, best first; `replacing` names the leader
    who is away (None: an extra leader). NotFound, GroupNotRunning, or ChangeError on `day` or `replacing`."""
    group, session = find_session(db, group_id, planned)
    if not session.held:
        raise ChangeError("day", f"the session of group {group_id!r} on {planned} is cancelled: restore it first")
    leaders = list(session.leaders)
    if replacing is not None and replacing not in leaders:
        raise ChangeError("replacing", f"{replacing!r} does not lead the session on {planned} ({', '.join(leaders)})")
    if replacing is None and len(leaders) >= MAX_LEADERS:
        raise ChangeError(
            "replacing", f"the session already has {MAX_LEADERS} leaders: name the one to replace (replacing=STAFF_ID)"
        )
    staying = [i for i in leaders if i != replacing]
    team = [m for i in staying if (m := db.get(StaffRow, i)) is not None]
    model = db.get(GroupModelRow, group.template_id)
    required = [str(s) for s in model.required_skills] if model else []
    needs_qualified = not any(m.qualified for m in team)
    needs_skills = tuple(s for s in required if s not in {k for m in team for k in m.skills})
    hub = session.hub_id if group.modality in ("in_person", "hybrid") else None
    slot = Slot(
        group.id, weekday_of(session.day), minutes(session.start), minutes(session.end), hub, session.day, planned
    )
    calendar, travel = load_calendar(db, slot), Travel(db)
    weighed = [
        _weigh(
            member,
            slot,
            calendar.week_minutes.get(member.id, 0),
            time_breaches(member, slot, calendar, travel),
            group.language,
            needs_qualified,
            needs_skills,
            travel,
        )
        for member in db.scalars(select(StaffRow))
        if member.id not in leaders
    ]
    return Substitutes(
        group.id,
        planned,
        session.day,
        session.start,
        session.end,
        hub,
        group.language,
        replacing,
        tuple(staying),
        needs_qualified,
        needs_skills,
        tuple(sorted(weighed, key=Substitute.rank)),
    )


def _weigh(
    member: StaffRow,
    slot: Slot,
    week: int,
    breaches: list[Breach],
    language: str,
    needs_qualified: bool,
    needs_skills: Sequence[str],
    travel: Travel,
) -> Substitute:
    reasons = _time_reasons(breaches, slot, week + slot.length, member.max_weekly_minutes)
    speaks = language in member.languages
    lang = (("language", language),)
    reasons.append(
        Reason(
            "speaks_language",
            speaks,
            "leader_speaks_language",
            N_("speaks %(language)s") if speaks else N_("does not speak %(language)s"),
            lang,
        )
    )
    qualified_ok = member.qualified or not needs_qualified
    if not needs_qualified:
        qualified = Reason(
            "qualified", True, "one_qualified_leader", N_("a qualified leader stays: no qualification needed")
        )
    elif member.qualified:
        qualified = Reason("qualified", True, "one_qualified_leader", N_("qualified, as the group needs"))
    else:
        qualified = Reason(
            "qualified", False, "one_qualified_leader", N_("not qualified, and the group needs a qualified leader")
        )
    reasons.append(qualified)
    lacking = [s for s in needs_skills if s not in member.skills]
    if not needs_skills:
        reasons.append(Reason("skills", True, "skills_covered", N_("no skill is missing")))
    else:
        names = (("skills", ", ".join(lacking or needs_skills)),)
        reasons.append(
            Reason("skills", False, "skills_covered", N_("lacks %(skills)s, which the group needs"), names)
            if lacking
            else Reason("skills", True, "skills_covered", N_("has %(skills)s, which the group needs"), names)
        )
    drive = 0 if slot.hub_id is None else travel.minutes(member.base_hub, slot.hub_id)
    base = (("hub", member.base_hub),)
    if slot.hub_id is None:
        reasons.append(Reason("drive", True, None, N_("a remote session: no drive")))
    elif drive is None:
        reasons.append(Reason("drive", True, None, N_("the drive from %(hub)s is not known"), base))
    else:
        reasons.append(
            Reason(
                "drive",
                True,
                None,
                N_("%(minutes)s min drive from the base hub %(hub)s"),
                (("minutes", str(drive)), *base),
            )
        )
    return Substitute(
        member.id,
        member.name or member.id,
        member.base_hub,
        member.qualified,
        tuple(str(code) for code in member.languages),
        available=not _by_rule(breaches, "leader_available"),
        not_busy=not _by_rule(breaches, "leader_one_session_at_a_time"),
        can_drive=not _by_rule(breaches, "leader_travel_time"),
        within_weekly_minutes=not _by_rule(breaches, "leader_weekly_minutes"),
        speaks_language=speaks,
        qualified_where_needed=qualified_ok,
        skills_covered=not lacking,
        drive_minutes=drive,
        reasons=tuple(reasons),
    )
