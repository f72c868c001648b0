"""Ending seats: the seat frees, a group left short is flagged and keeps running, all audited."""

from __future__ import annotations

import json
import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from api.cli import app
from scheduler.contract import Problem, parse_problem
from scheduler.contract.errors import Invalid
from scheduler.storage.database import session_scope
from scheduler.storage.enrollments import (
    Ending,
    EnrollmentError,
    GroupShortfall,
    end_enrollment,
    groups_below_minimum,
)
from scheduler.storage.models import AuditEntry, EnrollmentRow, GroupRow, OfferRow
from scheduler.storage.repository import export_problem, import_problem

EXAMPLES = Path(__file__).resolve().parents[1] / "data"
NATURE = "g-luonto-lohja-tue"  # five participants: a01..a05
ART = "g-taide-nummela-wed"  # three participants: a06..a08, the smallest a group may be
LATER = date(2027, 3, 2)


def tiny_running(**template_min: int) -> Problem:
    """The tiny example with its planned groups running and pinned, as after publishing."""
    data = json.loads((EXAMPLES / "tiny-problem.json").read_text())
    plan = json.loads((EXAMPLES / "tiny-plan.json").read_text())
    data["groups"] = [dict(g, pinned=True, new=False) for g in plan["groups"]]
    for template in data["templates"]:
        template["min_size"] = template_min.get(template["id"], template["min_size"])
    return parse_problem(data)


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    with session_scope(engine) as session:
        import_problem(session, tiny_running())
    return engine


def exported(engine: Engine) -> Problem:
    with session_scope(engine) as session:
        return export_problem(session)


def participants(problem: Problem, group_id: str) -> list[str]:
    return next(g.participants for g in problem.groups if g.id == group_id)


def end(engine: Engine, client: str, group: str, **kwargs):
    with session_scope(engine) as session:
        return end_enrollment(
            session,
            client,
            group,
            kwargs.pop("status", "completed"),
            kwargs.pop("on", LATER),
            kwargs.pop("actor", "sara"),
            **kwargs,
        )


def test_ending_a_seat_frees_it_and_the_client_leaves_the_service(seeded: Engine) -> None:
    change = end(seeded, "a01", NATURE)
    assert (change.active, change.below_minimum, change.left_service) == (4, False, True)
    problem = exported(seeded)
    assert participants(problem, NATURE) == ["a02", "a03", "a04", "a05"]
    assert "a01" not in {c.id for c in problem.clients}
    with session_scope(seeded) as session:
        seat = session.scalars(select(EnrollmentRow).where(EnrollmentRow.client_id == "a01")).one()
        assert (seat.status, seat.to_date) == ("completed", LATER)


def test_a_client_who_leaves_the_service_lets_their_pending_offer_go(seeded: Engine) -> None:
    """An offer still held by a client who left would name a client the next plan's problem has not: it is
    withdrawn, and the database still exports as a valid problem."""
    with session_scope(seeded) as session:
        session.add(
            OfferRow(
                client_id="a01",
                group_id=ART,
                status="pending",
                made_on=LATER,
                starts_on=LATER,
                reply_by=date(2027, 3, 9),
            )
        )
    end(seeded, "a01", NATURE)
    with session_scope(seeded) as session:
        offer = session.scalars(select(OfferRow).where(OfferRow.client_id == "a01")).one()
    assert (offer.status, offer.answered_by) == ("withdrawn", "sara")
    assert "a01" not in participants(exported(seeded), ART)


def test_stay_waiting_keeps_the_client_on_the_waiting_list(seeded: Engine) -> None:
    change = end(seeded, "a01", NATURE, status="interrupted", leaves_service=False)
    assert change.status == "interrupted" and not change.left_service
    problem = exported(seeded)
    assert "a01" not in participants(problem, NATURE)
    assert "a01" in {c.id for c in problem.clients}


