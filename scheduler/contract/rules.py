"""The hard rules H1–H10 (docs/rules.md), part by part, and the thresholds they name.

Every part of a rule has one key: the solver's function (or candidate filter) that
holds it is named by it, the checker reports a breach under it, a client who cannot
be placed is told it when it is a client-fit part (`REASON_CODES`), and its tests are
called `test_<key>`. Grep a key to find all of them. Each threshold is named here once
and used by the contract's bounds, the solver, the checker and the services alike.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CLOSES_AFTER",
    "LARGEST_GROUP",
    "LONGEST_SESSION",
    "MAX_LEADERS",
    "MIN_LEADERS",
    "ONE_LEADER_UP_TO",
    "RULES",
    "RULE_BY_KEY",
    "SHORTEST_SESSION",
    "SMALLEST_GROUP",
    "Rule",
]

SMALLEST_GROUP = 3
"""The handbook's smallest group (ryhmäkoko 3–10); a template may ask for more."""
LARGEST_GROUP = 10
"""The handbook's largest group; a template may allow fewer."""
MIN_LEADERS = 1
"""Every group has a leader."""
MAX_LEADERS = 2
"""No group has more than two leaders."""
ONE_LEADER_UP_TO = 4
"""One leader takes up to four participants: five or more need two leaders."""
SHORTEST_SESSION = 120
"""A session lasts two hours at least (minutes)."""
LONGEST_SESSION = 240
"""A session lasts four hours at most (minutes)."""
CLOSES_AFTER = 2
"""A closed (process) group takes no joiners after its second session unless its model says otherwise."""


@dataclass(frozen=True)
class Rule:
    """One part of a hard rule: its key, its family (H1–H10), what the checker calls a
    breach of it, and the rule in one sentence."""

    key: str
    family: str
    label: str
    statement: str


