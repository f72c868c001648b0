"""The week as an Excel workbook, `GET /week/export.xlsx`: each sheet holds what its page shows.

The workbook is downloaded as a signed-in coordinator, read back with openpyxl, and each sheet
compared with its page fetched by the same client in the same language: the board's groups and
their fill, every staff member's sessions, drives and minutes, the unplaced clients with their
reasons, the capacity table and the county figures. Numbers are numbers in the file, times and dates
are times and dates; the header row is bold and frozen.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import datetime, time
from typing import Any

import httpx
import pytest
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from scheduler.contract.term import term_end
from scheduler.i18n import gettext
from tests.api.conftest import Service
from tests.api.html_tables import Table, tables
from tests.api.sign_in import sign_in as sign_in_with

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEETS = {
    "fi": ["Viikkotaulu", "Työntekijöiden viikko-ohjelmat", "Ilman ryhmää jääneet asiakkaat", "Kapasiteetti"],
    "en": ["Week board", "Staff timetables", "Unplaced clients", "Capacity", "County figures"],
}
Rows = list[list[Any]]
HTML = {"Accept": "text/html"}
"""/reports/county answers JSON to an API call; a browser asks for HTML."""


def coordinator(service: Service) -> httpx.Client:
    client = service.client
    sign_in_with(client, service.as_("coordinator")["Authorization"].split()[1])
    return client


def term(service: Service) -> dict[str, str]:
    """The scenario's term as the county figures' period: the seats and sessions of the whole term."""
    season = service.problem.term
    return {"from": season.start.isoformat(), "to": term_end(season.start, season.weeks).isoformat()}


def download(client: httpx.Client, **params: str) -> bytes:
    answer = client.get("/week/export.xlsx", params=params)
    assert answer.status_code == 200, answer.text[:500]
    assert answer.headers["content-type"] == XLSX
    return answer.content


def sheets(content: bytes) -> dict[str, Worksheet]:
    book = load_workbook(io.BytesIO(content))
    return {ws.title: ws for ws in book.worksheets}


def rows(sheet: Worksheet) -> tuple[list[str], Rows]:
    """The header row and the rows below it, as values."""
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    return [str(v) for v in values[0]], values[1:]


def table(html: str, cls: str) -> Table:
    found = [t for t in tables(html) if cls in t.classes or t.attrs.get("id") == cls]
    assert len(found) == 1, f"the page has {len(found)} tables {cls}"
    return found[0]


def hm(value: time) -> str:
    assert isinstance(value, time), f"{value!r} is not a time"
    return value.strftime("%H:%M")


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> Service:
    """The published scenario over SQLite and over PostgreSQL."""
    service: Service = request.getfixturevalue("service" if request.param == "sqlite" else "pg_service")
    return service


@pytest.fixture
def english(backend: Service) -> tuple[httpx.Client, dict[str, Worksheet]]:
    """A coordinator's client (pages in English) and the workbook it downloads, the figures for the term."""
    client = coordinator(backend)
    client.cookies.set("lang", "en")
    return client, sheets(download(client, **term(backend)))


def test_the_download_is_a_workbook_named_for_the_day_with_a_sheet_each(service: Service) -> None:
    client = coordinator(service)
    answer = client.get("/week/export.xlsx")
    assert answer.status_code == 200 and answer.headers["content-type"] == XLSX
    disposition = answer.headers["content-disposition"]
    assert re.fullmatch(r'attachment; filename="tarjotin-week-\d{4}-\d{2}-\d{2}-fi\.xlsx"', disposition), disposition
    assert answer.headers["cache-control"] == "no-store"  # it names clients: no cache keeps a copy
    book = sheets(answer.content)
    assert list(book)[:4] == SHEETS["fi"] and list(book)[4] == "Hyvinvointialueen luvut"
    english = sheets(download(client, lang="en"))
    assert list(english) == SHEETS["en"]
    for sheet in english.values():
        headers = next(sheet.iter_rows(max_row=1))
        assert all(cell.font.b for cell in headers), f"{sheet.title}: the header row is bold"
        assert sheet.freeze_panes == "A2", f"{sheet.title}: the header row stays in view"
        widths = [sheet.column_dimensions[c.column_letter].width for c in headers]
        assert all(w >= len(str(c.value)) for w, c in zip(widths, headers, strict=True)), "a header fits its column"


