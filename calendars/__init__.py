"""Pure iCalendar rendering of the group offering: plain values in (`calendars.model`), bytes out.

No database and no clock: the application hands over published groups with their sessions,
and `render` returns the same bytes for the same data.
"""

from calendars.model import LANGS, Feed, FeedKind, Lang, Occurrence, Organizer, Place, Series, Skip
from calendars.render import PRODID, render
from calendars.timezone import TZID

__all__ = [
    "LANGS",
    "PRODID",
    "TZID",
    "Feed",
    "FeedKind",
    "Lang",
    "Occurrence",
    "Organizer",
    "Place",
    "Series",
    "Skip",
    "render",
]
