"""The `tarjotin` command line: schemas, scenario, solve and check, and how it meets bad input.

Bad input never ends in a traceback: the command exits with code 2 and names the
file's fault by its JSON path (`term.start`, `clients[1].id`, ...), one line per
fault. `check` exits 1 when a plan breaks a hard rule and names the rule.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli import app
from scheduler.contract import ContractError, parse_plan, parse_problem
from tests.builders import clients, problem, window
from tests.paths import DATA

EXAMPLES = DATA
TINY_PROBLEM = EXAMPLES / "tiny-problem.json"
TINY_PLAN = EXAMPLES / "tiny-plan.json"
TARJOTIN = Path(sys.executable).with_name("tarjotin")

FAST = ("--time-limit", "5", "--workers", "1")

runner = CliRunner()


def tiny_problem() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(TINY_PROBLEM.read_text(encoding="utf-8"))
    return data


def tiny_plan() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(TINY_PLAN.read_text(encoding="utf-8"))
    return data


def run(*args: str | Path) -> tuple[int, str]:
    """Exit code and the whole output (stdout and stderr); fails on any uncaught exception."""
    result = runner.invoke(app, [str(arg) for arg in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the command raised {result.exception!r}") from result.exception
    return result.exit_code, result.output


def flat(text: str) -> str:
    """Rich wraps long lines at 80 columns; join them to search the text."""
    return " ".join(text.split())


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def assert_rejected(output: str, code: int, *expected: str) -> None:
    """Exit code 2, each expected text in the output, no traceback."""
    assert code == 2, output
    assert "Traceback" not in output
    for text in expected:
        assert text in output, f"{text!r} not in:\n{output}"


# --- schema ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["problem", "plan"])
def test_schema_prints_a_json_schema_of_the_document(kind: str) -> None:
    code, output = run("schema", kind)
    assert code == 0
    schema = json.loads(output)
    assert "properties" in schema
    assert "schema" in schema["properties"]
    assert schema["type"] == "object"


def test_schema_of_an_unknown_document_is_refused() -> None:
    code, output = run("schema", "calendar")
    assert_rejected(output, code, "calendar")


# --- scenario ---------------------------------------------------------------------------


def test_scenario_writes_a_problem_that_parses(tmp_path: Path) -> None:
    out_file = tmp_path / "nested" / "problem.json"
    code, output = run("scenario", "--clients", "60", "--seed", "2", "--out", out_file)
    assert code == 0, output
    problem = parse_problem(json.loads(out_file.read_text(encoding="utf-8")))
    assert len(problem.clients) == 60
    assert "60 clients" in flat(output)


def test_scenario_has_the_group_kinds_unless_told_not_to(tmp_path: Path) -> None:
    kinds, plain = tmp_path / "kinds.json", tmp_path / "plain.json"
    assert run("scenario", "--clients", "150", "--out", kinds)[0] == 0
    assert run("scenario", "--clients", "150", "--no-kinds", "--out", plain)[0] == 0
    with_kinds = json.loads(kinds.read_text(encoding="utf-8"))
    without = json.loads(plain.read_text(encoding="utf-8"))
    assert with_kinds["schema"] == "tarjotin.problem/2" and with_kinds["popup_slots"] >= 1
    assert {"open", "closed", "rolling"} == {t["admission"] for t in with_kinds["templates"]}
    assert without["popup_slots"] == 0 and {t["admission"] for t in without["templates"]} == {"rolling"}
    assert not any(s["peer"] for s in without["staff"]) and any(s["peer"] for s in with_kinds["staff"])


def test_scenario_is_the_same_for_the_same_seed(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    run("scenario", "--clients", "30", "--seed", "5", "--out", first)
    run("scenario", "--clients", "30", "--seed", "5", "--out", second)
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")


# --- solve and check on the tiny example ----------------------------------------------


def test_solve_writes_a_plan_and_prints_a_summary(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.json"
    code, output = run("solve", TINY_PROBLEM, "--out", plan_file, *FAST)
    assert code == 0, output
    plan = parse_plan(json.loads(plan_file.read_text(encoding="utf-8")))
    assert plan.metrics.placed + plan.metrics.unassigned == len(tiny_problem()["clients"])
    assert "placed" in output
    assert "plan written to" in flat(output)


def test_check_accepts_the_example_plan() -> None:
    code, output = run("check", TINY_PROBLEM, TINY_PLAN)
    assert code == 0, output
    assert "valid" in output


def test_check_accepts_the_plan_solve_wrote(tmp_path: Path) -> None:
    plan_file = tmp_path / "plan.json"
    assert run("solve", TINY_PROBLEM, "--out", plan_file, *FAST)[0] == 0
    code, output = run("check", TINY_PROBLEM, plan_file)
    assert code == 0, output


def test_check_exits_1_and_names_the_rule_a_broken_plan_breaks(tmp_path: Path) -> None:
    plan = tiny_plan()
    nature = plan["groups"][0]
    assert len(nature["participants"]) == 5
    nature["leaders"] = ["mikko"]  # five participants, one unqualified leader, no nature skill
    code, output = run("check", TINY_PROBLEM, write(tmp_path / "plan.json", plan))
    assert code == 1
    assert "H5" in output
    assert nature["id"] in flat(output)
    assert "Traceback" not in output


def test_check_names_every_rule_broken(tmp_path: Path) -> None:
    plan = tiny_plan()
    plan["groups"][0]["leaders"] = ["mikko"]  # H5
    plan["groups"][1]["language"] = "fi"  # H2: a06 speaks only Swedish
    plan["groups"][1].update(start="10:15", end="12:15")  # H8: off the 30-min grid
    plan["unassigned"] = []  # H10: a09 is unaccounted for
    code, output = run("check", TINY_PROBLEM, write(tmp_path / "plan.json", plan))
    assert code == 1
    for rule in ("H2", "H5", "H8", "H10"):
        assert rule in output, output


def test_installed_console_script_checks_the_example(tmp_path: Path) -> None:
    """Smoke test of the installed entry point `tarjotin`, run as its own process."""
    if not TARJOTIN.exists():
        pytest.skip("the tarjotin console script is not installed in this environment")
    done = subprocess.run(
        [str(TARJOTIN), "check", str(TINY_PROBLEM), str(TINY_PLAN)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "valid" in done.stdout
    bad = write(tmp_path / "problem.json", {**tiny_problem(), "term": {"start": "2027-01-12", "weeks": 12}})
    done = subprocess.run(
        [str(TARJOTIN), "solve", str(bad), "--out", str(tmp_path / "plan.json")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "term.start" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


# --- bad input: exit 2, the JSON path of the fault, no traceback ------------------------


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in the test's directory so file names in messages are short (Rich folds long ones)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_missing_problem_file_is_named(in_tmp: Path) -> None:
    code, output = run("solve", "no-such-problem.json", "--out", "plan.json")
    assert_rejected(flat(output), code, "no-such-problem.json", "cannot read", "No such file")
    assert not (in_tmp / "plan.json").exists()


def test_a_missing_plan_file_is_named(in_tmp: Path) -> None:
    code, output = run("check", TINY_PROBLEM, "no-such-plan.json")
    assert_rejected(flat(output), code, "no-such-plan.json")


def test_a_directory_instead_of_a_file_is_refused(tmp_path: Path) -> None:
    code, output = run("solve", tmp_path, "--out", tmp_path / "plan.json")
    assert_rejected(flat(output), code, "cannot read")


def test_malformed_json_gives_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "problem.json"
    path.write_text(
        '{\n "schema": "tarjotin.problem/1",\n "term": {"start": "2027-01-11" "weeks": 12}\n}\n', encoding="utf-8"
    )
    code, output = run("solve", path, "--out", tmp_path / "plan.json")
    assert_rejected(flat(output), code, "not valid JSON", "line 3", "column 33")


def test_a_file_that_is_not_utf8_is_refused_without_a_traceback(in_tmp: Path) -> None:
    (in_tmp / "problem.json").write_bytes(b"\xff\xfe{\x00}\x00")  # UTF-16 with a byte-order mark
    code, output = run("solve", "problem.json", "--out", "plan.json")
    assert_rejected(flat(output), code, "problem.json")


def test_a_document_that_is_not_an_object_is_refused(tmp_path: Path) -> None:
    problem_file = write(tmp_path / "problem.json", [1, 2])
    code, output = run("solve", problem_file, "--out", tmp_path / "plan.json")
    assert_rejected(output, code, "(document)")


def bad_problem(change: str) -> dict[str, Any]:
    """The tiny problem with one fault, named for the test id."""
    data = tiny_problem()
    if change == "term starts on a Tuesday":
        data["term"]["start"] = "2027-01-12"
    elif change == "duplicate client id":
        data["clients"][1]["id"] = data["clients"][0]["id"]
    elif change == "group of an unknown template":
        plan_group = copy.deepcopy(tiny_plan()["groups"][0])
        data["groups"] = [plan_group | {"template": "no-such-model", "pinned": True}]
    elif change == "room window ends before it starts":
        data["hubs"][0]["rooms"][0]["available"][0] = window("tue", "15:00", "09:00")
    elif change == "template of 12 people":
        data["templates"][0]["max_size"] = 12
    elif change == "template of 90 minutes":
        data["templates"][0]["duration_minutes"] = 90
    elif change == "time 9:00":
        data["staff"][0]["available"][0]["start"] = "9:00"
    elif change == "staff based at an unknown hub":
        data["staff"][2]["base_hub"] = "espoo"
    elif change.startswith("no ") and change.endswith(" part"):
        del data[change.split()[1]]
    elif change == "hub named with a no-break space":
        data["hubs"][0]["name"] = "\u00a0"
    else:  # pragma: no cover
        raise ValueError(change)
    return data


BAD_PROBLEMS = {
    "term starts on a Tuesday": ("term.start", "Monday"),
    "duplicate client id": ("clients[1].id", "duplicate"),
    "group of an unknown template": ("groups[0].template", "no-such-model"),
    "room window ends before it starts": ("hubs[0].rooms[0].available[0]", "before"),
    "template of 12 people": ("templates[0].max_size", "10"),
    "template of 90 minutes": ("templates[0].duration_minutes", "120"),
    "time 9:00": ("staff[0].available[0].start", "HH:MM"),
    "staff based at an unknown hub": ("staff[2].base_hub", "espoo"),
    "no clients part": ("clients", "required field is missing"),
    "no staff part": ("staff", "required field is missing"),
    "no hubs part": ("hubs", "required field is missing"),
    "no templates part": ("templates", "required field is missing"),
    "hub named with a no-break space": ("hubs[0].name", "blank"),
}


@pytest.mark.parametrize("change", list(BAD_PROBLEMS))
def test_solve_names_the_json_path_of_a_faulty_problem(change: str, tmp_path: Path) -> None:
    path, words = BAD_PROBLEMS[change]
    problem_file = write(tmp_path / "problem.json", bad_problem(change))
    code, output = run("solve", problem_file, "--out", tmp_path / "plan.json")
    assert_rejected(output, code, path, words, "1 problem(s)")
    assert not (tmp_path / "plan.json").exists()


@pytest.mark.parametrize("change", ["term starts on a Tuesday", "time 9:00", "no clients part"])
def test_check_names_the_json_path_of_a_faulty_problem(change: str, tmp_path: Path) -> None:
    path, _ = BAD_PROBLEMS[change]
    problem_file = write(tmp_path / "problem.json", bad_problem(change))
    code, output = run("check", problem_file, TINY_PLAN)
    assert_rejected(output, code, path)


def test_check_names_the_json_path_of_a_faulty_plan(tmp_path: Path) -> None:
    plan = tiny_plan()
    plan["groups"][1]["end"] = "25:00"
    del plan["metrics"]["placed"]
    code, output = run("check", TINY_PROBLEM, write(tmp_path / "plan.json", plan))
    assert_rejected(output, code, "groups[1].end", "metrics.placed", "2 problem(s)")


def test_solve_refuses_a_pinned_group_whose_leader_is_no_longer_available(tmp_path: Path) -> None:
    data = tiny_problem()
    published = tiny_plan()["groups"][0]  # g-luonto-lohja-tue, Tuesday 10:00-13:00, aino and mikko
    data["groups"] = [published | {"pinned": True, "new": False}]
    mikko = next(member for member in data["staff"] if member["id"] == "mikko")
    mikko["available"] = [{"day": "thu", "start": "08:00", "end": "16:00"}]
    problem_file = write(tmp_path / "problem.json", data)
    code, output = run("solve", problem_file, "--out", tmp_path / "plan.json")
    assert_rejected(flat(output), code, published["id"], "mikko")
    assert not (tmp_path / "plan.json").exists()


def test_solve_keeps_a_pinned_group_that_can_still_run(tmp_path: Path) -> None:
    data = tiny_problem()
    published = tiny_plan()["groups"][0]
    data["groups"] = [published | {"pinned": True, "new": False}]
    plan_file = tmp_path / "plan.json"
    problem_file = write(tmp_path / "problem.json", data)
    code, output = run("solve", problem_file, "--out", plan_file, *FAST)
    assert code == 0, output
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    kept = next(group for group in plan["groups"] if group["id"] == published["id"])
    assert set(published["participants"]) <= set(kept["participants"])
    assert set(kept["leaders"]) == set(published["leaders"])
    assert run("check", tmp_path / "problem.json", plan_file)[0] == 0


# --- parse_problem lists every fault once ------------------------------------------------


def issues_of(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ContractError) as caught:
        parse_problem(data)
    return [(issue.path, issue.message) for issue in caught.value.issues]


def test_parse_problem_gives_one_issue_per_field_fault() -> None:
    data = tiny_problem()
    data["term"]["start"] = "2027-01-13"  # a Wednesday
    data["templates"][0]["max_size"] = 12
    data["templates"][1]["duration_minutes"] = 90
    data["staff"][1]["available"][0]["end"] = "9:00"
    data["clients"][2]["travel_mode"] = "bicycle"
    del data["clients"][3]["waiting_since"]
    issues = issues_of(data)
    paths = [path for path, _ in issues]
    assert sorted(paths) == sorted(
        [
            "term.start",
            "templates[0].max_size",
            "templates[1].duration_minutes",
            "staff[1].available[0].end",
            "clients[2].travel_mode",
            "clients[3].waiting_since",
        ]
    ), issues
    assert dict(issues)["clients[3].waiting_since"] == "required field is missing"


def test_parse_problem_gives_one_issue_per_reference_fault() -> None:
    data = tiny_problem()
    data["clients"][4]["id"] = data["clients"][3]["id"]  # duplicate client
    data["staff"][0]["base_hub"] = "espoo"  # unknown hub
    group = tiny_plan()["groups"][1] | {"pinned": True}
    group["template"] = "no-such-model"  # unknown template
    group["leaders"] = ["sara", "ghost"]  # unknown leader
    data["groups"] = [group]
    issues = issues_of(data)
    assert sorted(path for path, _ in issues) == sorted(
        [
            "clients[4].id",
            "staff[0].base_hub",
            "groups[0].template",
            "groups[0].leaders[1]",
        ]
    ), issues


def test_parse_problem_reports_a_window_ending_before_it_starts_once() -> None:
    data = tiny_problem()
    data["hubs"][1]["rooms"][0]["available"][0] = {"day": "wed", "start": "15:00", "end": "15:00"}
    issues = issues_of(data)
    assert [path for path, _ in issues] == ["hubs[1].rooms[0].available[0]"]


# --- the summary's reasons in the reader's language -------------------------------------


def test_solve_gives_the_summarys_reasons_in_the_language_asked(tmp_path: Path) -> None:
    """Four Swedish speakers and no leader who speaks Swedish: `leaders`, said in Finnish with --lang fi."""
    problem_file = write(tmp_path / "problem.json", problem(people=clients("s", 4, languages=("sv",))))
    code, output = run("solve", problem_file, "--out", tmp_path / "plan.json", "--lang", "fi", *FAST)
    assert code == 0, output
    words = flat(output).split()
    assert "leaders" in words and "Yksikään" in words and "(ruotsi)." in words, output
    code, output = run("solve", problem_file, "--out", tmp_path / "plan.json", "--lang", "de", *FAST)
    assert_rejected(output, code, "--lang 'de': choose fi, sv or en")
