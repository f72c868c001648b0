"""Advice for the coordinator on capacity: where it is missing (docs/advice.md)."""

from scheduler.services.advice.runs import LATEST, planned_run, run_documents
from scheduler.services.advice.shortage import HubDay, LeaderUse, RoomUse, Shortage, UnplacedRow, rule_family, shortage

__all__ = [
    "LATEST",
    "HubDay",
    "LeaderUse",
    "RoomUse",
    "Shortage",
    "UnplacedRow",
    "planned_run",
    "rule_family",
    "run_documents",
    "shortage",
]
