"""A problem names every part it plans, and every required text is a text.

`hubs`, `staff`, `templates` and `clients` must be present (an explicitly empty list is
fine): a document without one is refused naming it, never planned as empty. Required
texts (ids, names, municipality, theme, ...) are trimmed of spaces and invisible characters
and must not be blank; an optional text left blank is none.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from scheduler.contract import ContractError, Problem, parse_problem, trimmed
from scheduler.scenario import generate
from tests.paths import DATA

REQUIRED_PARTS = ("hubs", "staff", "templates", "clients")


def tiny() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / "tiny-problem.json").read_text(encoding="utf-8"))
    return data


def issues(data: Any) -> dict[str, str]:
    with pytest.raises(ContractError) as caught:
        parse_problem(data)
    return {issue.path: issue.message for issue in caught.value.issues}


@pytest.mark.parametrize("part", REQUIRED_PARTS)
def test_a_problem_missing_a_required_part_is_refused_naming_it(part: str) -> None:
    data = tiny()
    del data[part]
    assert issues(data) == {part: "required field is missing"}


def test_a_problem_without_any_part_names_each_one() -> None:
    data = {key: value for key, value in tiny().items() if key not in REQUIRED_PARTS}
    assert set(issues(data)) == set(REQUIRED_PARTS)


def test_explicitly_empty_parts_are_a_problem_with_nobody() -> None:
    problem = parse_problem({**tiny(), "hubs": [], "staff": [], "templates": [], "clients": [], "groups": []})
    assert (problem.hubs, problem.staff, problem.templates, problem.clients) == ([], [], [], [])


def test_groups_travel_and_closures_may_still_be_left_out() -> None:
    data = {key: value for key, value in tiny().items() if key not in ("groups", "travel", "closures")}
    assert parse_problem(data).groups == []


def test_the_worked_example_and_a_dumped_problem_parse_again() -> None:
    problem = parse_problem(tiny())
    assert parse_problem(problem.dump()) == problem
    scenario = generate(30, 3)
    assert set(REQUIRED_PARTS) <= set(scenario.dump()) and Problem.model_validate(scenario.dump()) == scenario


@pytest.mark.parametrize(
    ("where", "field"),
    [
        (("hubs", 0, "name"), "hubs[0].name"),
        (("hubs", 0, "municipality"), "hubs[0].municipality"),
        (("hubs", 0, "id"), "hubs[0].id"),
        (("templates", 0, "name", "fi"), "templates[0].name.fi"),
        (("templates", 0, "theme"), "templates[0].theme"),
        (("templates", 0, "audience"), "templates[0].audience"),
        (("clients", 0, "id"), "clients[0].id"),
        (("clients", 0, "interests", 0), "clients[0].interests[0]"),
        (("staff", 0, "base_hub"), "staff[0].base_hub"),
    ],
)
@pytest.mark.parametrize("blank", [" ", "\u00a0", "\u200b", "\ufeff\u2060 \u3000"])
def test_a_blank_required_text_is_refused_naming_it(where: tuple[Any, ...], field: str, blank: str) -> None:
    data = tiny()
    *parents, last = where
    record = data
    for key in parents:
        record = record[key]
    record[last] = blank
    found = issues(data)
    assert field in found and "blank" in found[field], found


def test_a_text_with_a_control_character_inside_is_refused() -> None:
    data = tiny()
    data["hubs"][0]["name"] = "Lohja\x00sote"
    assert "control characters" in issues(data)["hubs[0].name"]


def test_texts_are_trimmed_and_a_blank_optional_name_is_none() -> None:
    data = copy.deepcopy(tiny())
    data["hubs"][0]["name"] = "\u00a0Lohjan sote\u200b "
    data["staff"][0]["name"] = "\u200b \u00a0"
    data["hubs"][0]["rooms"][0]["name"] = "\t"
    problem = parse_problem(data)
    assert problem.hubs[0].name == "Lohjan sote"
    assert problem.staff[0].name is None and problem.hubs[0].rooms[0].name is None


@pytest.mark.parametrize(
    ("text", "kept"),
    [(" a ", "a"), ("\u00a0\u200ba b\u200d\ufeff", "a b"), ("\u200b", ""), ("x\u200by", "x\u200by"), ("", "")],
)
def test_trimmed_takes_invisible_characters_off_the_ends_only(text: str, kept: str) -> None:
    assert trimmed(text) == kept
