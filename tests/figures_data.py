"""A small county whose figures are known: every figure of February 2027 worked out by hand.

The term starts on Monday 2027-01-11 (twelve weeks). Three groups: `g1` at Lohja (Finnish, a
theme group, Tuesdays; its first session, 2027-01-12, was called off), `g2` at Karjaa in Raasepori
(Swedish, a peer group, Wednesdays) and `g3` held remotely (Finnish, a theme group, Thursdays).
Counsellor `k1` has c1-c5, `k2` has c6; the rest are in the shared queue.
Each client's line says what the February figures make of them; `FEBRUARY` holds the answers.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine

from scheduler.storage.database import session_scope
from scheduler.storage.models import (
    AttendanceRow,
    ClientRow,
    CounsellorRow,
    EnrollmentRow,
    FeedbackRow,
    GroupModelRow,
    GroupRow,
    HubRow,
    OfferRow,
    PlanningSettings,
    SessionChange,
    StaffRow,
)

FROM, TO = date(2027, 2, 1), date(2027, 2, 28)
D = date


def _client(ident: str, opened: date | None, in_service: bool = True, decisions: list[Any] | None = None) -> ClientRow:
    counsellor = "k1" if ident in ("c1", "c2", "c3", "c4", "c5") else "k2" if ident == "c6" else None
    return ClientRow(
        counsellor_id=counsellor,
        id=ident,
        languages=["fi", "sv"],
        home_lat=60.25,
        home_lon=24.07,
        travel_mode="car",
        max_travel_minutes=60,
        available=[],
        interests=["nature"],
        audiences=[],
        waiting_since=opened or D(2026, 1, 1),
        case_opened=opened,
        in_service=in_service,
        decisions=[{"start": s.isoformat(), "end": e.isoformat()} for s, e in decisions or []],
    )


def _group(ident: str, template: str, hub: str | None, language: str, day: str) -> GroupRow:
    return GroupRow(
        id=ident,
        template_id=template,
        modality="remote" if hub is None else "in_person",
        hub_id=hub,
        language=language,
        day=day,
        start="10:00",
        end="13:00",
        leaders=["s1", "s2"] if ident == "g1" else ["s3"],
    )


def _model(ident: str, kind: str) -> GroupModelRow:
    return GroupModelRow(
        id=ident,
        name={"fi": ident, "sv": ident, "en": ident},
        kind=kind,
        theme="nature",
        audience="all",
        modality="in_person",
        duration_minutes=180,
        min_size=3,
        max_size=10,
        languages=["fi", "sv"],
    )


def _seat(
    client: str, group: str, start: date, end: date | None = None, status: str = "active", **ending: str
) -> EnrollmentRow:
    return EnrollmentRow(client_id=client, group_id=group, from_date=start, to_date=end, status=status, **ending)


def _offer(client: str, group: str, made: date, status: str, reason: str | None = None) -> OfferRow:
    return OfferRow(
        client_id=client,
        group_id=group,
        status=status,
        made_on=made,
        starts_on=made,
        reply_by=made,
        decline_reason=reason,
    )


def _marks(group: str, day: date, **statuses: str) -> list[AttendanceRow]:
    return [
        AttendanceRow(group_id=group, day=day, client_id=c, status=s, marked_by="staff:s1") for c, s in statuses.items()
    ]


def _form(kind: str, group: str | None, on: date, answers: dict[str, int], comment: str | None = None) -> FeedbackRow:
    return FeedbackRow(kind=kind, group_id=group, given_on=on, given_by="test", answers=answers, comment=comment)


def build_county(engine: Engine) -> None:
    """Write the known county into an empty, migrated database."""
    with session_scope(engine) as s:
        s.add(PlanningSettings(region="test", term_start=D(2027, 1, 11), term_weeks=12))
        s.add_all(
            [
                HubRow(id="lohja", name="Lohja", municipality="Lohja", lat=60.25, lon=24.07),
                HubRow(id="karjaa", name="Karjaa", municipality="Raasepori", lat=60.07, lon=23.66),
                _model("m-theme", "theme"),
                _model("m-peer", "peer"),
            ]
        )
        s.add_all(
            [
                StaffRow(
                    id=f"s{i}",
                    qualified=True,
                    languages=["fi"],
                    skills=[],
                    base_hub="lohja",
                    available=[],
                    max_weekly_minutes=960,
                )
                for i in (1, 2, 3)
            ]
        )
        s.add_all([CounsellorRow(id="k1", name="Kaisa"), CounsellorRow(id="k2", name="Kalle")])
        s.flush()
        s.add_all(
            [
                _group("g1", "m-theme", "lohja", "fi", "tue"),
                _group("g2", "m-peer", "karjaa", "sv", "wed"),
                _group("g3", "m-theme", None, "fi", "thu"),
            ]
        )
        s.flush()
        s.add(SessionChange(group_id="g1", day=D(2027, 1, 12), cancelled=True, reason="sick"))
        s.add_all(
            [
                _client("c1", D(2026, 12, 20)),  # first session 19 Jan (12 Jan called off): 30 days, January's
                _client(
                    "c2", D(2026, 12, 1), decisions=[(D(2027, 1, 25), D(2027, 7, 24))]
                ),  # 2 Feb: 63 days, 2-3 months
                _client("c3", D(2026, 10, 15), decisions=[(D(2027, 2, 1), D(2027, 7, 31))]),  # 10 Feb: 118 days, over 3
                _client("c4", D(2027, 1, 20), decisions=[(D(2027, 2, 28), D(2027, 8, 27))]),  # 4 Feb: 15 days, under 1
                _client(
                    "c5",
                    D(2026, 12, 28),
                    decisions=[(D(2027, 2, 10), D(2027, 2, 14)), (D(2027, 2, 15), D(2027, 8, 14))],
                ),
                _client("c6", D(2026, 9, 1), decisions=[(D(2027, 3, 1), D(2027, 8, 31))]),  # no seat: still waiting
                _client("c7", D(2026, 11, 1)),  # a seat from 2 March: still waiting at the end of February
                _client("c8", D(2027, 1, 10)),  # no seat, but three months are not up by 28 February
                _client("c9", D(2026, 8, 1), in_service=False),  # left the service waiting: not counted
                _client("c10", None),  # no case opening: first session 3 Feb is counted apart
                _client("c11", D(2026, 6, 1)),  # before the term: first session Tue 1 Dec 2026 by the weekday, 183 days
                _client("c12", None),  # first session 13 Jan; the seat ended 5 Feb with no reason said
            ]
        )
        s.flush()
        s.add_all(
            [
                _seat("c1", "g1", D(2027, 1, 11)),
                _seat("c1", "g3", D(2027, 2, 1)),
                _seat("c2", "g1", D(2027, 2, 1), D(2027, 2, 27)),  # still active: its last day is no ending
                _seat("c3", "g2", D(2027, 2, 8)),
                _seat(
                    "c4",
                    "g3",
                    D(2027, 2, 1),
                    D(2027, 2, 20),
                    "interrupted",
                    end_reason="health",
                    next_step="health_services",
                ),
                _seat("c5", "g1", D(2027, 2, 15)),
                _seat("c7", "g1", D(2027, 3, 2)),
                _seat(
                    "c10", "g2", D(2027, 2, 1), D(2027, 2, 24), "completed", end_reason="completed", next_step="work"
                ),
                _seat(
                    "c11",
                    "g1",
                    D(2026, 11, 27),
                    D(2026, 12, 22),
                    "completed",
                    end_reason="completed",
                    next_step="education",
                ),
                _seat("c12", "g2", D(2027, 1, 13), D(2027, 2, 5), "interrupted"),
            ]
        )
        s.add_all(
            [
                _offer("c2", "g1", D(2027, 1, 25), "accepted"),
                _offer("c5", "g1", D(2027, 2, 1), "accepted"),
                _offer("c6", "g1", D(2027, 2, 3), "declined", "time"),
                _offer("c6", "g2", D(2027, 2, 10), "declined", "place"),
                _offer("c8", "g1", D(2027, 2, 12), "expired"),
                _offer("c7", "g1", D(2027, 2, 26), "pending"),
                _offer("c9", "g2", D(2027, 2, 28), "withdrawn"),
                _offer("c8", "g3", D(2027, 3, 1), "pending"),
            ]
        )
        s.add_all(
            [
                *_marks("g1", D(2027, 1, 26), c1="present"),
                *_marks("g1", D(2027, 2, 2), c1="present", c2="present"),
                *_marks("g1", D(2027, 2, 9), c1="present", c2="excused"),
                *_marks("g1", D(2027, 2, 16), c1="absent", c2="present", c5="present"),
                *_marks("g2", D(2027, 2, 10), c3="present"),
                *_marks("g1", D(2027, 3, 2), c2="present"),
            ]
        )
        s.add_all(
            [
                _form(
                    "group",
                    "g1",
                    D(2027, 2, 23),
                    {"satisfaction": 5, "commitment": 4, "benefit": 4, "recommend": 10},
                    "Hyvä ryhmä",
                ),
                _form("group", "g1", D(2027, 2, 23), {"satisfaction": 4, "recommend": 9}),
                _form(
                    "client",
                    None,
                    D(2027, 2, 24),
                    {"satisfaction": 3, "benefit": 2, "recommend": 3, "old_q": 4},
                    "Liian pitkä matka",
                ),
                _form("group", "g2", D(2027, 3, 1), {"satisfaction": 1}),
            ]
        )


FEBRUARY: dict[str, Any] = {
    "from": "2027-02-01",
    "to": "2027-02-28",
    "clients": {"in_group_work": 7, "new_decisions": 4, "clients_with_new_decision": 3},
    "waiting": {
        "first_sessions": 4,
        "median_days": 56.5,
        "bins": {"under_1": 1, "1_to_2": 1, "2_to_3": 1, "over_3": 1},
        "past_three_months": 1,
        "still_waiting_past_three_months": 2,
        "no_case_opening": 1,
    },
    "offers": {
        "made": 6,
        "accepted": 1,
        "declined": 2,
        "expired": 1,
        "withdrawn": 1,
        "pending": 1,
        "declined_by_reason": {"time": 1, "place": 1, "theme": 0, "group": 0, "health": 0, "other": 0, "unrecorded": 0},
    },
    "attendance": {
        "marked": 8,
        "present": 6,
        "excused": 1,
        "absent": 1,
        "rate": 0.75,
        "excused_share": 0.125,
        "absent_share": 0.125,
        "popup_sessions": 0,
        "popup_heads": 0,
    },
    "seats": [
        {"municipality": "Lohja", "language": "fi", "kind": "theme", "seats": 3},
        {"municipality": "Raasepori", "language": "sv", "kind": "peer", "seats": 3},
        {"municipality": "remote", "language": "fi", "kind": "theme", "seats": 2},
    ],
    "endings": {
        "ended": 3,
        "reasons": {
            "completed": 1,
            "work": 0,
            "education": 0,
            "other_service": 0,
            "moved_away": 0,
            "health": 1,
            "own_wish": 0,
            "absences": 0,
            "unrecorded": 1,
        },
        "next_steps": {
            "work": 1,
            "work_trial": 0,
            "education": 0,
            "employment_services": 0,
            "health_services": 1,
            "other_social_service": 0,
            "social_rehabilitation": 0,
            "none": 0,
            "unknown": 0,
            "unrecorded": 1,
        },
    },
    "feedback": {
        "forms": {"group": 2, "client": 1},
        "answers": {
            "satisfaction": (3, 4.0),
            "commitment": (1, 4.0),
            "benefit": (2, 3.0),
            "recommend": (3, 7.33),
            "old_q": (1, 4.0),
        },
        "recommend": {"promoters": 2, "passives": 0, "detractors": 1, "nps": 33.3},
        "comments": ["Hyvä ryhmä", "Liian pitkä matka"],
    },
}
"""The figures of February 2027, worked out by hand from the rows above (feedback: count and mean per question)."""
