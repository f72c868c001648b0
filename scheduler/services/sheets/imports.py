"""Importing sheets: a preview of what the files would change, checked whole, then storing exactly that.

`preview_sheets` reads the files (`read`), turns their rows into records (`records`) and lays them
over what the database holds (`export_problem`): a row updates the columns the file has and keeps
the other fields of a stored record; a row with a new id adds a record. The whole problem is then
checked with the contract, and each of its faults is traced back to the sheet, row and column it
came from (`clients[12].languages` → Asiakkaat, rivi 14, sarake Kielet). Every fault is reported at
once; with none, each record of the files is created, updated or unchanged, and the stored records
of the kinds the files hold that they do not hold are listed as missing (never deleted).

`store_sheets` stores a faultless preview: only the new and changed records, only their changed
columns, with one audit entry, and seats end with the clients' decisions as imported (as the JSON
import does). The same files again change nothing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduler.contract import Problem
from scheduler.contract.errors import Conflict, Invalid, NotFound
from scheduler.contract.issues import ReferenceErrors
from scheduler.contract.problem import PROBLEM_SCHEMA
from scheduler.i18n import DEFAULT, N_, Message, gettext
from scheduler.scenario.generate import TERM_WEEKS
from scheduler.services.clock import SystemClock
from scheduler.services.service_periods import sync_all_seat_ends
from scheduler.services.sheets.cells import EXPECTED
from scheduler.services.sheets.columns import SHEETS, Column, Sheet
from scheduler.services.sheets.faults import DETAIL, MESSAGES, Fault
from scheduler.services.sheets.read import read_files
from scheduler.services.sheets.records import NESTED, Row, SheetRecords, sheet_records
from scheduler.storage.repository import problem_data
from scheduler.storage.sheet_rows import (
    closure_reasons,
    has_frame,
    store_frame,
    stored_ids,
    stored_rows,
    write_rows,
)

__all__ = ["FRAME_MADE", "KINDS", "SheetImport", "import_sheets", "preview_sheets", "store_sheets"]

KINDS: tuple[str, ...] = tuple(sheet.kind for sheet in SHEETS)
FRAME_MADE = N_(
    "The database had no planning frame yet: one was made, a term of %(weeks)s weeks from %(start)s "
    "(change it with a problem import)."
)
DATES = ("waiting_since", "case_opened", "assessed")
STORED_AS = {"hub": "hub_id", "counsellor": "counsellor_id"} | {f"name_{lang}": "name" for lang in ("fi", "sv", "en")}
"""A column's field as its table names it, where that differs."""


def _kinds() -> dict[str, list[str]]:
    return {kind: [] for kind in KINDS}


@dataclass
class SheetImport:
    """What importing the files would do, and every fault that stops it."""

    digest: str
    """sha256 of the files (names and contents): a page confirms the very upload it previewed"""
    lang: str = DEFAULT
    faults: list[Fault] = field(default_factory=list)
    created: dict[str, list[str]] = field(default_factory=_kinds)
    updated: dict[str, list[str]] = field(default_factory=_kinds)
    unchanged: dict[str, list[str]] = field(default_factory=_kinds)
    missing: dict[str, list[str]] = field(default_factory=_kinds)
    """ids the database holds, of a kind the files hold, that the files do not (reported, never deleted)"""
    kinds: list[str] = field(default_factory=list)
    """the kinds of record the files hold, in the catalogue's order"""
    ignored: list[str] = field(default_factory=list)
    """sheets not read (hidden, or named for nothing known), each `file: sheet` (a CSV file by its name)"""
    notes: list[tuple[Message, dict[str, str]]] = field(default_factory=list)
    """what the import does beside the records (a planning frame made)"""
    frame: dict[str, Any] | None = None
    """the planning frame to make, when the database has none"""
    rows: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = field(default_factory=dict, repr=False)
    """what `store_sheets` writes: by kind, (new rows, changed columns of stored rows)"""

    @property
    def ok(self) -> bool:
        return not self.faults

    def fault_texts(self, lang: str | None = None) -> list[str]:
        """Every fault as a line in the language (the preview's by default)."""
        return [fault.text(lang or self.lang) for fault in self.faults]

    def note_texts(self, lang: str | None = None) -> list[str]:
        return [gettext(lang or self.lang, message, **values) for message, values in self.notes]

    def counts(self) -> dict[str, dict[str, int]]:
        """By kind of the files: how many records are created, updated, unchanged and missing."""
        return {
            kind: {
                "created": len(self.created[kind]),
                "updated": len(self.updated[kind]),
                "unchanged": len(self.unchanged[kind]),
                "missing": len(self.missing[kind]),
            }
            for kind in self.kinds
        }


