"""The `tarjotin` app itself: its version, shell completion, exit codes, `--json` summaries and the
solve's progress line on stderr.

Exit codes: 0 done, 1 a check failed, 2 bad input or a refused action, 64 a usage error.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from sqlalchemy import Engine, select
from typer.testing import CliRunner, Result

from api.cli import app
from api.cli.progress import ProgressLine, solve_watched
from scheduler.contract import parse_problem
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import EnrollmentRow
from scheduler.storage.repository import import_problem
from solver import Progress
from tests.conftest import cli_database
from tests.paths import DATA

EXAMPLES = DATA
TINY_PROBLEM = EXAMPLES / "tiny-problem.json"
TINY_PLAN = EXAMPLES / "tiny-plan.json"
QUICK = ("--time-limit", "2", "--workers", "1")

runner = CliRunner()


def invoke(*args: str | Path, **kwargs: Any) -> Result:
    """The command's result; fails on any uncaught exception."""
    result = runner.invoke(app, [str(arg) for arg in args], **kwargs)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the command raised {result.exception!r}") from result.exception
    return result


def tiny(name: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(name.read_text(encoding="utf-8"))
    return data


# --- version and completion -------------------------------------------------------------


def test_version_prints_the_installed_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"tarjotin {version('tarjotin')}"


def test_help_names_the_exit_codes_and_completion() -> None:
    said = " ".join(invoke("--help").stdout.split())
    for text in (
        "0 done",
        "1 a check failed",
        "2 bad input or a refused action",
        "64 a usage error",
        "--install-completion",
        "--show-completion",
    ):
        assert text in said, text


def test_show_completion_gives_a_bash_script() -> None:
    """Run from bash, as a person would: the shell is found among the command's parents (in-process under a
    runner started without a shell, such as a detached job, there is none to find). The `exit` keeps bash from
    replacing itself with the command."""
    tarjotin = Path(sys.executable).with_name("tarjotin")
    result = subprocess.run(
        ["bash", "-c", f"'{tarjotin}' --show-completion; exit $?"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "complete -o default -F _tarjotin_completion tarjotin" in result.stdout
    assert "_TARJOTIN_COMPLETE=complete_bash" in result.stdout


def test_bash_completion_completes_a_command() -> None:
    env = {"_TARJOTIN_COMPLETE": "complete_bash", "COMP_WORDS": "tarjotin so", "COMP_CWORD": "1"}
    result = runner.invoke(app, [], env=env, prog_name="tarjotin")
    assert result.exit_code == 0
    assert result.stdout.split() == ["solve"]


# --- exit codes ---------------------------------------------------------------------------


def test_exit_0_when_done() -> None:
    assert invoke("check", TINY_PROBLEM, TINY_PLAN).exit_code == 0


def test_exit_1_when_a_check_fails(tmp_path: Path) -> None:
    plan = tiny(TINY_PLAN)
    plan["groups"][0]["leaders"] = ["mikko"]
    (tmp_path / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    assert invoke("check", TINY_PROBLEM, tmp_path / "plan.json").exit_code == 1


@pytest.mark.parametrize(
    "args",
    [
        ["solve", "no-such-problem.json", "--out", "plan.json"],  # bad input: a missing file
        ["schema", "calendar"],  # bad input: an unknown document
    ],
)
def test_exit_2_on_bad_input(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(*args)
    assert result.exit_code == 2 and "error:" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["no-such-command"],
        ["solve", str(TINY_PROBLEM)],  # --out is missing
        ["solve", str(TINY_PROBLEM), "--out", "plan.json", "--time-limit", "0"],
        ["check", str(TINY_PROBLEM), str(TINY_PLAN), "--no-such-option"],
        ["token", "revoke", "not-a-number"],
        ["solve", str(TINY_PROBLEM), "--out", "plan.json", "--json", "--log"],
    ],
)
def test_exit_64_on_a_usage_error(args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 64, result.output
    assert "Traceback" not in result.output


# --- --json: one object on stdout, messages on stderr -------------------------------------


def test_solve_json_is_the_summary_and_the_progress_line_goes_to_stderr(tmp_path: Path) -> None:
    result = invoke("solve", TINY_PROBLEM, "--out", tmp_path / "plan.json", "--json", *QUICK)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    clients = len(tiny(TINY_PROBLEM)["clients"])
    assert summary["clients"] == clients and summary["placed"] + summary["unplaced"] == clients
    assert {
        "status",
        "groups",
        "groups_new",
        "gap",
        "solve_seconds",
        "unplaced_by_reason",
        "groups_by_municipality",
    } <= summary.keys()
    assert summary["plan_file"] == str(tmp_path / "plan.json")
    assert "plan written to" in result.stderr
    assert "plans found" in result.stderr and f"of {clients} clients placed" in result.stderr


def test_solve_prints_its_progress_line_on_stderr(tmp_path: Path) -> None:
    result = invoke("solve", TINY_PROBLEM, "--out", tmp_path / "plan.json", *QUICK)
    assert result.exit_code == 0, result.output
    assert "planned in" in result.stderr and "plans found" in result.stderr
    assert "planned in" not in result.stdout and "placed" in result.stdout  # the summary table


def test_check_json_lists_the_violations(tmp_path: Path) -> None:
    valid = invoke("check", TINY_PROBLEM, TINY_PLAN, "--json")
    assert valid.exit_code == 0 and json.loads(valid.stdout) == {"valid": True, "groups": 2, "violations": []}
    plan = tiny(TINY_PLAN)
    plan["groups"][0]["leaders"] = ["mikko"]
    (tmp_path / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    broken = invoke("check", TINY_PROBLEM, tmp_path / "plan.json", "--json")
    assert broken.exit_code == 1
    report = json.loads(broken.stdout)
    assert report["valid"] is False and "H5" in {v["rule"] for v in report["violations"]}
    assert "five_need_two_leaders" in {v["key"] for v in report["violations"]}


def load_tiny(engine: Engine) -> None:
    with session_scope(engine) as session:
        import_problem(session, parse_problem(tiny(TINY_PROBLEM)))


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    return cli_database(tmp_path, monkeypatch, load_tiny)


def test_plan_and_publish_json_then_a_second_publish_is_refused(database: str) -> None:
    planned = invoke("plan", "--json", *QUICK)
    assert planned.exit_code == 0, planned.output
    summary = json.loads(planned.stdout)
    assert summary["run"] == 1 and summary["placed"] == summary["diff"]["clients_added"] > 0
    assert "publish it with: tarjotin publish 1" in planned.stderr and "plans found" in planned.stderr
    published = invoke("publish", "--json")
    assert published.exit_code == 0, published.output
    assert json.loads(published.stdout) == {
        "run": 1,
        "version": 1,
        "diff": summary["diff"],
        "offers_made": summary["placed"],
        "seats_made": 0,
        "offers_withdrawn": 0,
    }
    again = invoke("publish", "1")
    assert again.exit_code == 2 and "only a draft can be published" in again.stderr
    assert invoke("publish", "7").exit_code == 2


# --- the live progress line ----------------------------------------------------------------


def test_the_progress_line_shows_plans_found_the_gap_and_seconds_left() -> None:
    line = ProgressLine(time_limit=30)
    assert "building the model" in str(line.__rich__())
    line.hear(Progress(solutions=3, objective=90_000.0, bound=100_000.0, elapsed_seconds=1.0, area=1, areas=2))
    text = str(line.__rich__())
    assert "area 1 of 2" in text and "3 plans found" in text and "gap 11.11 %" in text
    assert "at most 30 s left" in text or "at most 29 s left" in text


def test_a_terminal_sees_the_line_live_then_the_last_line() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=120)
    plan = solve_watched(parse_problem(tiny(TINY_PROBLEM)), time_limit=2, workers=1, console=console)
    shown = screen.getvalue()
    assert "planning:" in shown  # the live line, drawn over and cleared at the end
    assert f"{plan.metrics.placed} of {len(tiny(TINY_PROBLEM)['clients'])} clients placed" in shown


def test_importing_a_continuation_moves_the_end_of_the_clients_seats(database: str, tmp_path: Path) -> None:
    assert invoke("offers", "settings", "--accept-at-once").exit_code == 0
    assert invoke("plan", *QUICK).exit_code == 0 and invoke("publish").exit_code == 0
    exported = tmp_path / "county.json"
    assert invoke("export", "--out", exported).exit_code == 0
    county = tiny(exported)
    group = next(g for g in county["groups"] if g["participants"])
    seated = next(c for c in county["clients"] if c["id"] == group["participants"][0])
    seated["decisions"] = [{"start": "2026-07-01", "end": "2027-01-31"}, {"start": "2027-02-01", "end": "2027-07-31"}]
    exported.write_text(json.dumps(county), encoding="utf-8")
    imported = invoke("import", exported)
    assert imported.exit_code == 0 and "1 seats now end with their clients' decisions" in imported.output
    with session_scope(make_engine(database)) as session:
        seat = session.scalars(
            select(EnrollmentRow).where(EnrollmentRow.client_id == seated["id"], EnrollmentRow.status == "active")
        ).one()
        assert seat.to_date == date(2027, 7, 31)  # the continuation's end: one service period
    again = invoke("import", exported)
    assert again.exit_code == 0 and "seats now end" not in again.output  # nothing left to move
