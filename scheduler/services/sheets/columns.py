"""The sheets a coordinator imports, and their columns: one catalogue for the reader, the templates and the docs.

Each sheet holds one kind of record of the problem contract (docs/contract.md), one record a row.
The English headers are the contract's field names (`home_lat` and `home_lon` for the home,
`name_fi`, `name_sv` and `name_en` for a group model's name, `hub` for the hub a room is in); the
Finnish and Swedish headers and sheet names come from the catalogues (msgctxt `column` and
`sheet`), so a header is read in any of the three languages. How a cell is written is its `Cell`
kind (`scheduler.services.sheets.cells`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from scheduler.i18n import LANGS, N_, NC_, Message, gettext

__all__ = [
    "CHOICES",
    "SHEETS",
    "Cell",
    "Choice",
    "Column",
    "Sheet",
    "column_named",
    "header_names",
    "sheet_named",
]


class Cell(StrEnum):
    """How a cell is written (each kind's reader is in `cells`)."""

    TEXT = "text"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    DATE = "date"
    CODES = "codes"
    """language codes separated by commas: `fi, sv`"""
    LIST = "list"
    """texts separated by commas: `liikunta, luonto`"""
    CHOICE = "choice"
    """one of the column's `choices`, as its code or its label in any language"""
    WINDOWS = "windows"
    """weekly windows separated by commas: `ma 9-12, to 13:00-16:00` (weekdays in fi, sv or en)"""
    PERIODS = "periods"
    """date periods separated by commas, each `2027-01-04/2027-06-30`"""


@dataclass(frozen=True)
class Choice:
    """An allowed value: the contract's code and its label in the user's language."""

    code: str
    label: Message


CHOICES: dict[str, tuple[Choice, ...]] = {
    "travel_mode": (Choice("car", NC_("choice", "car")), Choice("transit", NC_("choice", "public transport"))),
    "kind": (
        Choice("process", NC_("choice", "process group")),
        Choice("targeted", NC_("choice", "targeted group")),
        Choice("theme", NC_("choice", "theme group")),
        Choice("peer", NC_("choice", "peer group")),
        Choice("popup", NC_("choice", "pop-up")),
    ),
    "modality": (
        Choice("in_person", NC_("choice", "in person")),
        Choice("remote", NC_("choice", "remote")),
        Choice("hybrid", NC_("choice", "hybrid")),
    ),
    "admission": (
        Choice("open", NC_("choice", "open")),
        Choice("closed", NC_("choice", "closed")),
        Choice("rolling", NC_("choice", "rolling")),
    ),
    "lang": (
        Choice("fi", NC_("choice", "Finnish")),
        Choice("sv", NC_("choice", "Swedish")),
        Choice("en", NC_("choice", "English")),
    ),
}
"""The allowed values of each choice column, by the name of its choice set."""


@dataclass(frozen=True)
class Column:
    """One column of a sheet: the contract field it fills, its header, how it is written."""

    field: str
    """the English header: the contract's field name (or `home_lat`, `name_fi`, `hub`: see the module)"""
    label: Message
    """the header in the user's language (msgctxt `column`; its English is `field`)"""
    cell: Cell
    help: str
    """what the column holds, for the template's explanation sheet and docs/sheets.md"""
    example: str
    """a value as the example row shows it"""
    required: bool = False
    """must be given in every row (a required column of the sheet)"""
    choices: str | None = None
    """the CHOICES set of a CHOICE column"""


@dataclass(frozen=True)
class Sheet:
    """A sheet (or a CSV file) of one kind of record."""

    kind: str
    """the contract's list it fills, and the English sheet name: `clients`"""
    label: Message
    """the sheet's name in the user's language (msgctxt `sheet`)"""
    columns: tuple[Column, ...]
    help: str

    @property
    def key(self) -> Column:
        """The column that names a record: `id` (a closure's `day`)."""
        return self.columns[0]

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)


