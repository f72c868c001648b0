"""A fault in an imported file: where it is (file, sheet, row, column), the value found and what was expected.

`Fault.text(lang)` says it in the user's language, the sheet and the column by their names in that
language from the catalogue (`columns`): "Asiakkaat, rivi 14, sarake Kielet: 'ruotsi ja suomi' — anna
kielikoodit pilkuin: fi, sv". A fault of a whole column (missing, unknown), of a whole sheet or file
leaves out what it has not, and reads as naturally.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scheduler.i18n import N_, NC_, Message, gettext
from scheduler.services.sheets.cells import show_value
from scheduler.services.sheets.columns import Column, Sheet

__all__ = ["DETAIL", "Fault", "MESSAGES"]

DETAIL = "%(detail)s"
"""A fault whose words come from elsewhere (the contract's own English check), shown as they are."""

MESSAGES = {
    "required": N_("a value is required"),
    "missing_column": N_("the sheet has no such column, and it is required"),
    "unknown_column": N_("no such column in this sheet; its columns are: %(columns)s"),
    "twice": N_("the column is given twice"),
    "duplicate": N_("the same id is also on row %(row)s"),
    "unknown_hub": N_("no hub has this id"),
    "unknown_counsellor": N_("no counsellor has this id"),
    "at_least": N_("give at least %(limit)s"),
    "at_most": N_("give at most %(limit)s"),
    "one_at_least": N_("give at least one"),
    "county": N_("give every hub, staff member and client a county, or none"),
    "file_type": N_("the file is not a spreadsheet Tarjotin reads: give .xlsx or .csv files"),
    "unreadable": N_("the file cannot be read: %(detail)s"),
    "no_sheet": N_("no sheet of the file is known; name the sheets (or the file) for what they hold: %(sheets)s"),
    "no_header": N_("the sheet has no header row"),
    "stored": N_("the stored record %(id)s: %(detail)s"),
}
"""Every fault's message by its name (msgids in English; `cells.EXPECTED` says what a cell expects)."""


@dataclass
class Fault:
    """One fault: `message` (with `values` for its blanks) and where it is, as far as it is anywhere."""

    message: Message
    values: dict[str, str] = field(default_factory=dict)
    file: str | None = None
    """the file's name, for a fault of the file itself (or of a sheet no catalogue sheet names)"""
    sheet: Sheet | None = None
    sheet_name: str | None = None
    """the sheet's name as the file has it (the title of an .xlsx sheet, the name of a .csv file)"""
    row: int | None = None
    """the spreadsheet's row number, the header being row 1"""
    column: Column | None = None
    header: str | None = None
    """the column's header as the file has it (an unknown column has only this)"""
    value: Any = None
    """the cell's value as the file has it (None: no value to show)"""

    @property
    def field(self) -> str | None:
        """The column's English header (the contract's field), or the header as the file has it."""
        return self.column.field if self.column is not None else self.header

    def where(self, lang: str) -> str:
        """`Asiakkaat, rivi 14, sarake Kielet` in the language; empty for a fault of no place."""
        parts = []
        if self.sheet is not None:
            parts.append(_capital(gettext(lang, self.sheet.label)))
        elif self.sheet_name is not None:
            parts.append(self.sheet_name)
        elif self.file is not None:
            parts.append(self.file)
        if self.row is not None:
            parts.append(gettext(lang, NC_("fault", "row %(row)s"), row=str(self.row)))
        name = self._column_name(lang)
        if name is not None:
            parts.append(gettext(lang, NC_("fault", "column %(column)s"), column=name))
        return ", ".join(parts)

    def text(self, lang: str) -> str:
        """The whole fault in the language: where, the value, what was expected."""
        said = gettext(lang, self.message, **self.values) if self.values else gettext(lang, self.message)
        if self.value is not None and show_value(self.value).strip():
            said = f"'{show_value(self.value)}' — {said}"
        where = self.where(lang)
        return f"{where}: {said}" if where else _capital(said)

    def _column_name(self, lang: str) -> str | None:
        if self.column is not None:
            label = gettext(lang, self.column.label)
            return label if label == self.column.field else _capital(label)
        return self.header

    def __str__(self) -> str:
        return self.text("en")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
