"""The contract's checks of a record as a whole (sizes, dates, a peer instructor) said in the user's language at
the row they come from, not in the contract's English."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from scheduler.contract import parse_problem
from scheduler.services.sheets.imports import preview_sheets
from scheduler.storage.repository import import_problem
from tests.services.test_sheet_import import NEW_CLIENT, TINY
from tests.sheets_data import record_rows, sheet_name, xlsx_bytes


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fi", ("vähimmäiskoko (9) on suurempi kuin enimmäiskoko (4)", "arviointi (2026-10-01) on ennen asian")),
        ("sv", ("minsta storleken (9) är större än den högsta (4)", "bedömningen (2026-10-01) är före ärendets")),
        ("en", ("the fewest participants (9) is above the most (4)", "the assessment (2026-10-01) is before the case")),
    ],
)
def test_a_records_own_rule_is_said_in_the_language_at_its_row(
    engine: Engine, lang: str, words: tuple[str, str]
) -> None:
    with Session(engine) as session:
        import_problem(session, parse_problem(TINY))
        session.commit()
    template = {**TINY["templates"][0], "min_size": 9, "max_size": 4}
    client = {**NEW_CLIENT, "case_opened": "2026-11-02", "assessed": "2026-10-01"}
    book = xlsx_bytes(
        {
            sheet_name("templates", lang): record_rows("templates", [template], lang),
            sheet_name("clients", lang): record_rows("clients", [client], lang),
        }
    )
    with Session(engine) as session:
        found = preview_sheets(session, [("book.xlsx", book)], lang=lang, today=date(2026, 12, 1))
    texts = found.fault_texts()
    assert len(texts) == 2, texts
    sizes, dates = words
    models, clients = (sheet_name(kind, lang).capitalize() for kind in ("templates", "clients"))
    assert any(text.startswith(models) and text.endswith(f" 2: {sizes}") for text in texts), texts
    assert any(text.startswith(clients) and f" 2: {dates}" in text for text in texts), texts
    assert not any("min_size" in text or "assessment (" in text for text in texts if lang != "en"), texts
