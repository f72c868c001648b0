"""The default region is Western Uusimaa exactly as it was before regions became data.

The digests were taken from `generate` at commit fc012ba, before the refactoring: the
same clients, seed and term must still give the byte-for-byte same problem. Service
periods (issue 15) only add to it: the contract's new fields (counsellors, offer terms, a
client's service dates, decisions, evaluations and declined groups) are left out of the
digest, and the rest is the same with or without the scenario's service data. So are the
fields attendance and notices (issue 16) added to staff: their e-mail and notice language.
Group kinds (issue 17) are a scenario of their own (`group_kinds`); without them the problem
is today's, read as problem/2: the schema name, the models' admission (`rolling`, as a
problem/1 document is read), closing session and sessions, a peer flag on staff and no pop-up
slots are left out of the digest.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest

from scheduler.contract import Problem
from scheduler.scenario import generate

BEFORE = {
    (50, 0, None): "0e76f2161a9799dc1e0f5b3ed997959eafec2c30704f29e0b7029589e7b8c2ae",
    (300, 7, None): "9bc78150e0cf87497294d89b81741300f9ccab41850c0ad387f2cbd0f3047c14",
    (2000, 3, None): "c33a6af317bbd9fee7cbdacfe72c259c7368db59a585d419dc02978981c57e63",
    (400, 1, date(2027, 10, 4)): "cfef1741bb3d8c817f9b8a44ca7d61877357af953eb744c06cde605c9103fff3",
}


SERVICE_FIELDS = ("counsellors", "offers")
CLIENT_SERVICE_FIELDS = ("case_opened", "assessed", "decisions", "counsellor", "evaluations", "declined")
STAFF_NOTICE_FIELDS = ("email", "lang", "peer")
KIND_FIELDS = ("popup_slots",)
TEMPLATE_KIND_FIELDS = ("admission", "closes_after", "sessions")


def _digest(problem: Problem) -> str:
    dumped = problem.dump()
    assert {t["admission"] for t in dumped["templates"]} == {"rolling"} and dumped["popup_slots"] == 0
    data = {k: v for k, v in dumped.items() if k not in SERVICE_FIELDS + KIND_FIELDS}
    data["schema"] = "tarjotin.problem/1"  # read as problem/2
    data["templates"] = [{k: v for k, v in t.items() if k not in TEMPLATE_KIND_FIELDS} for t in data["templates"]]
    data["clients"] = [{k: v for k, v in c.items() if k not in CLIENT_SERVICE_FIELDS} for c in data["clients"]]
    data["staff"] = [{k: v for k, v in s.items() if k not in STAFF_NOTICE_FIELDS} for s in data["staff"]]
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize(("clients", "seed", "term_start"), list(BEFORE))
def test_default_region_gives_todays_problem(clients: int, seed: int, term_start: date | None) -> None:
    assert (
        _digest(generate(clients, seed, term_start, service=False, group_kinds=False))
        == BEFORE[clients, seed, term_start]
    )


def test_service_periods_only_add_to_the_problem() -> None:
    with_service = generate(300, 7, group_kinds=False)
    assert with_service.counsellors and all(c.decisions for c in with_service.clients)
    assert _digest(with_service) == BEFORE[300, 7, None]
