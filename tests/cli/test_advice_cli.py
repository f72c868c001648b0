"""`tarjotin advise` on files and on the database, and `tarjotin whatif` / `whatifs`: the advice is known (a new
leader speaking Swedish places the Swedish speakers the plan leaves out); bad input is a plain error, exit 2."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from sqlalchemy import Engine

from api.cli import common
from api.cli.advice import AdviceLine, advise_watched, describe
from scheduler.contract.whatif import ClientRemote, ClosureLifted, NewLeader, NewRoom, StaffAvailability
from scheduler.services.advice.advise import AdviceParams
from scheduler.services.advice.jobs import AdviceState
from solver import SolveParams, solve
from tests.advice_data import SWEDISH, load_swedish, swedish_data, swedish_problem
from tests.cli.test_app import invoke
from tests.conftest import cli_database

FAST = ("--time-limit", "20", "--replan-seconds", "1", "--top", "3")
TUESDAY = [{"day": "tue", "start": "09:00", "end": "15:00"}]


def flat(text: str) -> str:
    """Lines joined, table borders dropped, to search the text."""
    return " ".join(text.replace("│", " ").split())


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A console wide enough that the tables' cells are not wrapped."""
    monkeypatch.setattr(common.out, "width", 250)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    """The Swedish-speakers problem and a plan of it, as files."""
    problem = tmp_path / "problem.json"
    problem.write_text(json.dumps(swedish_data()), encoding="utf-8")
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(solve(swedish_problem(), SolveParams(time_limit=3, workers=2)).dump()), "utf-8")
    return problem, plan


def _load(engine: Engine) -> None:
    load_swedish(engine)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    return cli_database(tmp_path, monkeypatch, _load)


def test_advise_on_files_writes_the_advice_and_prints_the_table(files: tuple[Path, Path], tmp_path: Path) -> None:
    problem, plan = files
    out = tmp_path / "advice" / "advice.json"
    result = invoke("advise", problem, "--plan", plan, "--out", out, *FAST)
    assert result.exit_code == 0, result.output
    advice: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    assert advice["schema"] == "tarjotin.advice/1" and advice["unplaced"] == len(SWEDISH)
    best = advice["items"][0]
    assert best["change"]["kind"] == "new_leader" and best["change"]["languages"] == ["sv"]
    assert best["placed_gain"] > 0
    said = flat(result.stdout)
    assert "A new Swedish-speaking qualified leader on Tuesdays" in said and "based at Lohja" in said
    assert f"+{best['placed_gain']}" in said and f"Lohja sv {best['placed_gain']}" in said
    assert "advice complete in" in result.stderr and f"advice written to {out}" in flat(result.stderr)
    swedish = invoke("advise", problem, "--plan", plan, "--out", out, "--lang", "sv", *FAST)
    assert swedish.exit_code == 0 and "En ny svenskspråkig behörig ledare på tisdagar" in flat(swedish.stdout)
    unknown = invoke("advise", problem, "--plan", plan, "--out", out, "--lang", "de", *FAST)
    assert unknown.exit_code == 2 and "--lang 'de'" in flat(unknown.output)


@pytest.mark.parametrize("broken", ["problem", "plan"])
def test_advise_names_a_missing_or_broken_file(files: tuple[Path, Path], tmp_path: Path, broken: str) -> None:
    problem, plan = files
    missing = tmp_path / "missing.json"
    args = (missing, "--plan", plan) if broken == "problem" else (problem, "--plan", missing)
    result = invoke("advise", *args, "--out", tmp_path / "a.json", *FAST)
    assert result.exit_code == 2 and str(missing) in flat(result.stderr) and "Traceback" not in result.output
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    args = (bad, "--plan", plan) if broken == "problem" else (problem, "--plan", bad)
    result = invoke("advise", *args, "--out", tmp_path / "a.json", *FAST)
    assert result.exit_code == 2 and f"{bad} is not valid JSON" in flat(result.stderr)
    assert not (tmp_path / "a.json").exists()


def test_advise_refuses_a_plan_of_another_problem_and_missing_options(files: tuple[Path, Path], tmp_path: Path) -> None:
    problem, plan = files
    other = json.loads(plan.read_text(encoding="utf-8"))
    other["groups"][0]["participants"][0] = "stranger"
    (tmp_path / "other.json").write_text(json.dumps(other), encoding="utf-8")
    result = invoke("advise", problem, "--plan", tmp_path / "other.json", "--out", tmp_path / "a.json", *FAST)
    assert result.exit_code == 2 and "other.json" in result.stderr and "stranger" in result.stderr
    no_plan = invoke("advise", problem, "--out", tmp_path / "a.json")
    assert no_plan.exit_code == 2 and "--plan" in no_plan.stderr
    too_long = invoke(
        "advise", problem, "--plan", plan, "--out", tmp_path / "a.json", "--time-limit", "10", "--replan-seconds", "8"
    )
    assert too_long.exit_code == 2 and "--replan-seconds" in too_long.stderr
    assert invoke("advise", problem, "--plan", plan, "--out", tmp_path / "a.json", "--top", "0").exit_code == 64


