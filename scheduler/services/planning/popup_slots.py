"""How many open pop-up sessions a week the county runs: the planner's `Problem.popup_slots`.

A coordinator sets it (`PUT /planning/settings`, `tarjotin popups slots N`); the next
planning run places up to that many pop-ups a week where waiting clients live whom no
rostered group could take. Stored in the planning frame (`PlanningSettings.popup_slots`) and
exported with the problem.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from scheduler.contract.errors import Invalid, NotFound
from scheduler.storage.models import AuditEntry, PlanningSettings

__all__ = ["MAX_POPUP_SLOTS", "popup_slots", "set_popup_slots"]

MAX_POPUP_SLOTS = 200
"""The contract's bound (`Problem.popup_slots`)."""


def popup_slots(session: Session) -> int:
    """The pop-up slots a week (none before a planning frame is imported)."""
    frame = session.get(PlanningSettings, 1)
    return frame.popup_slots if frame is not None else 0


def set_popup_slots(session: Session, actor: str, slots: int) -> int:
    """Set the pop-up slots a week (a planning frame must exist: `tarjotin import` first); audited."""
    if not 0 <= slots <= MAX_POPUP_SLOTS:
        raise Invalid.of("popup_slots", f"{slots} pop-up slots a week: give 0 to {MAX_POPUP_SLOTS}")
    frame = session.get(PlanningSettings, 1)
    if frame is None:
        raise NotFound("no planning settings: import a problem first (`tarjotin import`)")
    before, frame.popup_slots = frame.popup_slots, slots
    session.add(
        AuditEntry(
            actor=actor[:200],
            action="update",
            entity="planning_settings",
            entity_id=None,
            detail={"popup_slots": slots, "before": before},
        )
    )
    session.flush()
    return slots
