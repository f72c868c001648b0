"""Advice for the coordinator on capacity: where it is missing (docs/advice.md)."""

from scheduler.services.advice.shortage import HubDay, LeaderUse, RoomUse, Shortage, UnplacedRow, rule_family, shortage

__all__ = ["HubDay", "LeaderUse", "RoomUse", "Shortage", "UnplacedRow", "rule_family", "shortage"]
