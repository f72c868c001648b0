"""Partners' activities from a CSV file: every fault reported at once by row and column, nothing stored
unless the whole file is valid, and the same file imported twice changes nothing.

The file (docs/partners.md): UTF-8 (a byte-order mark is fine), comma-separated, a header row of the
field names in any order (`scheduler.contract.partner.PARTNER_FIELDS`; the optional ones may be left
out), one activity a row. `languages` holds codes separated by semicolons (`fi;sv`), so the cell needs
no quotes; `accessible` is yes/no (true/false, 1/0, kyllä/ei, ja/nej; empty is no); dates are ISO
(2027-01-31); an empty cell is a field left out. Faults name the row as its line number, the header
being row 1: `rows[3].day`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlalchemy.orm import Session

from scheduler.contract.errors import FieldError, Invalid
from scheduler.contract.partner import PARTNER_FIELDS, PartnerActivityIn, PartnerFields
from scheduler.services.partners import save_partner

__all__ = ["ImportResult", "import_partners", "parse_partners", "save_records"]

REQUIRED = tuple(name for name in PARTNER_FIELDS if name == "id" or PartnerFields.model_fields[name].is_required())
YES = {"yes", "true", "1", "kyllä", "k", "ja", "y", "x"}
NO = {"no", "false", "0", "ei", "e", "nej", "n", ""}


@dataclass
class ImportResult:
    """What an import did, by activity id."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _fault(row: int, column: str, message: str) -> FieldError:
    return FieldError(f"rows[{row}].{column}", message)


def _cell(column: str, value: str) -> object:
    """A cell as the record reads it: empty is left out, `accessible` a yes or no."""
    if column == "accessible":
        word = value.strip().lower()
        if word in YES:
            return True
        if word in NO:
            return False
        return value
    return value


def _message(error: dict[str, object]) -> str:
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    return "is required" if error.get("type") == "missing" else message


def _header(columns: list[str]) -> list[FieldError]:
    faults = []
    seen: set[str] = set()
    for index, column in enumerate(columns, start=1):
        if column not in PARTNER_FIELDS:
            faults.append(
                _fault(1, column or f"column {index}", f"is not a field; the columns are {', '.join(PARTNER_FIELDS)}")
            )
        elif column in seen:
            faults.append(_fault(1, column, "is given twice"))
        seen.add(column)
    faults += [_fault(1, name, "is a required column and missing") for name in REQUIRED if name not in seen]
    return faults


def parse_partners(text: str) -> list[PartnerActivityIn]:
    """Every row checked; Invalid naming each faulty cell (row and column) when any is, else the records."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise Invalid(
            "the file is empty: it needs a header row and at least one activity", [_fault(1, "id", "no rows")]
        )
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise Invalid(f"the file is not CSV: {error}", [FieldError("rows", str(error))]) from None
    columns = [c.strip() for c in rows[0]]
    faults = _header(columns)
    if faults:
        raise Invalid(f"the header row has {len(faults)} fault(s)", faults)
    records: list[PartnerActivityIn] = []
    first_row: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue  # a blank line
        if len(cells) != len(columns):
            faults.append(_fault(number, "*", f"has {len(cells)} cells, the header {len(columns)}"))
            continue
        data = {c: _cell(c, v) for c, v in zip(columns, cells, strict=True) if v.strip() or c == "accessible"}
        try:
            record = PartnerActivityIn.model_validate(data)
        except ValidationError as error:
            for problem in error.errors():
                loc = problem.get("loc") or ("*",)
                faults.append(_fault(number, str(loc[0]), _message(dict(problem))))
            continue
        if record.id in first_row:
            faults.append(_fault(number, "id", f"{record.id!r} is also on row {first_row[record.id]}"))
            continue
        first_row[record.id] = number
        records.append(record)
    if faults:
        where = ", ".join(f.field for f in faults[:5]) + (f" and {len(faults) - 5} more" if len(faults) > 5 else "")
        raise Invalid(f"{len(faults)} fault(s) in the file, nothing imported: {where}", faults)
    if not records:
        raise Invalid("the file has a header but no activity", [_fault(2, "id", "no activity rows")])
    return records


def import_partners(session: Session, text: str, actor: str) -> ImportResult:
    """Check the whole file, then save every row (idempotent by id); Invalid and nothing saved on any fault.
    Activities missing from the file are left as they are. The caller commits."""
    return save_records(session, parse_partners(text), actor)


def save_records(session: Session, records: list[PartnerActivityIn], actor: str) -> ImportResult:
    """Save checked activities by id (the same again changes nothing): an import's rows, or the built-in
    scenario's (`scheduler.scenario.partners.partner_activities`). The caller commits."""
    result = ImportResult()
    for record in records:
        fields = PartnerFields.model_validate(record.model_dump(exclude={"id"}))
        _, outcome = save_partner(session, record.id, fields, actor)
        getattr(result, outcome).append(record.id)
    return result
