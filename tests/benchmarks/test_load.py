"""The load benchmark still runs: a tiny scenario, one level of 4 clients for 5 seconds, two workers, no errors."""

from __future__ import annotations

from pathlib import Path

from benchmarks.load import main
from tests.conftest import fresh_postgres

ROUTES = (
    "GET /offering",
    "GET / (page)",
    "GET /calendars/groups/{id}.ics",
    "GET /calendars/groups/{id}.ics If-None-Match",
    "POST /offering/recommend",
    "POST /groups/{id}/enrollments",
)


def test_the_load_benchmark_runs_without_errors(tmp_path: Path) -> None:
    out = tmp_path / "LOAD.md"
    argv = ["--clients", "40", "--time-limit", "2", "--users", "4", "--duration", "5", "--workers", "2"]
    assert main([*argv, "--database-url", fresh_postgres(), "--out", str(out)]) == 0
    report = out.read_text(encoding="utf-8")
    rows = [line.split(" | ") for line in report.splitlines() if line.startswith("| 4 | ")]
    assert "all routes" in {row[1] for row in rows} <= {*ROUTES, "all routes"}, report  # a short run may miss a route
    assert int(rows[-1][2]) > 0, report
    assert all(row[-1] == "0 |" for row in rows), report
    assert "## Machine" in report and "load at the end" in report
