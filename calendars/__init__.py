"""iCalendar rendering (issue 5)."""