RULES: tuple[Rule, ...] = (
    # H1 references
    Rule("group_ids_unique", "H1", "Duplicate group", "Every group of the plan has an id of its own."),
    Rule("template_exists", "H1", "Unknown template", "A group's template is one of the problem's templates."),
    Rule(
        "modality_matches_template",
        "H1",
        "Wrong modality",
        "A group is in person, remote or hybrid as its template is.",
    ),
    Rule("remote_has_no_place", "H1", "Remote group with a place", "A remote group names neither a hub nor a room."),
    Rule("in_person_has_hub", "H1", "No hub", "An in-person or hybrid group names its hub."),
    Rule("hub_exists", "H1", "Unknown hub", "An in-person or hybrid group's hub is one of the problem's hubs."),
    Rule("in_person_has_room", "H1", "No room", "An in-person or hybrid group names its room."),
    Rule("room_exists", "H1", "Unknown room", "An in-person or hybrid group's room is one of the problem's rooms."),
    Rule("room_in_its_hub", "H1", "Room of another hub", "A group's room belongs to the group's hub."),
    Rule(
        "remote_participants_listed",
        "H1",
        "Remote participant not in the group",
        "A hybrid group's remote participants are among its participants; no other group has remote participants.",
    ),
    Rule("leader_exists", "H1", "Unknown staff", "Every leader of a group is one of the problem's staff."),
    Rule(
        "same_county",
        "H1",
        "Across a county's border",
        "In a problem of several counties, a group's hub, leaders and participants are all of one county.",
    ),
    Rule(
        "client_exists",
        "H1",
        "Unknown client",
        "Every participant, and every client listed unassigned, is one of the problem's clients.",
    ),
    # H2 language
    Rule("template_offers_language", "H2", "Language not offered", "A group runs in one of its template's languages."),
    Rule("leader_speaks_language", "H2", "Leader lacks the language", "Every leader speaks the group's language."),
    Rule("language", "H2", "Participant lacks the language", "Every participant speaks the group's language."),
    # H3 group size
    Rule("participants_distinct", "H3", "Participant listed twice", "A group lists each participant once."),
    Rule(
        "group_not_too_large",
        "H3",
        "Group too large",
        f"A group has at most its template's max_size participants, and never more than {LARGEST_GROUP}.",
    ),
    Rule(
        "group_not_too_small",
        "H3",
        "Group too small",
        f"A group has at least its template's min_size participants, and never fewer than {SMALLEST_GROUP}, "
        "unless it is pinned or a pop-up.",
    ),
    Rule(
        "popup_has_no_roster",
        "H3",
        "Pop-up with a roster",
        "A pop-up (a group model with open admission) has no participants: anyone may just come.",
    ),
    Rule(
        "popup_slots",
        "H3",
        "Too many pop-ups",
        "A plan opens at most the problem's popup_slots new pop-up sessions a week.",
    ),
    # H4 rooms
    Rule(
        "room_fits_everyone",
        "H4",
        "Room too small",
        "A group's participants present (a hybrid group's remote ones do not count) and leaders fit in its room.",
    ),
    Rule(
        "room_available",
        "H4",
        "Room not available",
        "An in-person or hybrid group's room is open for the whole session.",
    ),
    Rule(
        "accessibility",
        "H4",
        "Room not accessible",
        "A participant who comes to the room and needs an accessible one meets in one.",
    ),
    Rule("one_session_per_room", "H4", "Room conflict", "A room holds one session at a time."),
    # H5 leaders
    Rule("leaders_distinct", "H5", "Leader listed twice", "A group lists each leader once."),
    Rule("has_a_leader", "H5", "No leader", f"A group has at least {MIN_LEADERS} leader."),
    Rule("at_most_two_leaders", "H5", "Too many leaders", f"A group has at most {MAX_LEADERS} leaders."),
    Rule(
        "five_need_two_leaders",
        "H5",
        "Two leaders for five or more",
        f"A group of more than {ONE_LEADER_UP_TO} participants has {MAX_LEADERS} leaders; a pop-up counts the"
        " visitors its room takes besides its leaders (at most its template's max_size).",
    ),
    Rule(
        "one_qualified_leader",
        "H5",
        "No qualified leader",
        "At least one leader of a group is a qualified social welfare professional.",
    ),
    Rule(
        "peer_beside_professional",
        "H5",
        "Peer instructor alone",
        "A peer instructor (an expert by experience) leads only beside a qualified professional.",
    ),
    Rule(
        "skills_covered",
        "H5",
        "Skills not covered",
        "The leaders' skills together cover the skills the group's template requires.",
    ),
    # H6 staff time
    Rule("leader_available", "H6", "Leader not available", "A leader is available for the whole session."),
    Rule("leader_one_session_at_a_time", "H6", "Leader double-booked", "A leader leads one session at a time."),
    Rule(
        "leader_travel_time",
        "H6",
        "No time to travel",
        "Between two sessions on one day a leader has the car travel time between their hubs.",
    ),
    Rule(
        "leader_within_reach",
        "H6",
        "Leader out of reach",
        "A leader runs a group that is not pinned only at a hub within the county's leader reach"
        " (policy.leader_reach_minutes by car from their base hub).",
    ),
    Rule(
        "leader_weekly_minutes",
        "H6",
        "Weekly hours exceeded",
        "A leader's weekly session minutes stay within their max_weekly_minutes.",
    ),
    # H7 clients
    Rule("availability", "H7", "Client not available", "A participant is available for the whole session."),
    Rule(
        "travel",
        "H7",
        "Too far to travel",
        "A participant who comes to an in-person or hybrid group's room reaches its hub within their"
        " max_travel_minutes by their travel mode.",
    ),
    Rule(
        "remote",
        "H7",
        "Remote not suitable",
        "Only a client who can take part remotely joins a remote group, or a hybrid group from home.",
    ),
    Rule("interest", "H7", "Theme not of interest", "A group's theme is among each participant's interests."),
    Rule("audience", "H7", "Wrong audience", "A group's template is for all or for an audience of each participant."),
    Rule("groups_per_week", "H7", "Too many groups", "A client is in at most their max_groups_per_week groups."),
    Rule(
        "client_one_session_at_a_time",
        "H7",
        "Client double-booked",
        "A client is never in two groups at overlapping times.",
    ),
    Rule(
        "decision_in_force",
        "H7",
        "No decision in force",
        "A client newly placed in a group, when any decision is on record, has a decision in force (within 18 months"
        " of its period's start) on at least one of the group's sessions from seats_from to the group's last.",
    ),
    Rule(
        "closed",
        "H7",
        "Closed group joined",
        "A client is not newly placed in a closed group (admission closed) once its closes_after-th session is"
        " before seats_from.",
    ),
    Rule(
        "declined_not_offered",
        "H7",
        "Declined group offered again",
        "A client is not newly placed in a group they declined.",
    ),
    # H8 timing
    Rule("times_readable", "H8", "Unreadable time", "A group's start and end are times of day HH:MM."),
    Rule("start_on_grid", "H8", "Off the start grid", "A session starts on the problem's slot_minutes grid."),
    Rule("template_duration", "H8", "Wrong duration", "A session lasts its template's duration_minutes."),
    Rule(
        "day_has_window",
        "H8",
        "Day without a window",
        "A group meets on a day when its room (in person or hybrid) or one of its leaders (remote) has a window.",
    ),
    Rule(
        "group_term",
        "H8",
        "Group outside the season",
        "A group's own term lies in the season: its start_date is its weekday, on or after the season's start"
        " (a new group's on or after seats_from), and its sessions end by the season's end; a new group runs its"
        " model's sessions, or to the season's end when the model does not say or the season ends first.",
    ),
    # H9 pinned groups
    Rule("pinned_group_kept", "H9", "Pinned group missing", "A pinned group is in the plan."),
    Rule(
        "pinned_group_unchanged",
        "H9",
        "Pinned group changed",
        "A pinned group keeps its template, language, day, start, hub, room and leaders.",
    ),
    Rule(
        "pinned_participants_stay", "H9", "Pinned participant dropped", "A pinned group keeps every participant it has."
    ),
    # H10 every client accounted for
    Rule("client_accounted_for", "H10", "Client unaccounted for", "Every client is placed or listed unassigned."),
    Rule("unassigned_not_placed", "H10", "Placed and unassigned", "A client listed unassigned is in no group."),
    Rule("unassigned_listed_once", "H10", "Listed unassigned twice", "A client is listed unassigned at most once."),
    Rule("unassigned_has_reason", "H10", "No reason given", "A client listed unassigned has a reason."),
)

RULE_BY_KEY: dict[str, Rule] = {rule.key: rule for rule in RULES}