def digest_of(files: list[tuple[str, bytes]]) -> str:
    """sha256 over each file's name and content, in order."""
    sha = hashlib.sha256()
    for name, content in files:
        encoded = name.encode("utf-8")
        sha.update(len(encoded).to_bytes(8, "big") + encoded + len(content).to_bytes(8, "big"))
        sha.update(content)
    return sha.hexdigest()


def preview_sheets(
    session: Session, files: list[tuple[str, bytes]], lang: str = DEFAULT, today: date | None = None
) -> SheetImport:
    """What importing the files (name, content) would do; stores nothing. `today` dates a new planning frame."""
    preview = SheetImport(digest_of(files), lang)
    raws = read_files(files)
    preview.faults += [fault for raw in raws for fault in raw.faults]
    faulty = {raw.file for raw in raws if raw.faults}
    preview.ignored = [
        raw.name if raw.name == raw.file else f"{raw.file}: {raw.name}"
        for raw in raws
        if raw.sheet is None and raw.file not in faulty
    ]
    records: dict[str, SheetRecords] = {}
    for sheet in SHEETS:
        sheets = [raw for raw in raws if raw.sheet is sheet and not raw.faults]
        if sheets:
            records[sheet.kind] = sheet_records(sheet, sheets)
            preview.faults += records[sheet.kind].faults
    preview.kinds = list(records)
    if not records:
        return preview
    try:
        base = _stored(session, preview, today)
    except Conflict as conflict:
        preview.faults.append(Fault(DETAIL, {"detail": conflict.detail}))
        return preview
    overlay = _Overlay(base, records)
    preview.faults += overlay.faults
    for kind in preview.kinds:
        preview.missing[kind] = sorted(overlay.stored_keys(kind) - {row.key for row in records[kind].rows})
    problem = _validate(overlay, preview)
    if problem is not None and preview.ok:
        _classify(session, preview, overlay, problem, records)
    preview.faults.sort(key=_order)
    return preview


def _order(fault: Fault) -> tuple[int, str, int, int]:
    """Faults as the files have them: sheet by sheet, row by row, column by column (the catalogue's order)."""
    sheet = SHEETS.index(fault.sheet) if fault.sheet is not None else -1
    column = fault.sheet.columns.index(fault.column) if fault.sheet is not None and fault.column is not None else -1
    return sheet, fault.sheet_name or "", fault.row or 0, column


def store_sheets(session: Session, preview: SheetImport, actor: str) -> dict[str, int]:
    """Store a faultless preview (`Invalid` if it has faults): rows written by kind, and seats moved.

    Store it in the session it was previewed in, before anything else changes. The caller commits."""
    if not preview.ok:
        raise Invalid(f"{len(preview.faults)} fault(s) in the files, nothing stored")
    counts = {kind: len(preview.created[kind]) + len(preview.updated[kind]) for kind in preview.kinds}
    if preview.frame is not None:
        store_frame(session, **preview.frame)
    if not any(counts.values()) and preview.frame is None:
        return {**counts, "seats": 0}
    created = {kind: rows[0] for kind, rows in preview.rows.items()}
    updated = {kind: rows[1] for kind, rows in preview.rows.items()}
    write_rows(session, created, updated, actor, {"digest": preview.digest, **preview.counts()})
    moved = sync_all_seat_ends(session)
    return {**counts, "seats": moved}


