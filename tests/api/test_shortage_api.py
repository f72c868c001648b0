"""Where capacity is missing, over HTTP: `GET /plans/{run_id}/shortage` and the page `/planning/{run_id}/shortage`.

Each test stores a draft run of the small county of tests/shortage_data.py (numbers known)
beside the published scenario, and reads it back.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from scheduler.contract import minutes
from scheduler.storage.models import PlanningRun
from tests.api.conftest import Service
from tests.api.test_coordinator_pages import sign_in
from tests.shortage_data import county, plan


def store_run(service: Service, status: str = "draft", planned: bool = True) -> int:
    """A run of the small county: a draft with its plan, or (planned=False) a run with no plan yet."""
    with service.session() as session:
        run = PlanningRun(
            status=status,
            problem=county().dump(),
            plan=plan().dump() if planned else None,
            metrics=plan().metrics.model_dump(exclude_none=True) if planned else None,
        )
        session.add(run)
        session.commit()
        return run.id


def test_a_coordinator_reads_the_numbers_of_a_runs_plan(service: Service) -> None:
    run_id = store_run(service)
    answer = service.client.get(f"/plans/{run_id}/shortage", headers=service.as_("coordinator"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["run_id"], body["status"], body["unplaced_total"]) == (run_id, "draft", 4)
    raasepori = [r for r in body["unplaced"] if r["municipality"] == "Raasepori"]
    assert raasepori == [
        {
            "municipality": "Raasepori",
            "language": "sv",
            "theme": "nature",
            "reason": "leaders",
            "rule_family": "leaders",
            "count": 2,
        }
    ]
    aino = next(u for u in body["leaders"] if u["staff_id"] == "aino")
    assert (aino["led_minutes"], aino["max_weekly_minutes"], aino["groups"]) == (240, 600, 2)
    lohja = next(r for r in body["rooms"] if r["room"] == "lohja/room")
    assert (lohja["used_hours"], lohja["window_hours"]) == (4.0, 6.0)
    slots = {(s["hub"], s["day"]): (s["open_starts"], s["free_starts"]) for s in body["free_slots"]}
    assert slots[("lohja", "tue")] == (9, 1)
    assert '"sv1"' not in answer.text, "no client id"


def test_latest_is_the_newest_run_with_a_plan(service: Service) -> None:
    planned = store_run(service)
    store_run(service, status="running", planned=False)  # newer, but still planning
    answer = service.client.get("/plans/latest/shortage", headers=service.as_("coordinator"))
    assert answer.status_code == 200 and answer.json()["run_id"] == planned


def test_an_unknown_run_is_a_404(service: Service) -> None:
    answer = service.client.get("/plans/99999/shortage", headers=service.as_("coordinator"))
    assert answer.status_code == 404 and "99999" in answer.json()["detail"]


def test_a_run_without_a_plan_is_a_409_that_says_so(service: Service) -> None:
    run_id = store_run(service, status="running", planned=False)
    answer = service.client.get(f"/plans/{run_id}/shortage", headers=service.as_("coordinator"))
    assert answer.status_code == 409
    assert "has no plan" in answer.json()["detail"] and "running" in answer.json()["detail"]


def test_a_run_that_is_neither_a_number_nor_latest_is_named(service: Service) -> None:
    answer = service.client.get("/plans/newest/shortage", headers=service.as_("coordinator"))
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["run_id"]


@pytest.mark.parametrize(("role", "status"), [("counsellor", 403), ("staff", 403), ("anonymous", 401)])
def test_only_coordinators_read_it(service: Service, role: str, status: int) -> None:
    run_id = store_run(service)
    assert service.client.get(f"/plans/{run_id}/shortage", headers=service.as_(role)).status_code == status


def test_postgresql_reads_the_same_numbers(pg_service: Service) -> None:
    run_id = store_run(pg_service)
    answer = pg_service.client.get("/plans/latest/shortage", headers=pg_service.as_("coordinator"))
    assert answer.status_code == 200 and answer.json()["run_id"] == run_id
    assert next(u for u in answer.json()["leaders"] if u["staff_id"] == "aino")["led_minutes"] == 240


@pytest.mark.parametrize(
    ("lang", "title", "hours"),
    [
        ("fi", "Missä kapasiteettia puuttuu", "4,0"),
        ("sv", "Var kapaciteten saknas", "4,0"),
        ("en", "Where capacity is missing", "4.0"),
    ],
)
def test_the_page_shows_the_numbers_in_each_language(service: Service, lang: str, title: str, hours: str) -> None:
    run_id = store_run(service)
    client = sign_in(service, "coordinator")
    answer = client.get(f"/planning/{run_id}/shortage", params={"lang": lang})
    assert answer.status_code == 200, answer.text
    text = answer.text
    assert f'<html lang="{lang}">' in text and f"<h1>{title}</h1>" in text
    assert re.search(r'Aino Virtanen</th>\s*<td class="num">2</td>\s*<td class="num">240</td>', text), "her minutes"
    assert f'<td class="num">{hours}</td>' in text, "the Lohja room's hours used"
    assert "sv1" not in text, "no client id"


def test_the_run_page_links_to_it(service: Service) -> None:
    run_id = store_run(service)
    client = sign_in(service, "coordinator")
    assert f'href="/planning/{run_id}/shortage"' in client.get(f"/planning/{run_id}").text


def test_the_page_answers_a_missing_run_or_plan_as_a_page(service: Service) -> None:
    client = sign_in(service, "coordinator")
    missing = client.get("/planning/99999/shortage", params={"lang": "en"})
    assert missing.status_code == 404 and "There is no planning run 99999" in missing.text
    run_id = store_run(service, status="running", planned=False)
    waiting = client.get(f"/planning/{run_id}/shortage", params={"lang": "en"})
    assert waiting.status_code == 409 and "has no plan yet" in waiting.text


def test_counsellors_may_not_open_the_page(service: Service) -> None:
    run_id = store_run(service)
    client = sign_in(service, "counsellor")
    assert client.get(f"/planning/{run_id}/shortage").status_code == 403


def test_the_published_scenarios_numbers_agree_with_its_plan(service: Service) -> None:
    with service.session() as session:
        run_id = session.scalars(select(PlanningRun.id).where(PlanningRun.status == "published")).one()
    body = service.client.get(f"/plans/{run_id}/shortage", headers=service.as_("coordinator")).json()
    plan = service.plan
    assert body["unplaced_total"] == len(plan.unassigned)
    length = {g.id: minutes(g.end) - minutes(g.start) for g in plan.groups}
    assert sum(u["led_minutes"] for u in body["leaders"]) == sum(length[g.id] * len(g.leaders) for g in plan.groups)
    in_rooms = [g for g in plan.groups if g.room is not None]
    assert sum(r["used_minutes"] for r in body["rooms"]) == sum(length[g.id] for g in in_rooms)
    assert all(0 <= s["free_starts"] <= s["open_starts"] for s in body["free_slots"])
    towns = {h.municipality for h in service.problem.hubs}
    assert {r["municipality"] for r in body["unplaced"]} <= towns