def _id(help_text: str, example: str) -> Column:
    return Column("id", NC_("column", "id"), Cell.TEXT, help_text, example, required=True)


def _available(example: str) -> Column:
    return Column(
        "available",
        NC_("column", "available"),
        Cell.WINDOWS,
        N_("Weekly times when available, separated by commas; empty: any time."),
        example,
    )


def _county() -> Column:
    return Column(
        "county",
        NC_("column", "county"),
        Cell.TEXT,
        N_("The wellbeing services county, in a data set of several counties; otherwise empty."),
        "",
    )


HUBS = Sheet(
    "hubs",
    NC_("sheet", "hubs"),
    (
        _id(N_("The hub's own short id, unchanging: rows with the same id update the same hub."), "lohja-sote"),
        Column(
            "name",
            NC_("column", "name"),
            Cell.TEXT,
            N_("The hub's name as clients know it."),
            "Lohjan sote-keskus",
            True,
        ),
        Column(
            "municipality",
            NC_("column", "municipality"),
            Cell.TEXT,
            N_("The municipality the hub is in."),
            "Lohja",
            True,
        ),
        Column("lat", NC_("column", "lat"), Cell.FLOAT, N_("Latitude in decimal degrees (WGS84)."), "60.2487", True),
        Column("lon", NC_("column", "lon"), Cell.FLOAT, N_("Longitude in decimal degrees (WGS84)."), "24.0656", True),
        Column(
            "address",
            NC_("column", "address"),
            Cell.TEXT,
            N_("Street address, shown in the offering."),
            "Sairaalatie 8",
        ),
        _county(),
    ),
    N_("The places where groups meet (hubs); their rooms are on the rooms sheet."),
)

ROOMS = Sheet(
    "rooms",
    NC_("sheet", "rooms"),
    (
        _id(N_("The room's own short id, unique across all hubs."), "lohja-sote-r1"),
        Column("hub", NC_("column", "hub"), Cell.TEXT, N_("The id of the hub the room is in."), "lohja-sote", True),
        Column("name", NC_("column", "name"), Cell.TEXT, N_("The room's name."), "Kokoushuone 1"),
        Column("capacity", NC_("column", "capacity"), Cell.INT, N_("How many people the room seats."), "10", True),
        Column(
            "accessible", NC_("column", "accessible"), Cell.BOOL, N_("Can be reached without steps (yes or no)."), "yes"
        ),
        _available("mon 08:00-16:00, tue 08:00-16:00"),
    ),
    N_("The rooms groups can meet in, each in a hub."),
)

STAFF = Sheet(
    "staff",
    NC_("sheet", "staff"),
    (
        _id(N_("The staff member's own short id, unchanging."), "s-anna"),
        Column(
            "name", NC_("column", "name"), Cell.TEXT, N_("Name, shown in the offering by first name."), "Anna Virtanen"
        ),
        Column(
            "qualified",
            NC_("column", "qualified"),
            Cell.BOOL,
            N_("A qualified social welfare professional (yes or no)."),
            "yes",
            True,
        ),
        Column(
            "languages",
            NC_("column", "languages"),
            Cell.CODES,
            N_("Languages the person leads a group in."),
            "fi, sv",
            True,
        ),
        Column(
            "skills",
            NC_("column", "skills"),
            Cell.LIST,
            N_("Skills a group model may require, separated by commas."),
            "liikunta",
        ),
        Column(
            "base_hub",
            NC_("column", "base_hub"),
            Cell.TEXT,
            N_("The id of the hub the person works from."),
            "lohja-sote",
            True,
        ),
        _available("mon 08:00-16:00, wed 08:00-16:00"),
        Column(
            "max_weekly_minutes",
            NC_("column", "max_weekly_minutes"),
            Cell.INT,
            N_("Minutes a week the person may spend on groups, driving included."),
            "600",
            True,
        ),
        Column("email", NC_("column", "email"), Cell.TEXT, N_("E-mail address for notices; may be empty."), ""),
        Column(
            "lang",
            NC_("column", "lang"),
            Cell.CHOICE,
            N_("The language of the person's e-mail notices."),
            "fi",
            choices="lang",
        ),
        Column(
            "peer",
            NC_("column", "peer"),
            Cell.BOOL,
            N_("A peer instructor (an expert by experience), who leads only beside a professional (yes or no)."),
            "no",
        ),
        _county(),
    ),
    N_("The people who lead groups."),
)