def test_group_falling_from_three_to_two_is_flagged_and_keeps_running(seeded: Engine) -> None:
    with session_scope(seeded) as session:
        assert groups_below_minimum(session) == []
    change = end(seeded, "a06", ART, status="interrupted")
    assert (change.active, change.needed, change.below_minimum) == (2, 3, True)
    assert participants(exported(seeded), ART) == ["a07", "a08"]
    with session_scope(seeded) as session:
        assert session.get(GroupRow, ART).status == "running"
        assert groups_below_minimum(session) == [GroupShortfall(ART, "taide", 2, 3)]


def test_a_template_minimum_above_three_is_what_a_group_needs(engine: Engine) -> None:
    with session_scope(engine) as session:
        import_problem(session, tiny_running(luonto=6))
        assert groups_below_minimum(session) == [GroupShortfall(NATURE, "luonto", 5, 6)]


@pytest.mark.parametrize(
    ("client", "group", "message"),
    [
        ("nobody", NATURE, "no client 'nobody' in the database"),
        ("a01", "g-nowhere", "no group 'g-nowhere' in the database"),
        ("a01", ART, f"client 'a01' has no active seat in group '{ART}'"),
    ],
)
def test_a_seat_that_is_not_there_is_a_plain_error(seeded: Engine, client: str, group: str, message: str) -> None:
    with pytest.raises(EnrollmentError) as raised:
        end(seeded, client, group)
    assert str(raised.value) == message


def test_a_seat_ends_only_once(seeded: Engine) -> None:
    end(seeded, "a01", NATURE)
    with pytest.raises(
        EnrollmentError,
        match=f"no active seat in group '{NATURE}' "
        r"\(their seat there was completed on 2027-03-02\)",
    ):
        end(seeded, "a01", NATURE)


def test_a_seat_given_up_before_the_term_ends_on_its_first_day(seeded: Engine) -> None:
    change = end(seeded, "a01", NATURE, on=date(2026, 12, 31))
    with session_scope(seeded) as session:
        seat = session.scalars(
            select(EnrollmentRow).where(EnrollmentRow.client_id == "a01", EnrollmentRow.group_id == NATURE)
        ).one()
    assert seat.status != "active" and seat.to_date == date(2027, 1, 11)
    assert change.active == 4


def test_a_client_seated_elsewhere_cannot_leave_the_service(seeded: Engine) -> None:
    with session_scope(seeded) as session:
        session.add(EnrollmentRow(client_id="a01", group_id=ART, from_date=date(2027, 1, 11)))
    with pytest.raises(EnrollmentError, match=f"still has an active seat in group '{ART}'"):
        end(seeded, "a01", NATURE)
    assert end(seeded, "a01", NATURE, leaves_service=False).active == 4
    assert "a01" in participants(exported(seeded), ART)


def test_a_failed_transaction_frees_no_seat(seeded: Engine) -> None:
    with pytest.raises(RuntimeError), session_scope(seeded) as session:
        end_enrollment(session, "a01", NATURE, "completed", LATER, "sara")
        raise RuntimeError("the coordinator's screen crashed")
    assert "a01" in participants(exported(seeded), NATURE)


def test_every_seat_change_is_audited(seeded: Engine) -> None:
    end(seeded, "a01", NATURE, actor="aino")
    end(seeded, "a06", ART, status="interrupted", leaves_service=False, actor="sara")
    with session_scope(seeded) as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action != "import").order_by(AuditEntry.id)).all()
        logged = [(e.actor, e.action, e.entity, e.detail) for e in entries]
    assert logged[0][:3] == ("aino", "complete", "enrollment")
    assert logged[0][3] == {
        "client": "a01",
        "group": NATURE,
        "status": "completed",
        "on": "2027-03-02",
        "left_service": True,
        "end_reason": "completed",
        "next_step": None,
        "active": 4,
        "needed": 3,
    }
    assert logged[1][:3] == ("sara", "interrupt", "enrollment")
    assert logged[2] == ("sara", "below_minimum", "group", {"active": 2, "needed": 3})
    assert len(logged) == 3


