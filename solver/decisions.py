"""Where a client's decisions let them be placed anew: `decision_in_force`, `declined_not_offered`.

A client with decisions on record joins a new group only on a weekday with at least one
session inside a service period in force (`scheduler.contract.service`: decisions merged
without gaps, capped at 18 months). The sessions that count are the weekday's dates from
`problem.first_seat_day` to the term's end that are held (`scheduler.contract.term`: no
Finnish public holiday, no closure). The solver holds this by giving the client, in its
instance, only the windows of those weekdays; a client left with none is never placed
and is told the reason `decision` with the date that explains it. A client with no
decision on record has no limit at all, so a problem written before decisions plans as it did.

A group the client declined (`client.declined`, by group id) is not offered again: the
client is masked out of that input group's candidate, unless they already take part in it.

A group with its own term (`start_date`, `sessions`: `solver.terms`) counts only its own
sessions: a client with decisions is masked out of it unless a decision is in force on one
of its held sessions from the first seat day (`term_held`, `DecisionDays.in_force`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from scheduler.contract import DAYS, Client, Problem, Reason
from scheduler.contract.service import ServicePeriod, service_periods
from scheduler.contract.term import session_dates, term_end

__all__ = ["DecisionDays", "decision_days", "held_dates", "restricted", "term_held"]


@dataclass(frozen=True)
class DecisionDays:
    """The weekdays a client with decisions may be placed on anew, and why there are none when empty."""

    days: frozenset[str]
    reason: Reason | None = None
    periods: tuple[ServicePeriod, ...] = field(default=(), compare=False)
    """The client's service periods in force (merged decisions), for a group with its own term."""

    def in_force(self, dates: list[date]) -> bool:
        """Whether one of these session dates lies in a period in force."""
        return any(p.start <= d <= p.end for p in self.periods for d in dates)


def held_dates(problem: Problem) -> dict[str, list[date]]:
    """Each weekday's held session dates from the first seat day to the term's end."""
    first = problem.first_seat_day
    return {
        day: [
            s.day
            for s in session_dates(day, problem.term.start, problem.term.weeks, problem.closures)
            if s.cancelled_because is None and s.day >= first
        ]
        for day in DAYS
    }


def term_held(held: dict[str, list[date]], day: str, first: date, last: date) -> list[date]:
    """The held session dates (from the first seat day) of a group with its own term from `first` to `last`:
    a client with decisions joins it anew only with a decision in force on one of them (`decision_in_force`)."""
    return [d for d in held.get(day, []) if first <= d <= last]


def decision_days(problem: Problem, client: Client, held: dict[str, list[date]]) -> DecisionDays | None:
    """The weekdays with a session in force for a client with decisions (`decision_in_force`); None: no limit."""
    if not client.decisions:
        return None
    periods = service_periods(client.decisions)
    days = frozenset(day for day, dates in held.items() if any(p.start <= d <= p.end for p in periods for d in dates))
    return DecisionDays(days, None if days else _why_none(problem, periods), tuple(periods))


def _why_none(problem: Problem, periods: list[ServicePeriod]) -> Reason:
    """The reason `decision`: the cap reached, the next decision after the term, the last one ended,
    or no held session inside the period in force."""
    first, last = problem.first_seat_day, term_end(problem.term.start, problem.term.weeks)
    earlier = [p for p in periods if p.end < first]
    later = [p for p in periods if p.start > last]
    during = [p for p in periods if p not in earlier and p not in later]
    if during:
        p = during[0]
        return _reason(
            f"no session from {first} to the term's end falls within the decision in force ({p.start} to {p.end})",
            "no_session",
            start=p.start,
            end=p.end,
        )
    if earlier and earlier[-1].capped and earlier[-1].decided_until >= first:
        return _reason(f"the service reached its 18-month limit on {earlier[-1].end}", "cap", date=earlier[-1].end)
    if later:
        start = later[0].start
        return _reason(f"the next decision starts on {start}, after the term", "after_term", date=start)
    return _reason(
        f"no decision in force from {first}: the last one ended on {earlier[-1].end}",
        "ended",
        first=first,
        date=earlier[-1].end,
    )


def _reason(detail: str, case: str, **dates: date) -> Reason:
    return Reason(code="decision", detail=detail, args={"case": case, **{k: v.isoformat() for k, v in dates.items()}})


def restricted(client: Client, limit: DecisionDays | None) -> Client:
    """The client as the solver sees them: only the windows of the weekdays their decisions allow."""
    if limit is None:
        return client
    return client.model_copy(update={"available": [w for w in client.available if w.day in limit.days]})
