"""Services: what the entry points (CLI, HTTP API, pages, feeds) ask for.

Planning (snapshot, solve, draft, diff, publish, jobs), the offering, matching,
reservations, session changes, week views and feeds. Services use storage, the
solver, the checker, the calendars and the scenario; nothing below imports them.
"""
