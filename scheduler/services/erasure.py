"""Erasure of a client under data protection law: the person is removed everywhere, in one transaction.

What goes, and how:

- the client row, their travel times, their waiting-list places, their offers: deleted (the
  offers counted by status in the erasure's audit entry);
- their seats (enrollments): deleted. A seat row cannot keep its group and dates under a
  pseudonym: `client_id` is a required foreign key to `clients`, so a pseudonym would need
  a stand-in client row, which would show in the client lists and could be given a seat.
  Instead the erasure's own audit entry keeps how many seats each group had, by status
  (an active seat ended by the erasure counts as interrupted), and `seat_history` adds
  those counts to the rows: seats per group and status stay true after an erasure;
- every planning run: the client's entry in the problem (profile: home, languages,
  availability, interests), their place in groups' participants, their travel times,
  their place among the plan's unplaced and the id in any free text are removed; the
  counts in the run's metrics stay (anonymous);
- the audit log: their id becomes the marker `erased` (entity id, detail, note); entries
  about them lose the profile fields of their detail and their free-text note;
- stored idempotent answers that mention them (key or answer): deleted;
- advice jobs and what-ifs that mention them (a change of their travel limit or remote
  consent, their place in a re-plan or its difference): deleted, counted. They are
  analyses of a plan, made again in a minute on the scrubbed run.

Offering versions hold only a run id, and the calendar feeds cache nothing derived from
clients, so neither needs a change. The erasure itself is recorded as an audit entry
(action `erase`, entity `client`, no id) whose detail counts what was removed.
A planning run in progress holds the problem in memory and would write it back: erasure
waits until it has finished (a conflict says so). A client deleted before (their row gone)
can still be erased from what names them; an id nothing names is not found.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Delete, delete, select
from sqlalchemy.orm import Session

from scheduler.contract.errors import Conflict, NotFound
from scheduler.storage.models import (
    AdviceCandidate,
    AdviceRun,
    AuditEntry,
    ClientRow,
    EnrollmentRow,
    IdempotencyRecord,
    OfferRow,
    PlanningRun,
    SheetUpload,
    TravelOverride,
    WaitlistEntry,
    WhatIf,
)

__all__ = [
    "BUSY",
    "ERASED",
    "SEAT_COUNTS",
    "Erasure",
    "drop_erased",
    "erase_client",
    "mentions",
    "scrub",
    "seat_counts",
    "seat_history",
]

ERASED = "erased"
"""What an erased id becomes wherever a record keeps its place (audit entries, free text)."""
SEAT_COUNTS = "seats_removed"
"""The key, in an erasure's or a purge's audit detail, of the seats removed: {group: {status: count}}."""
ADVICE_BUSY = ("queued", "preparing", "verifying", "stopping")
"""The advice statuses during which a worker may still write a run's data into an advice job."""
WHATIF_BUSY = ("queued", "planning")
BUSY = ("running", "cancelling")
"""Run statuses of a solve in progress: it holds its problem in memory and writes it back."""
_ID_CHAR = r"[\w.:@+\-]"
_CLIENT_KEYS = frozenset({"client", "client_id", "clients", "participants"})
_PROFILE = frozenset(column.key for column in ClientRow.__table__.columns) - {"id"}


def _pattern(client_id: str) -> re.Pattern[str]:
    """The id as a whole word: `c1` in "client 'c1'", never in `c10`."""
    return re.compile(rf"(?<!{_ID_CHAR}){re.escape(client_id)}(?!{_ID_CHAR})")


def mentions(value: Any, client_id: str) -> bool:
    """Whether the id occurs, as a whole word, anywhere in a JSON value (keys too)."""
    found = _pattern(client_id).search
    return _mentions(value, found)


def _mentions(value: Any, found: Any) -> bool:
    if isinstance(value, str):
        return bool(found(value))
    if isinstance(value, dict):
        return any(_mentions(k, found) or _mentions(v, found) for k, v in value.items())
    if isinstance(value, list):
        return any(_mentions(item, found) for item in value)
    return False


