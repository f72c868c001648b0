"""Contract documents on disk: a problem or plan read (every fault named), JSON written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from api.cli.common import fail, fail_contract
from scheduler.contract import ContractError, Plan, Problem, parse_plan, parse_problem

__all__ = ["load_plan", "load_problem", "read_json", "write_json"]


def read_json(path: Path, what: str) -> Any:
    """The JSON in a file; an unreadable file, or one that is not UTF-8 JSON, is a plain error."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        fail(f"cannot read the {what} file {path}: {error.strerror or error}")
    except UnicodeDecodeError as error:
        fail(f"{path} is not UTF-8 text (byte {error.start}): save the {what} as UTF-8 JSON")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        fail(f"{path} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}")
    except RecursionError:
        fail(f"{path} is nested too deep to read: no {what} nests its lists and objects that deep")


def load_problem(path: Path) -> Problem:
    """A problem file, each fault named by its JSON path."""
    try:
        return parse_problem(read_json(path, "problem"))
    except ContractError as error:
        fail_contract(str(path), error)


def load_plan(path: Path) -> Plan:
    """A plan file, each fault named by its JSON path."""
    try:
        return parse_plan(read_json(path, "plan"))
    except ContractError as error:
        fail_contract(str(path), error)


def write_json(path: Path, data: Any) -> None:
    """Write a document as JSON, making its folder if needed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    except OSError as error:
        fail(f"cannot write {path}: {error.strerror or error}")
