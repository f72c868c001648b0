"""The clients a planning run could not place, grouped by the reason the solver gave.

A client with reasons of several families is listed under each (as in the printed
summary). Groups follow the solver's order of rule families; within a group the
longest-waiting client comes first, and a client waiting near or past the statutory
three months (Social Welfare Act §45) is marked urgent. Clients appear by their
pseudonymous ids only: these lists are for coordinators.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.contract import REASON_CODES, parse_plan
from scheduler.storage.models import PlanningRun

__all__ = ["ReasonGroup", "UnplacedClient", "Unplaced", "shown_run", "unplaced_of"]

STATUTORY_DAYS = 91
URGENT_DAYS = STATUTORY_DAYS - 14


@dataclass(frozen=True)
class UnplacedClient:
    client_id: str
    detail: str
    """The planner's detail in English; `args` hold its parts for saying it in the page's language."""
    languages: tuple[str, ...]
    waiting_since: date | None
    days_waiting: int | None
    args: dict[str, object] | None = None

    @property
    def urgent(self) -> bool:
        """Waiting near (two weeks before) or past the three months within which a decision is carried out."""
        return self.days_waiting is not None and self.days_waiting >= URGENT_DAYS


@dataclass
class ReasonGroup:
    code: str
    clients: list[UnplacedClient] = field(default_factory=list)

    @property
    def urgent(self) -> int:
        return sum(c.urgent for c in self.clients)


@dataclass
class Unplaced:
    """Who a run left out: each reason with its clients; `total` counts each client once."""

    run_id: int
    status: str
    total: int
    groups: list[ReasonGroup]


def shown_run(session: Session, run_id: int | None = None) -> PlanningRun | None:
    """The run asked for, else the newest published run."""
    if run_id is not None:
        return session.get(PlanningRun, run_id)
    query = select(PlanningRun).where(PlanningRun.status == "published").order_by(PlanningRun.id.desc()).limit(1)
    return session.scalars(query).first()


def unplaced_of(run: PlanningRun, today: date) -> Unplaced | None:
    """The run's unplaced clients by reason; None while it has no plan (running, failed, cancelled)."""
    if run.plan is None:
        return None
    plan = parse_plan(run.plan)
    clients = {c["id"]: c for c in run.problem.get("clients", [])}
    groups: dict[str, ReasonGroup] = {}
    for left in plan.unassigned:
        client = clients.get(left.client, {})
        since = date.fromisoformat(client["waiting_since"]) if "waiting_since" in client else None
        for reason in {r.code: r for r in reversed(left.reasons)}.values():
            groups.setdefault(reason.code, ReasonGroup(reason.code)).clients.append(
                UnplacedClient(
                    left.client,
                    reason.detail,
                    tuple(client.get("languages", [])),
                    since,
                    max((today - since).days, 0) if since else None,
                    dict(reason.args) if reason.args else None,
                )
            )
    order = {code: i for i, code in enumerate(REASON_CODES)}
    for group in groups.values():
        group.clients.sort(key=lambda c: (c.waiting_since or date.max, c.client_id))
    ranked = sorted(groups.values(), key=lambda g: (order.get(g.code, len(order)), g.code))
    return Unplaced(run.id, run.status, len(plan.unassigned), ranked)