def scrub(value: Any, client_id: str) -> Any:
    """A copy of a JSON value without the id: list items and keys that are the id are dropped,
    other text has it replaced by `erased`."""
    return _scrub(value, client_id, _pattern(client_id))


def _scrub(value: Any, client_id: str, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, list):
        return [_scrub(item, client_id, pattern) for item in value if item != client_id]
    if isinstance(value, dict):
        return {key: _scrub(item, client_id, pattern) for key, item in value.items() if key != client_id}
    return value


@dataclass
class Erasure:
    """What an erasure removed (counts only: the record of it names nobody)."""

    seats: dict[str, dict[str, int]] = field(default_factory=dict)
    offers: dict[str, int] = field(default_factory=dict)
    waitlist: int = 0
    travel_times: int = 0
    runs: int = 0
    audit_entries: int = 0
    idempotency_keys: int = 0
    analyses: int = 0
    uploads: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            SEAT_COUNTS: self.seats,
            "offers_removed": self.offers,
            "waitlist_removed": self.waitlist,
            "travel_times_removed": self.travel_times,
            "runs_scrubbed": self.runs,
            "audit_entries_scrubbed": self.audit_entries,
            "idempotency_keys_removed": self.idempotency_keys,
            "analyses_removed": self.analyses,
            "uploads_removed": self.uploads,
        }


def seat_counts(seats: Iterable[EnrollmentRow], ended_now: str | None = None) -> dict[str, dict[str, int]]:
    """Seats by group and status; with `ended_now`, active seats count under that status."""
    counts: dict[str, Counter[str]] = {}
    for seat in seats:
        status = ended_now if ended_now and seat.status == "active" else seat.status
        counts.setdefault(seat.group_id, Counter())[status] += 1
    return {group: dict(sorted(by_status.items())) for group, by_status in sorted(counts.items())}


def seat_history(session: Session) -> dict[str, dict[str, int]]:
    """Every seat ever given, by group and status: the seat rows, and the seats erasures and purges removed."""
    total: dict[str, Counter[str]] = {}
    for group, by_status in seat_counts(session.scalars(select(EnrollmentRow))).items():
        total.setdefault(group, Counter()).update(by_status)
    records = select(AuditEntry.detail).where(AuditEntry.action.in_(("erase", "purge")))
    for detail in session.scalars(records):
        for group, by_status in (detail or {}).get(SEAT_COUNTS, {}).items():
            total.setdefault(group, Counter()).update(by_status)
    return {group: dict(sorted(by_status.items())) for group, by_status in sorted(total.items())}


def erase_client(session: Session, client_id: str, actor: str, now: datetime) -> Erasure:
    """Remove the client everywhere (see the module); the caller commits.

    A client whose row was deleted without erasure is erased from what still names them;
    an id that nothing names is NotFound.
    """
    client = session.get(ClientRow, client_id, with_for_update=True)
    if client is None and not _traces_left(session, client_id):
        raise NotFound(f"no client '{client_id}'")
    busy = session.scalars(select(PlanningRun.id).where(PlanningRun.status.in_(BUSY))).first()
    if busy is not None:
        raise Conflict(
            f"planning run {busy} is running and holds the client's data: wait for it to end or cancel it, "
            "then erase again"
        )
    analysing = session.scalars(select(AdviceRun.id).where(AdviceRun.status.in_(ADVICE_BUSY))).first()
    planning_whatif = session.scalars(select(WhatIf.id).where(WhatIf.status.in_(WHATIF_BUSY))).first()
    if analysing is not None or planning_whatif is not None:
        what = f"advice {analysing}" if analysing is not None else f"what-if {planning_whatif}"
        raise Conflict(
            f"{what} is running and holds the client's data: wait for it to end or stop it, then erase again"
        )
    done = Erasure()
    seats = list(session.scalars(select(EnrollmentRow).where(EnrollmentRow.client_id == client_id)))
    done.seats = seat_counts(seats, ended_now="interrupted")
    for seat in seats:
        session.delete(seat)
    offers = list(session.scalars(select(OfferRow).where(OfferRow.client_id == client_id)))
    done.offers = dict(sorted(Counter(o.status for o in offers).items()))
    for offer in offers:
        session.delete(offer)
    done.waitlist = _removed(session, delete(WaitlistEntry).where(WaitlistEntry.client_id == client_id))
    done.travel_times = _removed(
        session, delete(TravelOverride).where(TravelOverride.kind == "client", TravelOverride.source == client_id)
    )
    session.flush()
    if client is not None:
        session.delete(client)
    done.runs = _scrub_runs(session, client_id)
    done.audit_entries = _scrub_audit(session, client_id)
    done.idempotency_keys = _remove_answers(session, client_id)
    done.analyses = _remove_analyses(session, client_id)
    # A spreadsheet waiting on the import page for its go-ahead may hold the client: it would bring them back.
    # Its cells are not searched (an .xlsx is compressed); every waiting upload is let go, to be uploaded again.
    done.uploads = _removed(session, delete(SheetUpload))
    session.add(
        AuditEntry(at=now, actor=actor[:200], action="erase", entity="client", entity_id=None, detail=done.to_json())
    )
    session.flush()
    return done


