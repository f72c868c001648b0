"""A draft's unplaced clients and its diff against what is published."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine

from scheduler.contract import Plan, Problem
from scheduler.services.planning.workflow import plan_run, publish_run
from scheduler.services.week import draft_diff, shown_run, unplaced_of
from scheduler.storage.database import session_scope
from tests.services.week.conftest import ART_SV, DIGITAL, NATURE_FI

TODAY = date(2027, 1, 12)


def replanned(problem: Problem) -> Plan:
    """The running groups kept (nature gains w01, art moves to Thursday, the remote group closes), one opens."""
    groups = [g.model_dump() for g in problem.groups if g.id != DIGITAL]
    for group in groups:
        if group["id"] == NATURE_FI:
            group["participants"] = [*group["participants"], "w01"]
        if group["id"] == ART_SV:
            group["day"] = "thu"
    groups.append(
        {
            "id": "g-new",
            "template": "nature",
            "modality": "in_person",
            "hub": "karjaa",
            "room": "karjaa/room",
            "language": "sv",
            "day": "fri",
            "start": "09:00",
            "end": "12:00",
            "leaders": ["aino", "mikko"],
            "participants": ["w02", "w03", "c09"],
            "new": True,
        }
    )
    unassigned: list[dict[str, Any]] = [
        {"client": "w04", "reasons": [{"code": "language", "detail": "groups run in fi, sv; they speak en"}]},
        {
            "client": "c01x",
            "reasons": [{"code": "capacity", "detail": "none opened"}, {"code": "travel", "detail": "too far"}],
        },
    ]
    return Plan.model_validate(
        {
            "status": "feasible",
            "groups": groups,
            "unassigned": unassigned,
            "metrics": {"placed": 12, "unassigned": 2, "groups_new": 1, "groups_total": 3},
        }
    )


def draft(engine: Engine) -> int:
    with session_scope(engine) as session:
        return plan_run(session, replanned, actor="test").id


def test_the_diff_describes_groups_opened_closed_moved_and_seats(week_engine: Engine) -> None:
    run_id = draft(week_engine)
    with session_scope(week_engine) as session:
        diff = draft_diff(session, shown_run(session, run_id))
    assert diff is not None and not diff.stale and not diff.unchanged
    assert [(g.id, g.hub, g.municipality, g.day, g.seats_given, g.participants) for g in diff.opened] == [
        ("g-new", "Karjaa", "Raasepori", "fri", 3, 3)
    ]
    assert diff.opened[0].leaders == ("Aino Virtanen", "Mikko Laine") and diff.opened[0].name.sv == "nature sv"
    assert [(g.id, g.hub) for g in diff.closed] == [(DIGITAL, None)]
    assert [(m.before.day, m.after.day) for m in diff.moved] == [("tue", "thu")]
    assert [(g.id, g.seats_given) for g in diff.filled] == [(NATURE_FI, 1)]
    assert diff.seats_given == 4


def test_a_draft_is_stale_once_another_is_published(week_engine: Engine) -> None:
    first, second = draft(week_engine), draft(week_engine)
    with session_scope(week_engine) as session:
        publish_run(session, shown_run(session, second), actor="test")
    with session_scope(week_engine) as session:
        assert draft_diff(session, shown_run(session, first)).stale
        assert shown_run(session).id == second


def test_unplaced_clients_grouped_by_reason_in_the_solvers_order(week_engine: Engine) -> None:
    run_id = draft(week_engine)
    with session_scope(week_engine) as session:
        assert shown_run(session) is None, "nothing published yet"
        unplaced = unplaced_of(shown_run(session, run_id), TODAY)
        later = unplaced_of(shown_run(session, run_id), date(2027, 1, 20))
    assert unplaced is not None and unplaced.total == 2
    assert [(g.code, [c.client_id for c in g.clients]) for g in unplaced.groups] == [
        ("language", ["w04"]),
        ("travel", ["c01x"]),
        ("capacity", ["c01x"]),
    ]
    w04 = unplaced.groups[0].clients[0]
    assert (w04.languages, w04.waiting_since, w04.days_waiting, w04.urgent) == (("en",), date(2026, 11, 1), 72, False)
    assert later is not None and later.groups[0].urgent == 1  # read inside the session: a closed one would
    # begin a new transaction that nothing ends, and hold its lock against the next test's emptying of the tables