def test_the_week_pages_link_to_the_download_in_their_language(service: Service) -> None:
    client = coordinator(service)
    for path in ("/week", "/week/capacity", "/week/unplaced", "/week/staff"):
        page = client.get(path, params={"lang": "sv"}).text
        assert 'href="/week/export.xlsx?lang=sv"' in page, path
    period = {"lang": "en", "from": "2026-09-01", "to": "2026-09-30"}
    figures = client.get("/reports/county", params=period, headers=HTML).text
    assert 'href="/week/export.xlsx?lang=en&amp;from=2026-09-01&amp;to=2026-09-30"' in figures


def test_the_board_sheet_holds_every_group_the_board_shows(
    backend: Service, english: tuple[httpx.Client, dict[str, Worksheet]]
) -> None:
    client, book = english
    board = table(client.get("/week").text, "board")
    days = [c.text for c in board.rows[0].cells[1:]]
    shown: list[tuple[str, ...]] = []
    town = ""
    for row in board.rows[1:]:
        if "town-row" in row.attrs.get("class", ""):
            town = row.cells[0].text
            continue
        hub = row.cells[0].text
        for day, cell in zip(days, row.cells[1:], strict=True):
            p = cell.parts
            for i, name in enumerate(p.get("wg-name", [])):
                leaders = p["wg-leaders"][i].split(": ", 1)[1]
                shown.append((town, hub, day, p["wg-time"][i], name, p["wg-lang"][i], leaders, p["fill-figure"][i]))
    headers, lines = rows(book["Week board"])
    assert headers[:3] == ["Municipality", "Hub", "Weekday"] and headers[8:10] == ["Seats taken", "Capacity"]
    written = []
    for town, hub, day, start, end, name, language, leaders, taken, capacity, free in lines:
        assert isinstance(taken, int) and isinstance(capacity, int) and free == max(capacity - taken, 0)
        fill = f"{taken}/{capacity}"
        written.append((town, hub, day, f"{hm(start)}–{hm(end)}", name, language, leaders or "–", fill))
    assert len(shown) == len(backend.plan.groups) > 0
    assert Counter(written) == Counter(shown)


def test_each_staff_members_timetable_is_in_the_staff_sheet(
    backend: Service, english: tuple[httpx.Client, dict[str, Worksheet]]
) -> None:
    client, book = english
    members = re.findall(r'href="/week/staff/([^"]+)"', client.get("/week/staff").text)
    headers, lines = rows(book["Staff timetables"])
    assert headers[9:12] == ["Session minutes", "Drive minutes", "Weekly limit (min)"]
    blocks: list[Rows] = [[]]
    for line in lines:
        blocks[-1].append(line)
        if line[4] == "The week in all":
            blocks.append([])
    assert blocks.pop() == [] and len(blocks) == len(members) > 0
    drives = 0
    for member, block in zip(members, blocks, strict=True):
        html = client.get(f"/week/staff/{member}").text
        used, most = map(int, re.search(r"(\d+) min of at most (\d+) min in sessions", html).groups())  # type: ignore[union-attr]
        driven = int(re.search(r"(\d+) min a week between hubs", html).group(1))  # type: ignore[union-attr]
        *items, total = block
        assert total[9:12] == [used, driven, most], member
        timetable = [t for t in tables(html) if "timetable" in t.classes]
        page_rows = [r for t in timetable for r in t.rows if r.attrs.get("class") in ("drive", "session")]
        assert len(page_rows) == len(items), member
        for row, item in zip(page_rows, items, strict=True):
            cells = [c for c in row.cells if c.tag == "td"]
            if row.attrs["class"] == "drive":
                drives += 1
                assert item[4] == cells[-1].text and isinstance(item[10], int | None) and item[2] is None
                assert f"Drive {item[10]} min:" in item[4] or item[10] is None
            else:
                time_text, group, where, language, fill = (c.text for c in cells)
                assert f"{hm(item[2])}–{hm(item[3])}" == time_text and group.startswith(item[4])
                assert (item[5], item[6], f"{item[7]}/{item[8]}") == (where, language, fill.split()[0])
                assert item[9] == (item[3].hour * 60 + item[3].minute) - (item[2].hour * 60 + item[2].minute)
        assert sum(i[9] or 0 for i in items) == used and sum(i[10] or 0 for i in items) == driven
    assert drives > 0, "the scenario's leaders drive between hubs"


