"""The coordinator's week as one workbook: the board, the staff timetables, the unplaced clients, the
capacity table and the county figures, a sheet each, in Finnish, Swedish or English.

Every sheet is laid out from the record its page shows, read by the same service
(`scheduler.services.week`, `scheduler.services.figures`) and named with the same labels
(`api.pages.week`, `api.pages.reports`, `api.pages.labels`), so a figure in the workbook is the
figure on the page. Each sheet is a plain table, one row per thing, so a spreadsheet can filter,
sort and sum it: the board one row per group, the timetables one row per session or drive (and a
total row per member), the capacity one row per municipality and language. Feedback comments are
left out of the figures, as from their CSV: a file travels further than the coordinators' page.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time

from sqlalchemy.orm import Session

from api.exports.xlsx import Cell, Sheet, Styled, workbook_bytes
from api.pages import labels
from api.pages.i18n import N_, Lang
from api.pages.reports import chart_rows, decline_names
from api.pages.week import REASON_TITLES
from scheduler.contract import TemplateName
from scheduler.i18n import NC_
from scheduler.services.figures import CountyFigures, county_figures
from scheduler.services.figures.activity import REMOTE
from scheduler.services.week import (
    CapacityTable,
    Drive,
    Timetable,
    Unplaced,
    load_board,
    load_capacity,
    load_timetables,
    shown_run,
    unplaced_of,
)
from scheduler.services.week.board import Board

__all__ = [
    "DATE_FORMATS",
    "board_sheet",
    "capacity_sheet",
    "figures_sheet",
    "staff_sheet",
    "unplaced_sheet",
    "week_sheets",
    "week_workbook",
    "workbook_name",
]

DATE_FORMATS = {"fi": "d.m.yyyy", "sv": "d.m.yyyy", "en": "yyyy-mm-dd"}
"""Dates as the pages write them short: 6.1.2027 in Finnish and Swedish, 2027-01-06 in English."""
PERCENT = "0%"
"""A share as the page shows it: a whole percentage."""


def _clock(text: str) -> time:
    """A contract time ("09:30") as a time of day, for the spreadsheet to sort and format."""
    return time.fromisoformat(text)


def _name(name: TemplateName, lang: Lang) -> str:
    return getattr(name, lang.code, None) or name.fi


def _languages(codes: Iterable[str], lang: Lang) -> str:
    return ", ".join(lang.language_name(code) for code in codes)


def board_sheet(board: Board, lang: Lang) -> Sheet:
    """The week board (`/week`): a row per running group, by hub (in the board's order), weekday and time."""
    t = lang.gettext
    sheet = Sheet(
        t(N_("Week board")),
        [
            t(N_("Municipality")),
            t(N_("Hub")),
            t(N_("Weekday")),
            t(N_("Start")),
            t(N_("End")),
            t(N_("Group")),
            t(N_("Language")),
            t(N_("Leaders")),
            t(N_("Seats taken")),
            t(N_("Capacity")),
            t(N_("Free seats")),
        ],
    )
    for row in board.rows:
        for day in board.days:
            for g in row.cells.get(day, []):
                sheet.rows.append(
                    [
                        row.municipality or t(N_("Remote groups")),
                        row.name or t(N_("Remote, online")),
                        lang.weekday(day, alone=True),
                        _clock(g.start),
                        _clock(g.end),
                        _name(g.name, lang),
                        lang.language_name(g.language),
                        ", ".join(g.leaders),
                        g.taken,
                        g.capacity,
                        g.free,
                    ]
                )
    return sheet


def _drive(drive: Drive, lang: Lang) -> str:
    """A drive in the timetable page's words: "Drive 25 min: Lohja → Nummela"."""
    places = {"from": drive.from_hub, "to": drive.to_hub}
    if drive.minutes is None:
        return lang.gettext(N_("Drive: %(from)s → %(to)s (time not known)"), **places)
    took = lang.ngettext("%(num)d min", "%(num)d min", drive.minutes)
    return lang.gettext(N_("Drive %(time)s: %(from)s → %(to)s"), time=took, **places)


def staff_sheet(tables: list[Timetable], lang: Lang) -> Sheet:
    """Every staff member's timetable (`/week/staff/{id}`): their sessions and drives day by day, in
    time order, then a row with their week in all (session minutes, their maximum, minutes driven)."""
    t = lang.gettext
    sheet = Sheet(
        t(N_("Staff timetables")),
        [
            t(N_("Staff member")),
            t(N_("Day")),
            t(N_("Start")),
            t(N_("End")),
            t(N_("Group or drive")),
            t(N_("Where")),
            t(N_("Language")),
            t(N_("Seats taken")),
            t(N_("Capacity")),
            t(N_("Session minutes")),
            t(N_("Drive minutes")),
            t(N_("Weekly limit (min)")),
        ],
    )
    for table in tables:
        load = table.load
        for day in table.days:
            weekday = lang.weekday(day.day, alone=True)
            for item in day.items:
                if isinstance(item, Drive):
                    drive = _drive(item, lang)
                    sheet.rows.append(
                        [load.name, weekday, None, None, drive, item.to_hub, None, None, None, None, item.minutes, None]
                    )
                else:
                    sheet.rows.append(
                        [
                            load.name,
                            weekday,
                            _clock(item.start),
                            _clock(item.end),
                            _name(item.name, lang),
                            item.hub or t(N_("Remote, online")),
                            lang.language_name(item.language),
                            item.taken,
                            item.capacity,
                            item.minutes,
                            None,
                            None,
                        ]
                    )
        total = t(N_("The week in all"))
        sheet.rows.append(
            [
                load.name,
                None,
                None,
                None,
                total,
                load.base_hub,
                _languages(load.languages, lang),
                None,
                None,
                load.session_minutes,
                table.drive_minutes,
                load.max_weekly_minutes,
            ]
        )
    return sheet


def unplaced_sheet(unplaced: Unplaced | None, lang: Lang) -> Sheet:
    """The clients the shown run left out (`/week/unplaced`): a row per client and reason, reasons in the
    solver's order, the longest-waiting first; an empty sheet (bar its header) when nothing is published."""
    t = lang.gettext
    sheet = Sheet(
        t(N_("Unplaced clients")),
        [
            t(N_("Planning run")),
            t(N_("Reason")),
            t(N_("Client")),
            t(N_("Languages")),
            t(N_("Waiting since")),
            t(N_("Days waiting")),
            t(N_("Urgent")),
            t(N_("Planner's detail")),
        ],
    )
    for group in unplaced.groups if unplaced else []:
        title = t(REASON_TITLES.get(group.code, group.code))
        for c in group.clients:
            said = labels.reason(group.code, c.args, c.detail, lang)
            sheet.rows.append(
                [
                    unplaced.run_id if unplaced else None,
                    title,
                    c.client_id,
                    _languages(c.languages, lang),
                    c.waiting_since,
                    c.days_waiting,
                    t(N_("urgent")) if c.urgent else None,
                    said.text,
                ]
            )
    return sheet


def capacity_sheet(table: CapacityTable, lang: Lang) -> Sheet:
    """The capacity table (`/week/capacity`): a row per municipality and language, then the totals; the
    remote groups' row has no waiting clients of its own (empty, as the page's "–")."""
    t = lang.gettext
    sheet = Sheet(
        t(N_("Capacity")),
        [
            t(N_("Municipality")),
            t(N_("Language")),
            t(N_("Waiting")),
            t(N_("Seats")),
            t(N_("Free seats")),
            t(N_("Short by")),
        ],
    )
    for town in table.municipalities:
        for language in table.languages:
            cell = table.cell(town, language)
            name = town or t(N_("Remote groups"))
            demand = cell.demand if town is not None else None
            sheet.rows.append([name, lang.language_name(language), demand, cell.seats, cell.free, cell.shortfall])
    for language in table.languages:
        cell = table.total(language)
        sheet.rows.append([t(N_("All")), lang.language_name(language), cell.demand, cell.seats, cell.free, None])
    return sheet


def _share(value: float | None) -> Styled:
    return Styled(value, PERCENT)


def figures_sheet(figures: CountyFigures, lang: Lang) -> Sheet:
    """The county figures (`/reports/county`) for the period: a row per figure, under the page's section
    or table it is in; the seats by municipality, language and kind of group in columns of their own."""
    t = lang.gettext
    sheet = Sheet(
        t(N_("County figures")),
        [
            t(NC_("workbook column", "Section")),
            t(NC_("workbook column", "Figure")),
            t(N_("Municipality")),
            t(N_("Language")),
            t(N_("Kind of group")),
            t(NC_("workbook column", "Value")),
        ],
    )

    def add(section: str, rows: Iterable[tuple[str, Cell]]) -> None:
        sheet.rows.extend([t(section), figure, None, None, None, value] for figure, value in rows)

    f = figures
    add(N_("County figures"), [(t(N_("First day")), f.period_from), (t(N_("Last day")), f.period_to)])
    add(
        N_("Clients"),
        [
            (t(N_("Clients in group work")), f.clients.in_group_work),
            (t(N_("New decisions")), f.clients.new_decisions),
            (t(N_("Clients with a new decision")), f.clients.clients_with_new_decision),
        ],
    )
    add(
        N_("Waiting for the first session"),
        [
            (t(N_("First sessions in the period")), f.waiting.first_sessions),
            (t(N_("Median wait from case opening, days")), f.waiting.median_days),
            (t(N_("First session over three months after the case opening")), f.waiting.past_three_months),
            (t(N_("Still waiting past three months at the period's end")), f.waiting.still_waiting_past_three_months),
            (
                t(N_("First sessions of clients with no case opening on record (not in the wait)")),
                f.waiting.no_case_opening,
            ),
        ],
    )
    charts = chart_rows(lang, f)
    sheet.rows.extend([charts["waiting"][0], label, None, None, None, n] for label, n in charts["waiting"][1])
    add(N_("Offers"), [(t(N_("Offers made in the period")), f.offers.made)])
    sheet.rows.extend([charts["offers"][0], label, None, None, None, n] for label, n in charts["offers"][1])
    names = decline_names(lang, f)
    add(N_("Declined, by reason"), [(names[code], n) for code, n in f.offers.declined_by_reason.items()])
    add(
        N_("Attendance"),
        [
            (t(N_("Marks")), f.attendance.marked),
            (t(N_("Attendance rate (present of marked)")), _share(f.attendance.rate)),
            (t(N_("Absent with notice")), _share(f.attendance.excused_share)),
            (t(N_("Absent without notice")), _share(f.attendance.absent_share)),
            (t(N_("Pop-up sessions counted")), f.attendance.popup_sessions),
            (t(N_("People at pop-up sessions (head counts)")), f.attendance.popup_heads),
        ],
    )
    sheet.rows.extend([charts["attendance"][0], label, None, None, None, n] for label, n in charts["attendance"][1])
    for c in f.seats:
        town = t(N_("Remote groups")) if c.municipality == REMOTE else c.municipality
        kind = labels.label(labels.KINDS, c.kind, lang)
        sheet.rows.append(
            [t(N_("Seats active in the period")), t(N_("Seats")), town, lang.language_name(c.language), kind, c.seats]
        )
    add(N_("How seats ended"), [(t(N_("Seats ended in the period")), f.endings.ended)])
    for key in ("reasons", "steps"):
        sheet.rows.extend([charts[key][0], label, None, None, None, n] for label, n in charts[key][1])
    forms = f.feedback.forms
    add(
        N_("Feedback"),
        [(t(N_("Group forms")), forms.get("group", 0)), (t(N_("Client forms")), forms.get("client", 0))],
    )
    for q in f.feedback.questions:
        text = q.text.get(lang.code) or q.text.get("fi") or q.id
        add(
            N_("Answers by question"),
            [
                (f"{text}: {t(N_('Answers'))}", q.answers),
                (f"{text}: {t(N_('Mean'))}", q.mean),
                (f"{text}: {t(N_('NPS'))}", q.nps),
            ],
        )
    return sheet


def week_sheets(session: Session, lang: Lang, today: date, period: tuple[date, date]) -> list[Sheet]:
    """The five sheets, as the pages would show them today (the figures for the period)."""
    run = shown_run(session)
    return [
        board_sheet(load_board(session, today), lang),
        staff_sheet(load_timetables(session, today), lang),
        unplaced_sheet(unplaced_of(run, today) if run else None, lang),
        capacity_sheet(load_capacity(session, today), lang),
        figures_sheet(county_figures(session, *period, today), lang),
    ]


def week_workbook(session: Session, lang: Lang, today: date, period: tuple[date, date]) -> bytes:
    """The week as an .xlsx file in the language."""
    return workbook_bytes(week_sheets(session, lang, today, period), DATE_FORMATS[lang.code])


def workbook_name(today: date, lang: Lang) -> str:
    """The file's name: the day and the language, e.g. `tarjotin-week-2027-01-11-fi.xlsx`."""
    return f"tarjotin-week-{today.isoformat()}-{lang.code}.xlsx"
