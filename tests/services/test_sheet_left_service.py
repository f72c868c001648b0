"""A client who has left the service, in an imported sheet: their stored row is updated as the file says, they
stay out of the service, and the same file again changes nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from scheduler.contract import parse_problem
from scheduler.services.sheets.imports import preview_sheets, store_sheets
from scheduler.storage.models import AuditEntry, ClientRow
from scheduler.storage.repository import import_problem
from tests.services.test_sheet_import import NEW_CLIENT, TINY
from tests.sheets_data import record_rows, sheet_name, xlsx_bytes


def _import(engine: Engine, book: bytes) -> tuple[list[str], list[str]]:
    with Session(engine) as session:
        found = preview_sheets(session, [("book.xlsx", book)], today=date(2026, 12, 1))
        assert found.ok, found.fault_texts()
        store_sheets(session, found, "test")
        session.commit()
    return found.updated["clients"], found.unchanged["clients"]


def test_a_client_who_left_is_updated_once_and_stays_out(engine: Engine) -> None:
    with Session(engine) as session:
        import_problem(session, parse_problem({**TINY, "clients": [*TINY["clients"], NEW_CLIENT]}))
        session.get(ClientRow, "n01").in_service = False  # type: ignore[union-attr]
        session.commit()
    moved = {**NEW_CLIENT, "max_travel_minutes": 55}
    book = xlsx_bytes({sheet_name("clients", "fi"): record_rows("clients", [moved], "fi")})
    assert _import(engine, book) == (["n01"], [])
    with Session(engine) as session:
        audits = session.scalar(select(func.count()).select_from(AuditEntry))
        row = session.get(ClientRow, "n01")
        assert row is not None and row.max_travel_minutes == 55 and row.in_service is False
    assert _import(engine, book) == ([], ["n01"])
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == audits