def import_sheets(
    session: Session, files: list[tuple[str, bytes]], actor: str, lang: str = DEFAULT, today: date | None = None
) -> tuple[SheetImport, dict[str, int] | None]:
    """Check the files against the database as it is now and store them if faultless: the preview, and what
    was written (None when faulty: nothing stored). The caller commits.

    Two imports of the same new records at once: the later one's insert meets the earlier one's rows; it is
    then checked again (those records are now stored, so it updates or leaves them) and stored once more."""
    for attempt in range(2):
        preview = preview_sheets(session, files, lang=lang, today=today)
        if not preview.ok:
            return preview, None
        try:
            with session.begin_nested():
                return preview, store_sheets(session, preview, actor)
        except IntegrityError:
            if attempt:
                raise
            session.expire_all()
    raise AssertionError("unreachable")


def _stored(session: Session, preview: SheetImport, today: date | None) -> dict[str, Any]:
    """The database as a problem's data, or a new frame with nothing in it (said in the preview's notes)."""
    if has_frame(session):
        try:
            return problem_data(session)
        except NotFound:
            pass
    day = today or SystemClock().today()
    start = day + timedelta(days=-day.weekday() % 7)
    preview.frame = {"region": "", "timezone": "Europe/Helsinki", "term_start": start, "term_weeks": TERM_WEEKS}
    preview.notes.append((FRAME_MADE, {"weeks": str(TERM_WEEKS), "start": start.isoformat()}))
    return {
        "schema": PROBLEM_SCHEMA,
        "region": "",
        "timezone": "Europe/Helsinki",
        "term": {"start": start.isoformat(), "weeks": TERM_WEEKS},
        **{kind: [] for kind in ("hubs", "staff", "templates", "clients", "closures", "counsellors", "groups")},
    }


class _Overlay:
    """The stored problem's data with the files' records laid over it, and where each record came from."""

    def __init__(self, base: dict[str, Any], records: dict[str, SheetRecords]) -> None:
        self.base = base
        self.records = records
        self.faults: list[Fault] = []
        self.data = {
            **base,
            **{k: [dict(r) for r in base.get(k, [])] for k in ("hubs", "staff", "templates", "clients")},
        }
        for hub in self.data["hubs"]:
            hub["rooms"] = [dict(room) for room in hub.get("rooms", [])]
        self.origins: dict[tuple[Any, ...], Row] = {}
        """the row each record of the files came from, by its place in the data: ('clients', 12)"""
        for kind in ("hubs", "staff", "templates", "clients"):
            if kind in records:
                self._lay(kind, records[kind])
        if "rooms" in records:
            self._rooms(records["rooms"])
        if "closures" in records:
            days = set(base.get("closures", [])) | {str(row.key) for row in records["closures"].rows}
            self.data["closures"] = sorted(days)
        self._places()
        self._references()

    def stored_keys(self, kind: str) -> set[str]:
        if kind == "rooms":
            return {room["id"] for hub in self.base["hubs"] for room in hub.get("rooms", [])}
        if kind == "closures":
            return set(self.base.get("closures", []))
        return {record["id"] for record in self.base[kind]}

    def _lay(self, kind: str, records: SheetRecords) -> None:
        table = self.data[kind]
        index = {record["id"]: i for i, record in enumerate(table)}
        for row in records.rows:
            if row.key in index:
                table[index[row.key]] = _laid(table[index[row.key]], row.data)
            else:
                index[row.key] = len(table)
                table.append(_laid({"rooms": []} if kind == "hubs" else {}, row.data))

    def _rooms(self, records: SheetRecords) -> None:
        hubs = {hub["id"]: hub for hub in self.data["hubs"]}
        where = {room["id"]: hub for hub in self.data["hubs"] for room in hub["rooms"]}
        hub_column = records.sheet.column("hub")
        for row in records.rows:
            data = dict(row.data)
            hub_id = data.pop("hub", None)
            old = where.get(row.key)
            stored: dict[str, Any] = next((room for room in old["rooms"] if room["id"] == row.key), {}) if old else {}
            target = hubs.get(hub_id) if hub_id is not None else old
            if target is None:
                self.faults.append(row.fault(MESSAGES["unknown_hub"], hub_column))
                continue
            if old is not None:
                old["rooms"] = [room for room in old["rooms"] if room["id"] != row.key]
            target["rooms"].append(_laid(stored, data))
            where[row.key] = target

    def _references(self) -> None:
        """Unknown hubs and counsellors the files' rows name, found here so they come with every other fault
        (the contract checks references only of a problem whose fields are all fine)."""
        known = {
            "base_hub": {hub["id"] for hub in self.data["hubs"]},
            "counsellor": {c["id"] for c in self.data.get("counsellors", [])},
        }
        words = {"base_hub": MESSAGES["unknown_hub"], "counsellor": MESSAGES["unknown_counsellor"]}
        for kind, name in (("staff", "base_hub"), ("clients", "counsellor")):
            if kind not in self.records:
                continue
            for row in self.records[kind].rows:
                value = row.data.get(name)
                if value is not None and value not in known[name]:
                    self.faults.append(row.fault(words[name], self.records[kind].sheet.column(name)))

    def _places(self) -> None:
        """Where each record of the files is in the data (after rooms moved between hubs)."""
        rows = {kind: {row.key: row for row in self.records[kind].rows} for kind in self.records}
        for kind in ("hubs", "staff", "templates", "clients"):
            for i, record in enumerate(self.data[kind]):
                if record["id"] in rows.get(kind, {}):
                    self.origins[(kind, i)] = rows[kind][record["id"]]
            if kind == "hubs":
                for h, hub in enumerate(self.data["hubs"]):
                    for r, room in enumerate(hub["rooms"]):
                        if room["id"] in rows.get("rooms", {}):
                            self.origins[("hubs", h, "rooms", r)] = rows["rooms"][room["id"]]
        if "closures" in rows:
            for i, day in enumerate(self.data["closures"]):
                if day in rows["closures"]:
                    self.origins[("closures", i)] = rows["closures"][day]