def test_advise_on_the_database_then_whatifs_from_it(database: str) -> None:
    advised = invoke("advise", *FAST)
    assert advised.exit_code == 0, advised.output
    said = flat(advised.stdout)
    assert "advice 1 on planning run 1" in said and "A new Swedish-speaking qualified leader" in said
    assert "tarjotin whatif --from-advice 1 --item RANK" in said and "advice complete in" in advised.stderr

    taken = invoke("whatif", "--from-advice", "1", "--item", "1", "--name", "Swedish leader")
    assert taken.exit_code == 0, taken.output
    shown = flat(taken.stdout)
    assert "what-if 'Swedish leader' on planning run 1" in shown and "speaking sv" in shown
    assert "clients placed: 5 -> " in shown and "Lohja sv" in shown and "groups opened: 1" in shown

    finnish = {
        "kind": "new_leader",
        "languages": ["fi"],
        "base_hub": "lohja",
        "available": TUESDAY,
        "max_weekly_minutes": 600,
    }
    planned = invoke("whatif", "--name", "Finnish leader", "--change", json.dumps(finnish), "--run", "1")
    assert planned.exit_code == 0, planned.output
    assert "clients placed: 5 -> 5 (+0)" in flat(planned.stdout)

    listed = invoke("whatifs")
    assert listed.exit_code == 0 and flat(listed.stdout).index("Finnish leader") < flat(listed.stdout).index("Swedish")
    compared = invoke("whatif", "--compare", "Swedish leader", "Finnish leader")
    assert compared.exit_code == 0, compared.output
    table = flat(compared.stdout)
    assert "Swedish leader (run 1)" in table and "Finnish leader (run 1)" in table and "+0" in table

    unknown = invoke("whatif", "--compare", "Swedish leader", "nobody")
    assert unknown.exit_code == 2 and "no what-if named 'nobody'" in unknown.stderr
    twice = invoke("whatif", "--name", "Finnish leader", "--change", json.dumps(finnish))
    assert twice.exit_code == 2 and "exists already" in twice.stderr
    far = invoke("whatif", "--from-advice", "1", "--item", "9")
    assert far.exit_code == 2 and "--item" in far.stderr


def test_whatif_names_a_bad_change(database: str) -> None:
    unknown = invoke("whatif", "--name", "x", "--change", '{"kind": "staff_availability", "staff": "nobody"}')
    assert unknown.exit_code == 2 and "changes[0].staff" in unknown.stderr and "nobody" in unknown.stderr
    broken = invoke("whatif", "--name", "x", "--change", '{"kind": "client_remote"')
    assert broken.exit_code == 2 and "--change #1 is not valid JSON" in broken.stderr
    second = invoke(
        "whatif",
        "--name",
        "x",
        "--change",
        '{"kind": "client_remote", "client": "sv01"}',
        "--change",
        '{"kind": "new_room", "hub": "lohja"}',
    )
    assert second.exit_code == 2 and "changes[1]" in second.stderr and "available" in second.stderr
    assert invoke("whatif", "--name", "x").exit_code == 2
    assert invoke("whatifs").stdout.startswith("no what-ifs yet")
    no_advice = invoke("advise", "--run", "7", *FAST)
    assert no_advice.exit_code == 2 and "no planning run 7" in no_advice.stderr


def test_describe_says_each_change_in_words() -> None:
    window = {"day": "wed", "start": "10:00", "end": "14:00"}
    assert describe(StaffAvailability(staff="aino", add=[window], extra_minutes=120)) == (
        "staff member aino free also wed 10:00-14:00, 120 min more a week"
    )
    leader = NewLeader(
        languages=["sv", "fi"], qualified=False, base_hub="lohja", available=[window], max_weekly_minutes=480
    )
    assert describe(leader) == ("a new leader speaking sv/fi, based at lohja, free wed 10:00-14:00 (480 min a week)")
    assert describe(NewRoom(hub="lohja", capacity=8, accessible=True, available=[window])) == (
        "a new room at lohja (8 seats, accessible), open wed 10:00-14:00"
    )
    assert describe(ClientRemote(client="sv01")) == "client sv01 takes part remotely"
    assert describe(ClosureLifted.model_validate({"date": "2027-01-06"})) == "closure day 2027-01-06 lifted"


def test_the_advice_line_shows_changes_verified_and_the_best_then_a_terminal_sees_it_live() -> None:
    line = AdviceLine(time_limit=30)
    assert "re-planning without changes" in str(line.__rich__())
    state = AdviceState(
        id=1, run_id=1, status="verifying", created_at=datetime.now(UTC), candidates=6, screened_out=2, verified=1
    )
    line.hear_state(state)
    text = str(line.__rich__())
    assert "verifying changes · 1 of 4 changes verified" in text and "s left" in text and "best" not in text

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=160)
    found = advise_watched(
        swedish_problem(),
        solve(swedish_problem(), SolveParams(time_limit=3, workers=2)),
        AdviceParams(time_limit=20, replan_seconds=1),
        console=console,
    )
    shown = screen.getvalue()
    assert "advice:" in shown  # the live line, drawn over and cleared at the end
    assert f"the best places {found.items[0].placed_gain} more client(s)" in shown
