"""One module per rule family; each function adds its constraints to the model.

The order matters only for readability: clients, sizes, leaders, rooms, travel.
"""

from __future__ import annotations

from solver.variables import Vars
from solver.rules import clients, leaders, rooms, sizes, travel

__all__ = ["add_all"]


def add_all(v: Vars) -> None:
    """Every hard constraint of the contract (H2–H9; H1 and H10 hold by construction)."""
    clients.add(v)
    sizes.add(v)
    leaders.add(v)
    rooms.add(v)
    travel.add(v)