def _traces_left(session: Session, client_id: str) -> bool:
    """Whether a client deleted without erasure (its row gone) is still in a run, the audit log or an answer."""
    travel = select(TravelOverride.hub_id).where(TravelOverride.kind == "client", TravelOverride.source == client_id)
    if session.scalars(travel).first() is not None:
        return True
    runs = select(PlanningRun.problem, PlanningRun.plan, PlanningRun.error)
    if any(mentions(list(row), client_id) for row in session.execute(runs)):
        return True
    audit = select(AuditEntry.entity, AuditEntry.entity_id, AuditEntry.detail, AuditEntry.note)
    for entity, entity_id, detail, note in session.execute(audit):
        if (entity == "client" and entity_id == client_id) or mentions([detail, note], client_id):
            return True
    if _analyses(session, client_id):
        return True
    answers = select(IdempotencyRecord.key, IdempotencyRecord.response)
    return any(mentions(list(row), client_id) for row in session.execute(answers))


def _analyses(session: Session, client_id: str) -> list[AdviceRun | WhatIf]:
    """The advice jobs and what-ifs that mention the client."""
    found: list[AdviceRun | WhatIf] = []
    for advice in session.scalars(select(AdviceRun).order_by(AdviceRun.id)):
        items = session.scalars(select(AdviceCandidate.item).where(AdviceCandidate.advice_id == advice.id))
        changes = session.scalars(select(AdviceCandidate.change).where(AdviceCandidate.advice_id == advice.id))
        if mentions([advice.fixed, advice.base, advice.summary, advice.error, *items, *changes], client_id):
            found.append(advice)
    for whatif in session.scalars(select(WhatIf).order_by(WhatIf.id)):
        if mentions([whatif.name, whatif.changes, whatif.plan, whatif.diff, whatif.error], client_id):
            found.append(whatif)
    return found


def _remove_analyses(session: Session, client_id: str) -> int:
    """Delete the advice jobs and what-ifs that mention the client (their candidates go with them)."""
    found = _analyses(session, client_id)
    for row in found:
        if isinstance(row, AdviceRun):
            session.execute(delete(AdviceCandidate).where(AdviceCandidate.advice_id == row.id))
        session.delete(row)
    return len(found)


def _removed(session: Session, statement: Delete) -> int:
    """Delete, and say how many rows went."""
    return cast(CursorResult[Any], session.execute(statement)).rowcount


