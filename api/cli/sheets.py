"""Spreadsheet files from the command line: `tarjotin template --lang fi --out FILE` writes the import template."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import fail, out
from api.cli.plans import checked_lang
from scheduler.services.sheets.columns import SHEETS
from scheduler.services.sheets.template import template_workbook

__all__ = ["template"]


def template(
    out_file: Annotated[Path, typer.Option("--out", help="where to write the .xlsx template")],
    lang: Annotated[str, typer.Option("--lang", help="fi, sv or en: the language of its sheets and headers")] = "fi",
) -> None:
    """Write the import template: a sheet per kind of record with an example row, drop-downs and instructions."""
    workbook = template_workbook(checked_lang(lang))
    try:
        out_file.write_bytes(workbook)
    except OSError as error:
        fail(f"cannot write {out_file}: {error.strerror or error}")
    out.print(f"wrote {out_file}: the {lang} import template, {len(SHEETS)} sheets and instructions", highlight=False)