def test_the_unplaced_sheet_lists_each_client_with_the_reason_the_page_gives(
    backend: Service, english: tuple[httpx.Client, dict[str, Worksheet]]
) -> None:
    client, book = english
    shown = set()
    for reason in tables(client.get("/week/unplaced").text):
        for row in reason.rows:
            if row.section != "tbody":
                continue
            who, languages, since, days, detail = (c.text for c in row.cells)
            shown.add((reason.caption, who, languages, since, days.split()[0], "urgent" in days.split()[1:], detail))
    headers, lines = rows(book["Unplaced clients"])
    assert headers == [
        "Planning run",
        "Reason",
        "Client",
        "Languages",
        "Waiting since",
        "Days waiting",
        "Urgent",
        "Planner's detail",
    ]
    written = set()
    for run, title, who, languages, since, days, urgent, detail in lines:
        assert isinstance(run, int) and isinstance(since, datetime) and isinstance(days, int)
        assert urgent in (None, "urgent")
        day = format_date(since.date(), "medium", locale="en")
        written.add((title, who, languages, day, str(days), urgent is not None, detail))
    assert {line[2] for line in lines} == {u.client for u in backend.plan.unassigned}
    assert written == shown and len(shown) >= len(backend.plan.unassigned) > 0


def test_the_capacity_sheet_has_the_pages_figures(english: tuple[httpx.Client, dict[str, Worksheet]]) -> None:
    client, book = english
    page = table(client.get("/week/capacity").text, "capacity")
    languages = [c.text for c in page.rows[0].cells[1:]]
    shown = {}
    for row in page.rows[2:]:
        town = row.cells[0].text
        for i, language in enumerate(languages):
            waiting, seats, free = (c.text for c in row.cells[1 + 3 * i : 4 + 3 * i])
            short = re.search(r"short by (\d+)", free)
            shown[town, language] = (waiting, seats, free.split()[0], short.group(1) if short else "0")
    _, lines = rows(book["Capacity"])
    written = {}
    for town, language, waiting, seats, free, short in lines:
        assert all(isinstance(n, int) for n in (seats, free))
        written[town, language] = ("–" if waiting is None else str(waiting), str(seats), str(free), str(short or 0))
    assert written == shown and len(shown) > len(languages)


