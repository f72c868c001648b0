"""The Europe/Helsinki VTIMEZONE in its RRULE form.

Written out, not generated: generators often list every transition as RDATEs, which
Outlook misreads. EU rules: summer time from the last Sunday of March, 03:00 local
(01:00 UTC), to the last Sunday of October, 04:00 local (01:00 UTC).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

__all__ = ["TZID", "helsinki"]

TZID = "Europe/Helsinki"


def _part(
    kind: type[TimezoneDaylight] | type[TimezoneStandard],
    name: str,
    start: datetime,
    month: int,
    before: int,
    after: int,
) -> TimezoneDaylight | TimezoneStandard:
    part = kind()
    part.add("tzname", name)
    part.add("dtstart", start)
    part.add("tzoffsetfrom", timedelta(hours=before))
    part.add("tzoffsetto", timedelta(hours=after))
    part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
    return part


def helsinki() -> Timezone:
    """VTIMEZONE for Europe/Helsinki: one DAYLIGHT and one STANDARD rule, each a yearly RRULE."""
    zone = Timezone()
    zone.add("tzid", TZID)
    zone.add("x-lic-location", TZID)
    zone.add_component(_part(TimezoneDaylight, "EEST", datetime(1970, 3, 29, 3, 0), 3, 2, 3))
    zone.add_component(_part(TimezoneStandard, "EET", datetime(1970, 10, 25, 4, 0), 10, 3, 2))
    return zone