TEMPLATES = Sheet(
    "templates",
    NC_("sheet", "templates"),
    (
        _id(N_("The group model's own short id, unchanging."), "liikunta"),
        Column("name_fi", NC_("column", "name_fi"), Cell.TEXT, N_("The name in Finnish."), "Liikuntaryhmä", True),
        Column("name_sv", NC_("column", "name_sv"), Cell.TEXT, N_("The name in Swedish."), "Motionsgrupp", True),
        Column(
            "name_en", NC_("column", "name_en"), Cell.TEXT, N_("The name in English; may be empty."), "Exercise group"
        ),
        Column("kind", NC_("column", "kind"), Cell.CHOICE, N_("The handbook's kind of group."), "theme", True, "kind"),
        Column(
            "theme",
            NC_("column", "theme"),
            Cell.TEXT,
            N_("The theme, matched with clients' interests."),
            "liikunta",
            True,
        ),
        Column(
            "audience",
            NC_("column", "audience"),
            Cell.TEXT,
            N_("Whom the group is for, matched with clients' audiences."),
            "aikuiset",
            True,
        ),
        Column(
            "modality",
            NC_("column", "modality"),
            Cell.CHOICE,
            N_("Where the group meets."),
            "in_person",
            True,
            "modality",
        ),
        Column(
            "duration_minutes",
            NC_("column", "duration_minutes"),
            Cell.INT,
            N_("Length of one session in minutes."),
            "180",
            True,
        ),
        Column(
            "min_size", NC_("column", "min_size"), Cell.INT, N_("Fewest participants the group runs with."), "4", True
        ),
        Column("max_size", NC_("column", "max_size"), Cell.INT, N_("Most participants the group takes."), "8", True),
        Column(
            "languages",
            NC_("column", "languages"),
            Cell.CODES,
            N_("Languages the group may be run in."),
            "fi, sv",
            True,
        ),
        Column(
            "required_skills",
            NC_("column", "required_skills"),
            Cell.LIST,
            N_("Skills one of the leaders must have, separated by commas."),
            "",
        ),
        Column(
            "admission",
            NC_("column", "admission"),
            Cell.CHOICE,
            N_("How the group takes people; empty: by its kind."),
            "",
            choices="admission",
        ),
        Column(
            "closes_after",
            NC_("column", "closes_after"),
            Cell.INT,
            N_("A closed group takes no joiners after this many sessions; empty: the default."),
            "",
        ),
        Column(
            "sessions",
            NC_("column", "sessions"),
            Cell.INT,
            N_("Sessions a group of this model runs; empty: the whole season."),
            "",
        ),
    ),
    N_("The group models of the handbook the planner may open groups of."),
)