def _shown(value: Any, lang: str, number_format: str) -> str:
    """A figure as the county page writes it."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if number_format.endswith("%"):
        return format_percent(value, locale=lang)
    if number_format == "0.0":  # a decimal figure (a whole 61.0 is read back as 61)
        return format_decimal(value, format="#,##0.0", locale=lang)
    return str(value)


def test_the_figures_sheet_has_the_county_pages_figures(
    backend: Service, english: tuple[httpx.Client, dict[str, Worksheet]]
) -> None:
    client, book = english
    html = client.get("/reports/county", params=term(backend), headers=HTML).text
    pairs, seats, questions = set(), [], {}
    for t in tables(html):
        for row in t.rows:
            cells = [c.text for c in row.cells]
            if t.attrs.get("id") == "seats" and row.section == "tbody" and len(cells) == 4:
                seats.append(tuple(cells))
            elif t.attrs.get("id") == "feedback" and row.section == "tbody":
                questions[cells[0]] = cells[2:]
            elif len(cells) == 2 and row.cells[0].tag == "th" and row.section == "tbody":
                pairs.add((cells[0], cells[1]))
    sheet = book["County figures"]
    headers, _ = rows(sheet)
    assert headers == ["Section", "Figure", "Municipality", "Language", "Kind of group", "Value"]
    written, written_seats, answers = set(), [], {}
    for line in sheet.iter_rows(min_row=2):
        section, figure, town, language, kind, value = (c.value for c in line)
        shown = _shown(value, "en", line[5].number_format)
        if town is not None:
            assert isinstance(value, int)
            written_seats.append((town, language, kind, shown))
        elif section == "Answers by question":
            question, what = figure.rsplit(": ", 1)
            answers.setdefault(question, {})[what] = shown
        else:
            written.add((figure, shown))
    assert pairs and pairs <= written, pairs - written
    assert ("First day", term(backend)["from"]) in written
    assert Counter(written_seats) == Counter(seats) and seats
    assert {q: [a["Answers"], a["Mean"], a["NPS"]] for q, a in answers.items()} == questions
    in_work = next(v for f, v in written if f == "Clients in group work")
    assert int(in_work) > 0, "the term's seats are counted"


@pytest.mark.parametrize("role", ["anonymous", "counsellor", "staff"])
def test_only_a_coordinator_may_download_the_workbook(service: Service, role: str) -> None:
    client = service.client
    if role != "anonymous":
        sign_in_with(client, service.as_(role)["Authorization"].split()[1])
    answer = client.get("/week/export.xlsx", params={"lang": "en"}, follow_redirects=False)
    if role == "anonymous":
        assert answer.status_code == 303
        assert answer.headers["location"] == "/signin?next=%2Fweek%2Fexport.xlsx%3Flang%3Den"
    else:
        assert answer.status_code == 403 and answer.headers["content-type"].startswith("text/html")
        assert "This page is for coordinators" in answer.text
    assert "content-disposition" not in answer.headers


def test_a_bearer_token_alone_does_not_download(service: Service) -> None:
    answer = service.client.get("/week/export.xlsx", headers=service.as_("coordinator"), follow_redirects=False)
    assert answer.status_code == 303, "the coordinator pages take a sign-in, as /week does"
    assert service.client.get("/week", headers=service.as_("coordinator"), follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    "period, problem",
    [
        ({"from": "2027-02-01", "to": "2027-01-01"}, "The period starts after it ends."),
        ({"from": "1.2.2027"}, "The first day is not a date: write it as YYYY-MM-DD."),
    ],
)
def test_a_bad_period_is_a_page_saying_why(service: Service, period: dict[str, str], problem: str) -> None:
    answer = coordinator(service).get("/week/export.xlsx", params={**period, "lang": "en"})
    assert answer.status_code == 422 and answer.headers["content-type"].startswith("text/html")
    assert problem in answer.text


def test_swedish_sheets_say_it_in_swedish(service: Service) -> None:
    client = coordinator(service)
    book = sheets(download(client, lang="sv"))
    board = book[gettext("sv", "Week board")]
    headers, lines = rows(board)
    assert headers[:3] == [gettext("sv", m) for m in ("Municipality", "Hub", "Weekday")]
    assert headers[0] != "Municipality" and headers[2] == "Veckodag"
    assert {line[2] for line in lines} <= {"måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"}
    unplaced = book[gettext("sv", "Unplaced clients")]
    since = [row[4] for row in unplaced.iter_rows(min_row=2)]
    assert since and all(isinstance(c.value, datetime) and c.number_format == "d.m.yyyy" for c in since)
    times = [row[3] for row in board.iter_rows(min_row=2)]
    assert times and all(isinstance(c.value, time) and c.number_format == "hh:mm" for c in times)