def _laid(stored: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """A stored record with a row's fields laid over it: a cleared field takes the contract's default."""
    record = dict(stored)
    for name, value in fields.items():
        if isinstance(value, dict):
            value = {**(record.get(name) or {}), **value}
            value = {part: v for part, v in value.items() if v is not None}
        if value is None:
            record.pop(name, None)
        else:
            record[name] = value
    return record


def _validate(overlay: _Overlay, preview: SheetImport) -> Problem | None:
    """The laid-over problem, or None with its faults added at the cells they come from."""
    try:
        return Problem.model_validate(overlay.data)
    except ValidationError as error:
        issues = _issues(error)
    taken = {(f.sheet.kind if f.sheet else None, f.row, f.field) for f in preview.faults}
    for loc, kind, ctx, message in issues:
        fault = _fault(overlay, loc, kind, ctx, message)
        kind_of = fault.sheet.kind if fault.sheet else None
        if (kind_of, fault.row, fault.field) not in taken and (kind_of, None, fault.field) not in taken:
            taken.add((kind_of, fault.row, fault.field))
            preview.faults.append(fault)
    return None


def _issues(error: ValidationError) -> list[tuple[tuple[Any, ...], str, dict[str, Any], str]]:
    """Each fault of the contract: its place, its type, its context and its English words."""
    issues: list[tuple[tuple[Any, ...], str, dict[str, Any], str]] = []
    for item in error.errors(include_url=False):
        ctx = dict(item.get("ctx") or {})
        nested = ctx.get("error")
        if isinstance(nested, ReferenceErrors):
            issues += [(_loc(issue.path), "reference", {}, issue.message) for issue in nested.issues]
            continue
        message = str(item["msg"]).removeprefix("Value error, ")
        issues.append((tuple(item["loc"]), str(item["type"]), ctx, message))
    return issues


def _loc(path: str) -> tuple[Any, ...]:
    """`hubs[3].rooms[0].capacity` as ('hubs', 3, 'rooms', 0, 'capacity')."""
    return tuple(int(part[1:-1]) if part.startswith("[") else part for part in re.findall(r"\[\d+\]|\w+", path))


def _fault(overlay: _Overlay, loc: tuple[Any, ...], kind: str, ctx: dict[str, Any], message: str) -> Fault:
    depth = 4 if len(loc) >= 4 and loc[0] == "hubs" and loc[2] == "rooms" else 2
    place, rest = loc[:depth], loc[depth:]
    sheet = _sheet_of(place)
    row = overlay.origins.get(place)
    column = _column(sheet, rest) if sheet is not None else None
    words, values = _words(column, kind, ctx, message)
    if row is not None:
        if column is None and rest:
            words, values = DETAIL, {"detail": f"{'.'.join(str(p) for p in rest)}: {message}"}
        return row.fault(words, column, **values)
    detail = f"{'.'.join(str(p) for p in rest)}: {message}" if rest else message
    if sheet is not None:
        record = _record_at(overlay.data, place)
        return Fault(MESSAGES["stored"], {"id": str(record), "detail": detail}, sheet=sheet)
    return Fault(DETAIL, {"detail": f"{'.'.join(str(p) for p in loc)}: {message}"})


def _sheet_of(place: tuple[Any, ...]) -> Sheet | None:
    kind = "rooms" if len(place) == 4 else str(place[0]) if place else ""
    return next((sheet for sheet in SHEETS if sheet.kind == kind), None)


def _record_at(data: dict[str, Any], place: tuple[Any, ...]) -> Any:
    try:
        record = data[place[0]][place[1]]
        if len(place) == 4:
            record = record["rooms"][place[3]]
        return record["id"] if isinstance(record, dict) else record
    except (KeyError, IndexError, TypeError):
        return "?"


def _column(sheet: Sheet, rest: tuple[Any, ...]) -> Column | None:
    """The column a contract field (and its part) is read from: ('home', 'lat') → home_lat."""
    if not rest:
        return None
    name = str(rest[0])
    for column_field, (outer, part) in NESTED.items():
        if name == outer and (len(rest) < 2 or rest[1] == part) and any(c.field == column_field for c in sheet.columns):
            return sheet.column(column_field)
    return next((c for c in sheet.columns if c.field == name), None)


REFERENCES = {
    "unknown hub": MESSAGES["unknown_hub"],
    "unknown counsellor": MESSAGES["unknown_counsellor"],
    "missing: give every hub": MESSAGES["county"],
}


RULES: tuple[tuple[re.Pattern[str], Message], ...] = tuple(
    (re.compile(pattern), words)
    for pattern, words in (
        (
            r"min_size (?P<low>\d+) is above max_size (?P<high>\d+)",
            N_("the fewest participants (%(low)s) is above the most (%(high)s)"),
        ),
        (
            r"a peer instructor is not the group's qualified professional.*",
            N_("a peer instructor is not the group's qualified professional: give no as qualified for a peer"),
        ),
        (
            r"the assessment \((?P<assessed>[^)]+)\) is before the case opening \((?P<opened>[^)]+)\)",
            N_("the assessment (%(assessed)s) is before the case opening (%(opened)s)"),
        ),
        (
            r"decisions overlap: (?P<first>\S+) and (?P<second>\S+) .*",
            N_("decisions overlap: %(first)s and %(second)s (a continuation starts after the decision before it ends)"),
        ),
        (
            r"a decision starts \((?P<start>[^)]+)\) before the case opening \((?P<opened>[^)]+)\)",
            N_("a decision starts (%(start)s) before the case opening (%(opened)s)"),
        ),
        (
            r"the decision ends \((?P<end>[^)]+)\) before it starts \((?P<start>[^)]+)\)",
            N_("the decision ends (%(end)s) before it starts (%(start)s)"),
        ),
        (
            r"the window ends \((?P<end>[^)]+)\) before or when it starts \((?P<start>[^)]+)\)",
            N_("a time ends (%(end)s) before or when it starts (%(start)s)"),
        ),
    )
)
"""The contract's own checks of a record as a whole, in the catalogue's words (the contract speaks English)."""


def _words(column: Column | None, kind: str, ctx: dict[str, Any], message: str) -> tuple[Message, dict[str, str]]:
    """A contract fault in the catalogue's words where it has them, else the contract's own."""
    if kind == "value_error":
        for pattern, words in RULES:
            found = pattern.fullmatch(message)
            if found:
                return words, found.groupdict()
    if kind == "missing":
        return MESSAGES["required"], {}
    if kind == "reference":
        for start, words in REFERENCES.items():
            if message.startswith(start):
                return words, {}
    if kind == "greater_than_equal" and "ge" in ctx:
        return MESSAGES["at_least"], {"limit": str(ctx["ge"])}
    if kind == "less_than_equal" and "le" in ctx:
        return MESSAGES["at_most"], {"limit": str(ctx["le"])}
    if kind == "too_short":
        return MESSAGES["one_at_least"], {}
    if column is not None and kind in ("literal_error", "string_pattern_mismatch", "enum"):
        return EXPECTED[column.cell], {}
    return DETAIL, {"detail": message}


def _classify(
    session: Session, preview: SheetImport, overlay: _Overlay, problem: Problem, records: dict[str, SheetRecords]
) -> None:
    """Each record of the files: created, updated or unchanged; the rows to write."""
    now = problem.dump()
    base = overlay.base
    for kind, sheet_rows in records.items():
        if kind == "closures":
            _closures(session, preview, sheet_rows)
            continue
        before = _by_id(base, kind)
        after = _by_id(now, kind)
        known = stored_ids(session, kind) if kind == "clients" else set(before)
        # A client out of the service is stored but not in the problem: compared with their stored row.
        keys = {row.key for row in sheet_rows.rows}
        away = stored_rows(session, kind, (keys & known) - set(before)) if kind == "clients" else {}
        new: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        columns = {STORED_AS.get(f, f) for f in sheet_rows.fields} | {"id"}
        for row in sheet_rows.rows:
            full = _table_row(kind, after[row.key])
            if row.key not in known:
                preview.created[kind].append(row.key)
                new.append(full)
                continue
            old = _table_row(kind, before[row.key]) if row.key in before else away.get(row.key, {})
            diff = {c: full.get(c) for c in columns if c not in old or full.get(c) != old[c]}
            if not diff:
                preview.unchanged[kind].append(row.key)
            else:
                preview.updated[kind].append(row.key)
                changed.append({**diff, "id": row.key})
        preview.rows[kind] = (new, changed)


def _closures(session: Session, preview: SheetImport, records: SheetRecords) -> None:
    reasons = closure_reasons(session)
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for row in records.rows:
        day = date.fromisoformat(row.key)
        reason = row.data.get("reason")
        if row.key not in reasons:
            preview.created["closures"].append(row.key)
            new.append({"day": day, "reason": reason})
        elif "reason" not in records.fields or reasons[row.key] == reason:
            preview.unchanged["closures"].append(row.key)
        else:
            preview.updated["closures"].append(row.key)
            changed.append({"day": day, "reason": reason})
    preview.rows["closures"] = (new, changed)


def _by_id(data: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    """A problem's records of a kind by id; a hub without its rooms, a room with its hub."""
    if kind == "rooms":
        return {room["id"]: {**room, "hub": hub["id"]} for hub in data["hubs"] for room in hub.get("rooms", [])}
    if kind == "hubs":
        return {hub["id"]: {k: v for k, v in hub.items() if k != "rooms"} for hub in data["hubs"]}
    return {record["id"]: record for record in data[kind]}


def _table_row(kind: str, record: dict[str, Any]) -> dict[str, Any]:
    """A contract record (as dumped) as its table's columns; a field left out is none."""
    table = dict(record)
    if kind == "rooms":
        table["hub_id"] = table.pop("hub")
        return {"name": None, **table}
    if kind == "hubs":
        return {"address": None, "county": None, **table}
    if kind == "staff":
        return {"name": None, "email": None, "county": None, **table}
    if kind == "templates":
        return {"sessions": None, **table}
    home = table.pop("home")
    table["home_lat"], table["home_lon"] = home["lat"], home["lon"]
    table["counsellor_id"] = table.pop("counsellor", None)
    for name in DATES:
        table[name] = date.fromisoformat(table[name]) if table.get(name) else None
    return {"county": None, **table}