def _scrub_runs(session: Session, client_id: str) -> int:
    """Take the client out of every run's problem and plan; the number of runs changed."""
    changed = 0
    for run in session.scalars(select(PlanningRun).order_by(PlanningRun.id)):
        columns = {"problem": run.problem, "plan": run.plan, "metrics": run.metrics, "progress": run.progress}
        if not (any(mentions(value, client_id) for value in columns.values()) or mentions(run.error, client_id)):
            continue
        run.problem = scrub_problem(run.problem, client_id)
        if run.plan is not None:
            run.plan = scrub_plan(run.plan, client_id)
        run.metrics = scrub(run.metrics, client_id) if run.metrics is not None else None
        run.progress = scrub(run.progress, client_id) if run.progress is not None else None
        run.error = scrub(run.error, client_id) if run.error is not None else None
        changed += 1
    return changed


def scrub_problem(problem: dict[str, Any], client_id: str) -> dict[str, Any]:
    """A problem document without the client: their profile, their places in groups, their travel times."""
    data = copy.deepcopy(problem)
    data["clients"] = [c for c in data.get("clients", []) if not (isinstance(c, dict) and c.get("id") == client_id)]
    for group in data.get("groups", []):
        if isinstance(group, dict) and isinstance(group.get("participants"), list):
            group["participants"] = [p for p in group["participants"] if p != client_id]
    travel = data.get("travel")
    if isinstance(travel, dict) and isinstance(travel.get("client_minutes"), dict):
        travel["client_minutes"].pop(client_id, None)
    return data


def scrub_plan(plan: dict[str, Any], client_id: str) -> dict[str, Any]:
    """A plan document without the client: not among any group's participants nor the unplaced."""
    data = copy.deepcopy(plan)
    for group in data.get("groups", []):
        if isinstance(group, dict) and isinstance(group.get("participants"), list):
            group["participants"] = [p for p in group["participants"] if p != client_id]
    data["unassigned"] = [
        scrub(left, client_id)
        for left in data.get("unassigned", [])
        if not (isinstance(left, dict) and left.get("client") == client_id)
    ]
    return data


def drop_erased(session: Session, run: PlanningRun) -> list[str]:
    """Take out of the run the clients erased while it was planned; the ids dropped.

    A run reads the clients before it is stored as running, so an erasure that commits in
    between does not see it; the run drops such clients when it ends, before it is stored.
    """
    named = {c["id"] for c in run.problem.get("clients", []) if isinstance(c, dict) and "id" in c}
    if not named:
        return []
    kept = set(session.scalars(select(ClientRow.id).where(ClientRow.id.in_(named))))
    gone = sorted(named - kept)
    for client_id in gone:
        run.problem = scrub_problem(run.problem, client_id)
        if run.plan is not None:
            run.plan = scrub_plan(run.plan, client_id)
    return gone


def _scrub_audit(session: Session, client_id: str) -> int:
    """Put `erased` for the id in the audit log, and strip profile fields from entries about the client."""
    changed = 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        about = entry.entity == "client" and entry.entity_id == client_id
        if not (about or mentions(entry.detail, client_id) or mentions(entry.note, client_id)):
            continue
        if about:
            entry.entity_id = ERASED
        detail = _marked(entry.detail, client_id)
        if about and isinstance(detail, dict):
            detail = {key: value for key, value in detail.items() if key not in _PROFILE}
        entry.detail = detail
        entry.note = None if about or entry.note is None else scrub(entry.note, client_id)
        changed += 1
    return changed


def _marked(value: Any, client_id: str) -> Any:
    """An audit detail with the id replaced by `erased` (kept in place, so the entry still reads)."""
    if isinstance(value, dict):
        return {
            (ERASED if key == client_id else key): (
                ERASED if key in _CLIENT_KEYS and item == client_id else _marked(item, client_id)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [ERASED if item == client_id else _marked(item, client_id) for item in value]
    return scrub(value, client_id) if isinstance(value, str) else value


def _remove_answers(session: Session, client_id: str) -> int:
    """Delete the stored idempotent answers whose key or answer mentions the client."""
    found = _pattern(client_id).search
    gone = [
        record
        for record in session.scalars(select(IdempotencyRecord))
        if found(record.key) or mentions(record.response, client_id)
    ]
    for record in gone:  # each caller's own record (a key is unique per caller, not overall)
        session.delete(record)
    session.flush()
    return len(gone)
