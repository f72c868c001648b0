"""The worked example the checker's tests break, and small look-ups into it.

The tiny problem (tests/data/tiny-problem.json, a tarjotin.problem/1 document, so every
model is read as rolling) and its valid plan: the nature group at Lohja on Tuesdays and the
art group at Nummela on Wednesdays; the season runs from Monday 2027-01-11 for 12 weeks.
"""

from __future__ import annotations

import json

from scheduler.checker import Violation, check, format_report
from scheduler.contract import Client, Group, Plan, Problem, Room, Staff, Template, parse_plan, parse_problem
from tests.paths import DATA


def load(name: str) -> object:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


TINY_PROBLEM = parse_problem(load("tiny-problem.json"))
VALID_PLAN = parse_plan(load("tiny-plan.json"))

NATURE = "g-luonto-lohja-tue"  # lohja-sote, tue 10:00-13:00, aino + mikko, a01..a05
ART = "g-taide-nummela-wed"  # nummela-kirjasto/salonki, wed 10:00-12:00, sara, a06..a08
LOHJA, NUMMELA = "lohja-sote", "nummela-kirjasto"
LOHJA_ROOM, NUMMELA_ROOM = "lohja-sote/ryhmahuone", "nummela-kirjasto/salonki"


def group(plan: Plan, gid: str) -> Group:
    return next(g for g in plan.groups if g.id == gid)


def staff(problem: Problem, sid: str) -> Staff:
    return next(s for s in problem.staff if s.id == sid)


def client(problem: Problem, cid: str) -> Client:
    return next(c for c in problem.clients if c.id == cid)


def template(problem: Problem, tid: str) -> Template:
    return next(t for t in problem.templates if t.id == tid)


def room(problem: Problem, rid: str) -> Room:
    return next(r for h in problem.hubs for r in h.rooms if r.id == rid)


def found(problem: Problem, plan: Plan, key: str, *ids: str) -> list[Violation]:
    """The violations of rule part `key`, asserting there is one whose message names every id."""
    violations = check(problem, plan)
    of_rule = [v for v in violations if v.key == key]
    assert of_rule, f"no {key} violation in:\n{format_report(violations)}"
    assert any(all(i in v.message for i in ids) for v in of_rule), (
        f"no {key} violation names {ids}:\n{format_report(of_rule)}"
    )
    return of_rule


def keys(problem: Problem, plan: Plan) -> set[str]:
    return {v.key for v in check(problem, plan)}


def rules(problem: Problem, plan: Plan) -> set[str]:
    return {v.rule for v in check(problem, plan)}


def extra_group(base: Group, gid: str, **changes: object) -> Group:
    """A copy of a plan group under another id, with some fields changed."""
    return base.model_copy(deep=True, update={"id": gid, **changes})
