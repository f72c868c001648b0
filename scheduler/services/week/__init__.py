"""The coordinator's week: the board, staff timetables, unplaced clients, capacity, a draft's diff.

Pure services over the database for the coordinator pages (and any JSON route that
wants them); they hold no business rule of their own beyond arranging what the
offering, the travel times and the planning runs already say.
"""

from scheduler.services.week.board import Board, BoardRow, WeekGroup, load_board, week_groups
from scheduler.services.week.capacity import CapacityCell, CapacityTable, home_municipality, load_capacity
from scheduler.services.week.diff import DiffGroup, DraftDiff, MovedGroup, draft_diff
from scheduler.services.week.shape import DraftShape, latest_draft_shape, run_shape, week_shape
from scheduler.services.week.staff import (
    Drive,
    StaffLoad,
    Timetable,
    TimetableDay,
    load_staff_loads,
    load_timetable,
    load_timetables,
)
from scheduler.services.week.unplaced import ReasonGroup, Unplaced, UnplacedClient, shown_run, unplaced_of

__all__ = [
    "Board",
    "BoardRow",
    "CapacityCell",
    "CapacityTable",
    "DiffGroup",
    "DraftDiff",
    "DraftShape",
    "Drive",
    "MovedGroup",
    "ReasonGroup",
    "StaffLoad",
    "Timetable",
    "TimetableDay",
    "Unplaced",
    "UnplacedClient",
    "WeekGroup",
    "draft_diff",
    "home_municipality",
    "latest_draft_shape",
    "load_board",
    "load_capacity",
    "load_staff_loads",
    "load_timetable",
    "load_timetables",
    "run_shape",
    "shown_run",
    "unplaced_of",
    "week_groups",
    "week_shape",
]
