"""Any JSON as a problem document: a plan, or a clear error naming the field, never a traceback.

Hypothesis feeds the problem loader any JSON (objects, lists, numbers, strings nested at
random) and mutations of the worked example (a key dropped, a value of the wrong type, a
huge number, a blank or exotic text, a deep nesting), then the `check` and `solve`
commands the same documents. `parse_problem` either gives a problem or raises
`ContractError` whose every issue names a path; a command exits 0, 1 (a broken rule) or
2 (refused, naming the path), and never raises.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from scheduler.contract import ContractError, Problem, parse_problem
from tests.cli.test_files import TINY_PLAN, run, tiny_problem, write

SETTINGS: dict[str, Any] = dict(deadline=None, database=None, print_blob=True, suppress_health_check=list(HealthCheck))
SEED = 20261202

TEXTS = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", " ", "\u00a0", "\u200b", "\ufeff", "\x00", "9:00", "24:00", "2027-02-30", "ĸ🏴󠁧󠁢󠁳󠁣󠁴󠁿", "NaN"]),
)
NUMBERS = st.one_of(
    st.integers(),
    st.sampled_from([0, -1, 2**31, 2**63, 10**400, -(10**400)]),
    st.floats(allow_nan=True, allow_infinity=True),
)
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, TEXTS)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
"""Any JSON value (numbers beyond JSON's doubles included, as Python's json reads them)."""

TINY = tiny_problem()
EDGE_DATES = ["0001-01-01", "9999-12-27", "9999-12-31", "2027-01-11", "1970-01-05"]
"""Dates at the ends of the calendar (both Mondays first) and ordinary ones."""


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON document, the document itself first."""
    found = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += paths(inner, (*prefix, index))
    return found


PATHS = paths(TINY)[1:]


def alike(value: Any) -> st.SearchStrategy[Any]:
    """Another value of the same JSON type: a list loses items, an object a key, a text or number is any."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int | float):
        return NUMBERS
    if isinstance(value, str):
        return st.one_of(TEXTS, st.sampled_from(EDGE_DATES))
    if isinstance(value, list):
        return st.lists(st.sampled_from(value), max_size=len(value), unique_by=id) if value else st.just([])
    if isinstance(value, dict) and value:
        return st.sampled_from(list(value)).map(lambda gone: {k: v for k, v in value.items() if k != gone})
    return st.just(value)


@st.composite
def mutated(draw: st.DrawFn, gentle: bool = False) -> Any:
    """The worked example with one to three parts dropped or replaced: by anything, or (gentle) by a value
    of the same type, so that more of them still parse and reach the solver."""
    data = copy.deepcopy(TINY)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        parent: Any = data
        try:
            for key in path[:-1]:
                parent = parent[key]
            value = parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced the way there
        if gentle:
            parent[path[-1]] = copy.deepcopy(draw(alike(value)))
        elif isinstance(parent, dict) and draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(st.one_of(JSON, TEXTS, NUMBERS, st.just([[[[[]]]]])))
    return data


def assert_loaded_or_named(data: Any) -> None:
    """A problem, or a ContractError naming each fault's path; nothing else."""
    try:
        assert isinstance(parse_problem(data), Problem)
    except ContractError as error:
        assert error.issues
        for issue in error.issues:
            assert issue.path and issue.message, issue


@seed(SEED)
@settings(max_examples=300, **SETTINGS)
@given(JSON)
def test_any_json_is_a_problem_or_an_error_naming_fields(data: Any) -> None:
    assert_loaded_or_named(data)


@seed(SEED)
@settings(max_examples=300, **SETTINGS)
@given(mutated())
def test_a_mutated_example_is_a_problem_or_an_error_naming_fields(data: Any) -> None:
    assert_loaded_or_named(data)


def written(folder: Path, data: Any) -> Path:
    """The document as a file, as Python's json writes it (non-finite numbers as NaN/Infinity)."""
    return write(folder / "problem.json", data)


@seed(SEED)
@settings(max_examples=60, **SETTINGS)
@given(st.one_of(mutated(), mutated(gentle=True), JSON))
def test_check_answers_any_problem_document_without_a_traceback(tmp_path_factory: Any, data: Any) -> None:
    folder = tmp_path_factory.mktemp("check")
    code, output = run("check", written(folder, data), TINY_PLAN)
    assert code in (0, 1, 2), output
    assert "Traceback" not in output


@seed(SEED)
@settings(max_examples=25, **SETTINGS)
@given(mutated(gentle=True))
def test_solve_plans_or_refuses_any_mutated_problem(tmp_path_factory: Any, data: Any) -> None:
    folder = tmp_path_factory.mktemp("solve")
    plan = folder / "plan.json"
    code, output = run("solve", written(folder, data), "--out", plan, "--time-limit", "2", "--workers", "1")
    assert code in (0, 2), output
    assert "Traceback" not in output
    if code == 0:
        assert json.loads(plan.read_text(encoding="utf-8"))["schema"] == "tarjotin.plan/1"


def test_a_document_nested_too_deep_is_refused_plainly(tmp_path: Path) -> None:
    path = tmp_path / "problem.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    code, output = run("solve", path, "--out", tmp_path / "plan.json")
    assert code == 2 and "Traceback" not in output and "nested" in output, output
