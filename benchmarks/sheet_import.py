"""Benchmark: 5000 client rows imported from a sheet (.xlsx and .csv), on SQLite and PostgreSQL.

The database holds the built-in scenario's hubs, rooms, staff and group models (imported as a
problem with no clients); the clients sheet has every column, one row a client of the same
scenario. Timed, each from the file's bytes to the commit: the first import (every client
created), the same file again (every client unchanged, nothing written) and a file with one
column changed in every row (every client updated). Reading the file alone is timed too.
Target: under 10 s for 5000 rows.

    python -m benchmarks.sheet_import [--clients 5000] [--out benchmarks/SHEETS.md]

PostgreSQL is the tests' (TARJOTIN_TEST_POSTGRES_URL).

Not a test: the numbers depend on the machine, which the report names.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from benchmarks.report import page
from scheduler.scenario import generate
from scheduler.services.sheets.imports import preview_sheets, store_sheets
from scheduler.services.sheets.read import read_files
from scheduler.storage.database import make_engine
from scheduler.storage.repository import import_problem
from tests.conftest import migrated
from tests.sheets_data import csv_bytes, record_rows, xlsx_bytes

TARGET_SECONDS = 10.0


def _files(clients: list[dict[str, object]], fmt: str) -> list[tuple[str, bytes]]:
    rows = record_rows("clients", clients)
    if fmt == "xlsx":
        return [("clients.xlsx", xlsx_bytes({"clients": rows}))]
    return [("clients.csv", csv_bytes(rows))]


def _import(url: str, files: list[tuple[str, bytes]]) -> tuple[float, dict[str, int]]:
    engine = make_engine(url)
    began = time.perf_counter()
    with Session(engine) as session:
        preview = preview_sheets(session, files)
        assert preview.ok, preview.fault_texts()[:5]
        store_sheets(session, preview, "benchmark")
        session.commit()
    took = time.perf_counter() - began
    engine.dispose()
    return took, preview.counts()["clients"]


def _runs(url: str, clients: int, fmt: str) -> list[str]:
    problem = generate(clients, 1)
    data = problem.dump()
    engine = make_engine(url)
    with Session(engine) as session:
        import_problem(session, problem.model_copy(update={"clients": [], "groups": []}), actor="benchmark")
        session.commit()
    engine.dispose()
    files = _files(data["clients"], fmt)
    size = sum(len(content) for _, content in files)
    began = time.perf_counter()
    read_files(files)
    read = time.perf_counter() - began
    first, made = _import(url, files)
    again, same = _import(url, files)
    for client in data["clients"]:
        client["max_travel_minutes"] = min(600, client["max_travel_minutes"] + 5)
    changed, updated = _import(url, _files(data["clients"], fmt))
    kind = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    what = f"{clients} clients, .{fmt} ({size // 1024} KiB)"
    return [
        f"| {kind} | {what}: read the file alone | {read:.2f} | – |",
        f"| {kind} | {what}: first import ({made['created']} created) | {first:.2f} | {first < TARGET_SECONDS} |",
        f"| {kind} | {what}: the same file again ({same['unchanged']} unchanged) | {again:.2f} | "
        f"{again < TARGET_SECONDS} |",
        f"| {kind} | {what}: one column changed ({updated['updated']} updated) | {changed:.2f} | "
        f"{changed < TARGET_SECONDS} |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=5000)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/SHEETS.md"))
    args = parser.parse_args()
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows: list[str] = []
    for fmt in ("xlsx", "csv"):
        with tempfile.TemporaryDirectory() as tmp:
            rows += _runs(migrated("sqlite", Path(tmp)), args.clients, fmt)
        with tempfile.TemporaryDirectory() as tmp:
            rows += _runs(migrated("postgresql", Path(tmp)), args.clients, fmt)
    for row in rows:
        print(row)
    intro = (
        f"`python -m benchmarks.sheet_import --clients {args.clients}`: the built-in scenario's clients as one "
        "clients sheet with every column, imported into a database that holds the scenario's hubs, rooms, staff "
        "and group models. Each time is from the file's bytes to the commit (`preview_sheets`, then "
        f"`store_sheets`), in one process. Target: under {TARGET_SECONDS:.0f} s."
    )
    header = "| database | what | seconds | under target |"
    args.out.write_text(page("Sheet import benchmark", intro, header, rows, started))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