CLIENTS = Sheet(
    "clients",
    NC_("sheet", "clients"),
    (
        _id(N_("The client's pseudonymous id (never a name or personal identity code)."), "c-0001"),
        Column(
            "languages",
            NC_("column", "languages"),
            Cell.CODES,
            N_("Languages the client copes in a group in."),
            "fi",
            True,
        ),
        Column(
            "home_lat",
            NC_("column", "home_lat"),
            Cell.FLOAT,
            N_("Latitude of the home area (rounded is fine)."),
            "60.25",
            True,
        ),
        Column(
            "home_lon",
            NC_("column", "home_lon"),
            Cell.FLOAT,
            N_("Longitude of the home area (rounded is fine)."),
            "24.07",
            True,
        ),
        Column(
            "travel_mode",
            NC_("column", "travel_mode"),
            Cell.CHOICE,
            N_("How the client travels."),
            "transit",
            True,
            "travel_mode",
        ),
        Column(
            "max_travel_minutes",
            NC_("column", "max_travel_minutes"),
            Cell.INT,
            N_("The longest trip one way, in minutes."),
            "45",
            True,
        ),
        _available("tue 09:00-15:00, thu 09:00-15:00"),
        Column(
            "interests",
            NC_("column", "interests"),
            Cell.LIST,
            N_("Themes the client is interested in."),
            "liikunta, luonto",
        ),
        Column("audiences", NC_("column", "audiences"), Cell.LIST, N_("Audiences the client belongs to."), "aikuiset"),
        Column(
            "needs_accessible",
            NC_("column", "needs_accessible"),
            Cell.BOOL,
            N_("Needs a room without steps (yes or no)."),
            "no",
        ),
        Column("remote_ok", NC_("column", "remote_ok"), Cell.BOOL, N_("Can take part from home (yes or no)."), "no"),
        Column(
            "waiting_since",
            NC_("column", "waiting_since"),
            Cell.DATE,
            N_("When the client began to wait; empty: the case opening."),
            "2027-01-04",
        ),
        Column(
            "case_opened", NC_("column", "case_opened"), Cell.DATE, N_("The case opening (a §35 notice)."), "2027-01-04"
        ),
        Column("assessed", NC_("column", "assessed"), Cell.DATE, N_("The service-need assessment."), ""),
        Column(
            "decisions",
            NC_("column", "decisions"),
            Cell.PERIODS,
            N_("Decisions granting the service, each start/end, separated by commas."),
            "2027-01-11/2027-07-10",
        ),
        Column(
            "max_groups_per_week",
            NC_("column", "max_groups_per_week"),
            Cell.INT,
            N_("Groups a week the client may take part in (1–3); empty: 1."),
            "1",
        ),
        Column("counsellor", NC_("column", "counsellor"), Cell.TEXT, N_("The id of the responsible counsellor."), ""),
        _county(),
    ),
    N_("The clients waiting for a group, by pseudonymous id."),
)

CLOSURES = Sheet(
    "closures",
    NC_("sheet", "closures"),
    (
        Column("day", NC_("column", "day"), Cell.DATE, N_("A date when no session is held."), "2027-04-02", True),
        Column("reason", NC_("column", "reason"), Cell.TEXT, N_("Why (for the coordinator)."), "pitkäperjantai"),
    ),
    N_("Days when no group meets (public holidays are known without listing them)."),
)

SHEETS: tuple[Sheet, ...] = (HUBS, ROOMS, STAFF, TEMPLATES, CLIENTS, CLOSURES)
"""Every sheet, in the order a workbook holds them (a hub before its rooms and staff)."""


def sheet_named(name: str) -> Sheet | None:
    """The sheet a name means in any language (`Asiakkaat`, `Klienter`, `clients`; case and spaces ignored)."""
    wanted = _fold(name)
    for sheet in SHEETS:
        if wanted in {_fold(sheet.kind), *(_fold(gettext(lang, sheet.label)) for lang in LANGS)}:
            return sheet
    return None


@lru_cache(maxsize=len(SHEETS))
def header_names(sheet: Sheet) -> dict[str, Column]:
    """Every header the sheet's columns are known by, folded (`_fold`), in fi, sv and en."""
    names: dict[str, Column] = {}
    for column in sheet.columns:
        names[_fold(column.field)] = column
        for lang in LANGS:
            names.setdefault(_fold(gettext(lang, column.label)), column)
    return names


def column_named(sheet: Sheet, header: str) -> Column | None:
    """The column a header means in any language (`Kielet`, `språk`, `languages`), or None."""
    return header_names(sheet).get(_fold(header))


def _fold(name: str) -> str:
    """A name as headers are compared: case, spaces, underscores and hyphens ignored."""
    return "".join(ch for ch in name.casefold() if ch not in " _-\u00a0")
