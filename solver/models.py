"""The areas' CP-SAT models as `solve` builds them: the candidates, the greedy plan, each client's
options trimmed around it, the areas, and one model with its objective per area. The tests and the
benchmarks build their models here too, so they read the models the solver searches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scheduler.contract import Problem
from solver.areas import areas
from solver.candidates import Instance, Limits, build_instance, trim_options
from solver.objective import Objective, build_objective
from solver.rules import add_all
from solver.variables import Vars
from solver.warmstart import Hint, greedy_hint

__all__ = ["Prepared", "area_model", "area_models", "prepare"]


@dataclass(frozen=True)
class Prepared:
    """What the areas' models are built from."""

    inst: Instance
    hint: Hint
    """The greedy plan: every area's search starts from it."""
    parts: list[list[int]]
    """The areas, as candidate indices."""


def prepare(problem: Problem, limits: Limits, check: Callable[[], None] = lambda: None) -> Prepared:
    """The candidates under these limits, the greedy plan and the areas; `check` runs between the steps
    (it raises to stop)."""
    inst = build_instance(problem, limits)
    check()
    hint = greedy_hint(inst, list(range(len(inst.candidates))))
    check()
    return Prepared(inst, hint, areas(inst, trim_options(inst, limits.options_per_client, hint.members)))


def area_model(inst: Instance, part: list[int], check: Callable[[], None] = lambda: None) -> tuple[Vars, Objective]:
    """One area's model, every rule added, and its objective."""
    v = Vars(inst, part)
    add_all(v)
    check()
    return v, build_objective(v)


def area_models(problem: Problem, limits: Limits) -> list[tuple[Vars, Objective, Hint]]:
    """Every area's model and objective, and the greedy plan they start from."""
    prepared = prepare(problem, limits)
    return [(*area_model(prepared.inst, part), prepared.hint) for part in prepared.parts]
