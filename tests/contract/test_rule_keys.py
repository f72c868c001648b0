"""One rule, one key: every part of a hard rule is found by its key in the contract,
the checker, the solver, the explanation and the tests (scheduler/contract/rules.py)."""

from __future__ import annotations

import ast
import re

import pytest
from pydantic import ValidationError

from api.routers.resources_schemas import GroupModelFields
from scheduler.contract import REASON_CODES, RULE_BY_KEY, RULES, Template
from scheduler.contract.reasons import CAPACITY, CLIENT_FIT, CLOSED, DECISION, LEADERS
from scheduler.contract.rules import LARGEST_GROUP, LONGEST_SESSION, SHORTEST_SESSION, SMALLEST_GROUP
from tests.paths import ROOT

KEYS = [rule.key for rule in RULES]


def _source(*parts: str) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for part in parts for p in sorted((ROOT / part).rglob("*.py")))


def _flagged_keys() -> list[str]:
    """The keys the checker's `_flag` calls name."""
    tree = ast.parse((ROOT / "scheduler" / "checker" / "check.py").read_text(encoding="utf-8"))
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_flag"
        and isinstance(node.args[0], ast.Constant)
    ]


def _codes_given(path: str) -> set[str]:
    """The reason codes a module writes as `code="..."` or as `("code", ...)` table rows."""
    text = (ROOT / path).read_text(encoding="utf-8")
    return set(re.findall(r'code="(\w+)"', text)) | set(re.findall(r'\("(\w+)", _\w+\)', text))


def test_keys_are_unique_snake_case_with_a_family_label_and_statement() -> None:
    assert len(set(KEYS)) == len(KEYS)
    assert list(RULE_BY_KEY) == KEYS
    for rule in RULES:
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", rule.key), rule.key
        assert rule.family in {f"H{n}" for n in range(1, 11)}, rule.key
        assert rule.label and rule.statement.endswith("."), rule.key
    assert [rule.family for rule in RULES] == sorted((r.family for r in RULES), key=lambda f: int(f[1:]))


def test_every_key_has_a_checker_path_and_the_checker_no_other() -> None:
    flagged = _flagged_keys()
    assert set(flagged) == set(KEYS)
    assert len(flagged) >= len(KEYS)


def test_every_key_has_a_test_named_by_it() -> None:
    tests = _source("tests")
    missing = [key for key in KEYS if not re.search(rf"^def test_{key}\(", tests, re.MULTILINE)]
    assert missing == []


def test_every_key_is_found_in_the_solver() -> None:
    """A rule function, a candidate filter, or the plan's by-construction list names it."""
    solver = _source("solver")
    missing = [key for key in KEYS if not re.search(rf"\b{key}\b", solver)]
    assert missing == []


def test_reason_codes_are_decision_then_client_fit_rule_keys_then_closed_leaders_and_capacity() -> None:
    assert REASON_CODES == (
        "decision",
        "interest",
        "audience",
        "language",
        "remote",
        "travel",
        "accessibility",
        "availability",
        "closed",
        "leaders",
        "capacity",
    )
    assert REASON_CODES == (DECISION, *CLIENT_FIT, CLOSED, LEADERS, CAPACITY)
    assert [code for code in REASON_CODES if code not in RULE_BY_KEY] == [DECISION, LEADERS, CAPACITY]
    assert f"{DECISION}_in_force" in RULE_BY_KEY  # the rule part a `decision` reason stands for


@pytest.mark.parametrize("path", ["solver/explain.py", "solver/decisions.py", "scheduler/services/matching.py"])
def test_explanations_give_only_reason_codes(path: str) -> None:
    given = _codes_given(path)
    assert given and given <= set(REASON_CODES)


def test_greedy_baseline_explains_every_reason_code() -> None:
    from benchmarks.greedy_baseline import _DETAILS

    assert tuple(_DETAILS) == REASON_CODES


@pytest.mark.parametrize("model", [Template, GroupModelFields])
def test_thresholds_bound_the_group_models(model: type) -> None:
    def bounds(name: str) -> tuple[object, object]:
        metadata = model.model_fields[name].metadata
        return (next(m.ge for m in metadata if hasattr(m, "ge")), next(m.le for m in metadata if hasattr(m, "le")))

    assert bounds("duration_minutes") == (SHORTEST_SESSION, LONGEST_SESSION)
    assert bounds("min_size") == bounds("max_size") == (SMALLEST_GROUP, LARGEST_GROUP)


def test_a_template_below_the_smallest_group_is_refused() -> None:
    data = {
        "id": "t",
        "name": {"fi": "t", "sv": "t"},
        "kind": "theme",
        "theme": "x",
        "audience": "all",
        "modality": "in_person",
        "duration_minutes": SHORTEST_SESSION,
        "min_size": SMALLEST_GROUP - 1,
        "max_size": LARGEST_GROUP,
        "languages": ["fi"],
    }
    with pytest.raises(ValidationError, match="min_size"):
        Template.model_validate(data)


def test_docs_state_every_rule_key_once() -> None:
    """docs/rules.md's tables carry exactly the code's keys, each against its checker label."""
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^\|[^\n]*\| ([^|\n]+?) \| `([a-z_]+)` \|$", text, flags=re.M))
    assert {label: key for label, key in documented.items()} == {rule.label: rule.key for rule in RULES}
