"""The offering load benchmark still runs: a small county on SQLite, one process, two routes, `wrk` for a
second each; every answer 2xx, and the report names the rates, the feed's share and the machine."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.offering_load import main


def test_the_offering_load_benchmark_runs_without_errors(tmp_path: Path) -> None:
    out, found = tmp_path / "OFFERING.md", tmp_path / "OFFERING.json"
    routes = "GET /offering,POST /offering/recommend,GET /calendars/offering.ics"
    argv = ["--clients", "40", "--time-limit", "3", "--concurrency", "2", "--seconds", "1", "--processes", "1"]
    argv += ["--databases", "sqlite", "--routes", routes, "--out", str(out), "--json", str(found)]
    assert main(argv) == 0
    rows = json.loads(found.read_text(encoding="utf-8"))["rows"]
    assert [row["route"] for row in rows] == routes.split(",")
    assert all(row["requests"] > 0 and row["errors"] == 0 and row["p99_ms"] >= row["p50_ms"] > 0 for row in rows)
    report = out.read_text(encoding="utf-8")
    assert "| sqlite | 1 | GET /offering | 2 |" in report and "## Machine" in report, report
