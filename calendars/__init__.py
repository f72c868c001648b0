"""Pure iCalendar rendering of the group offering: plain values in (`calendars.model`), bytes out.

No database and no clock: the application hands over published groups with their sessions,
and `render` returns the same bytes for the same data.
"""

from .model import LANGS, Feed, FeedKind, Lang, Occurrence, Organizer, Place, Series, Skip
from .render import PRODID, render
from .timezone import TZID

__all__ = ["LANGS", "PRODID", "TZID", "Feed", "FeedKind", "Lang", "Occurrence", "Organizer", "Place", "Series",
           "Skip", "render"]
