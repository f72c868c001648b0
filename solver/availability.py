"""Who is available for a whole session, as bit masks over a list of people."""

from __future__ import annotations

from collections.abc import Sequence

from scheduler.contract import Staff, Window, minutes

__all__ = ["Availability"]


class Availability:
    """Answers "who of these people has a window covering day, start..end?" with a cached mask."""

    def __init__(self, windows: Sequence[Sequence[Window]]) -> None:
        self._by_day: dict[str, list[tuple[int, int, int]]] = {}
        for person, person_windows in enumerate(windows):
            for w in person_windows:
                self._by_day.setdefault(w.day, []).append((minutes(w.start), minutes(w.end), person))
        self._cache: dict[tuple[str, int, int, int], int] = {}

    def covering(self, day: str, start: int, end: int, weekly: int = 0, staff: Sequence[Staff] = ()) -> int:
        """Mask of people with one window covering [start, end]; with staff, also weekly >= minutes."""
        key = (day, start, end, weekly)
        if key not in self._cache:
            mask = 0
            for ws, we, person in self._by_day.get(day, ()):
                if ws <= start and end <= we and (not staff or staff[person].max_weekly_minutes >= weekly):
                    mask |= 1 << person
            self._cache[key] = mask
        return self._cache[key]
