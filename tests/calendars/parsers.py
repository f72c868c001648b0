"""Feeds read back by parsers nobody here wrote: python-recurring-ical-events and Mozilla's ical.js (node).

Both give the occurrences of a feed as (group id, start in UTC, status), for comparing with the
sessions worked out independently from the plan, the holidays package and the closures.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import recurring_ical_events
from icalendar import Calendar

__all__ = ["Occurrence", "expected", "ical_js", "ical_js_raw", "recurring"]

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("icaljs_expand.cjs")
HELSINKI = ZoneInfo("Europe/Helsinki")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
UID = re.compile(r"^(?P<group>.+)-\d{4}-\d{2}-\d{2}(-\d{8})?@tarjotin$")
Occurrence = tuple[str, str, str]
"""(group id, start as UTC ISO text to the minute, STATUS)."""


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


def _group(uid: str) -> str:
    found = UID.match(uid)
    assert found, f"UID {uid!r} is not group-term@tarjotin"
    return found["group"]


def recurring(body: bytes, start: date, end: date) -> list[Occurrence]:
    """Occurrences by python-recurring-ical-events."""
    calendar = Calendar.from_ical(body)
    found = recurring_ical_events.of(calendar).between(start, end)
    return sorted((_group(str(e["UID"])), _utc(e.decoded("DTSTART")), str(e.get("STATUS"))) for e in found)


def ical_js_raw(body: bytes, end: date) -> dict[str, Any]:
    """What ical.js, run with node, reads: the calendar's name and each occurrence with its details."""
    done = subprocess.run(
        ["node", str(SCRIPT), end.isoformat()], input=body, capture_output=True, cwd=ROOT, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    return dict(json.loads(done.stdout))


def ical_js(body: bytes, end: date) -> tuple[str, list[Occurrence]]:
    """The calendar's name and its occurrences by ical.js."""
    data = ical_js_raw(body, end)
    occurrences = sorted((_group(o["uid"]), o["start"][:16], o["status"]) for o in data["occurrences"])
    return data["name"], occurrences


def expected(
    groups: Iterable[dict[str, str]], term_start: date, weeks: int, closures: Iterable[date], status: str = "CONFIRMED"
) -> list[Occurrence]:
    """Every group's weekday in the term at its start time, less Finland's public holidays and the closures."""
    shut = set(closures)
    days = {term_start + timedelta(days=n) for n in range(7 * weeks)}
    off = {d for year in {d.year for d in days} for d in holidays.country_holidays("FI", years=year)}
    found = []
    for group in groups:
        for day in sorted(days):
            if DAYS[day.weekday()] == group["day"] and day not in shut | off:
                start = datetime.combine(day, time.fromisoformat(group["start"]), tzinfo=HELSINKI)
                found.append((group["id"], _utc(start), group.get("status", status)))
    return sorted(found)