def test_two_seats_ending_in_one_group_take_turns(seeded: Engine, database_url: str) -> None:
    """The second change waits for the first and counts what it left (row locks on PostgreSQL,
    the whole file on SQLite)."""
    results: dict[str, int] = {}
    with session_scope(seeded) as first:
        results["first"] = end_enrollment(first, "a06", ART, "completed", LATER, "aino").active
        later = lambda: results.update(second=end(seeded, "a07", ART).active)  # noqa: E731
        second = threading.Thread(target=later)
        second.start()
        second.join(timeout=1)
        assert second.is_alive(), "the second change should wait for the group's lock"
    second.join(timeout=10)
    assert results == {"first": 2, "second": 1}


def cli(database_url: str, monkeypatch: pytest.MonkeyPatch, *args: str):
    monkeypatch.setenv("TARJOTIN_DATABASE_URL", database_url)
    return CliRunner().invoke(app, ["enrollment", *args])


def test_cli_ends_a_seat_and_lists_short_groups(
    seeded: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "no running group is below" in cli(database_url, monkeypatch, "short").output
    ended = cli(
        database_url,
        monkeypatch,
        "end",
        "a06",
        ART,
        "--on",
        "2027-03-02",
        "--interrupted",
        "--stay-waiting",
        "--actor",
        "sara",
    )
    assert ended.exit_code == 0, ended.output
    assert "a06 interrupted" in ended.output and "below minimum" in ended.output
    listed = cli(database_url, monkeypatch, "short")
    assert listed.exit_code == 0 and f"{ART} (taide): 2 active, needs 3" in listed.output
    problem = exported(seeded)
    assert "a06" not in participants(problem, ART) and "a06" in {c.id for c in problem.clients}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["end", "a01", ART], f"client 'a01' has no active seat in group '{ART}'"),
        (["end", "a01", NATURE, "--on", "2. maaliskuuta"], "is not a date"),
        (["end", "a01", NATURE, "--reason", "bored"], "end_reason: 'bored' is not an end reason"),
        (["end", "a01", NATURE, "--reason", "work", "--next-step", "mars"], "next_step: 'mars' is not a next step"),
    ],
)
def test_cli_errors_are_one_plain_line(
    seeded: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    result = cli(database_url, monkeypatch, *args)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_a_seat_ends_with_its_reason_and_next_step(seeded: Engine) -> None:
    end(seeded, "a06", ART, status="interrupted", leaves_service=False, reason="work", next_step="work")
    with session_scope(seeded) as session:
        seat = session.scalars(select(EnrollmentRow).where(EnrollmentRow.client_id == "a06")).one()
        assert (seat.status, seat.end_reason, seat.next_step) == ("interrupted", "work", "work")


@pytest.mark.parametrize(
    ("status", "reason", "step", "field"),
    [
        ("interrupted", "bored", None, "end_reason"),
        ("interrupted", None, "mars", "next_step"),
        ("interrupted", "completed", None, "end_reason"),
        ("completed", "health", None, "end_reason"),
    ],
)
def test_an_unknown_or_contradicting_end_reason_is_refused_naming_it(
    seeded: Engine, status: Ending, reason: str | None, step: str | None, field: str
) -> None:
    with pytest.raises(Invalid) as refused:
        end(seeded, "a06", ART, status=status, leaves_service=False, reason=reason, next_step=step)
    assert refused.value.errors[0].field == field
    assert "a06" in participants(exported(seeded), ART)


def test_cli_ends_a_seat_with_a_reason_and_next_step(
    seeded: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ended = cli(database_url, monkeypatch, "end", "a01", NATURE, "--reason", "education", "--next-step", "education")
    assert ended.exit_code == 0, ended.output
    assert "a01 interrupted group" in ended.output and "(education)" in ended.output
    with session_scope(seeded) as session:
        seat = session.scalars(select(EnrollmentRow).where(EnrollmentRow.client_id == "a01")).one()
        assert (seat.status, seat.end_reason, seat.next_step) == ("interrupted", "education", "education")
