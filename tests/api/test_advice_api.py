"""Capacity advice and what-ifs over HTTP: started in the background on the real planning queue, watched, stopped,
saved and compared; bad input named by its field; coordinators only."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from scheduler.settings import Settings
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import PlanningRun
from scheduler.storage.tokens import create_token
from tests.advice_data import SWEDISH, load_swedish, swedish_problem
from tests.conftest import migrated

QUICK = {"time_limit": 20, "replan_seconds": 1, "top": 3}
ACTIVE = ("queued", "preparing", "verifying", "stopping")


@dataclass
class Api:
    client: httpx.Client
    headers: dict[str, dict[str, str]]
    run_id: int
    url: str

    def as_(self, role: str) -> dict[str, str]:
        return self.headers[role]

    def get(self, path: str, role: str = "coordinator", **kwargs: Any) -> httpx.Response:
        return self.client.get(path, headers=self.as_(role), **kwargs)

    def post(self, path: str, body: Any = None, role: str = "coordinator") -> httpx.Response:
        return self.client.post(path, json=body, headers=self.as_(role))


def _serve(url: str) -> Iterator[Api]:
    engine = make_engine(url)
    run_id = load_swedish(engine)
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    with session_scope(engine) as session:
        for role in ("coordinator", "counsellor", "staff"):
            _, token = create_token(session, role, f"test {role}", staff_id="aino" if role == "staff" else None)
            headers[role] = {"Authorization": f"Bearer {token}"}
    engine.dispose()
    app = create_app(Settings(database_url=url))
    with TestClient(app, base_url="http://tarjotin.test") as client:
        yield Api(client, headers, run_id, url)
    app.state.engine.dispose()


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    """The application over SQLite holding the Swedish-speakers problem and its draft plan."""
    yield from _serve(migrated("sqlite", tmp_path))


@pytest.fixture(params=["sqlite", "postgresql"])
def any_api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    """The same over each kind of database."""
    yield from _serve(migrated(request.param, tmp_path))


def poll(api: Api, path: str, until: Callable[[dict[str, Any]], bool], timeout: float = 60) -> dict[str, Any]:
    """GET the resource until the condition holds; every answer must be a 200."""
    deadline = time.monotonic() + timeout
    while True:
        answer = api.get(path)
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        if until(body) or time.monotonic() > deadline:
            return body
        time.sleep(0.2)


def ended(body: dict[str, Any]) -> bool:
    return body["status"] not in ACTIVE


def whatif_done(body: dict[str, Any]) -> bool:
    return body["status"] in ("done", "failed")


def new_leader(languages: list[str]) -> dict[str, Any]:
    return {
        "kind": "new_leader",
        "languages": languages,
        "base_hub": "lohja",
        "available": [{"day": "tue", "start": "09:00", "end": "15:00"}],
        "max_weekly_minutes": 600,
    }


def test_advice_names_a_swedish_speaking_leader_and_a_whatif_confirms_it(any_api: Api) -> None:
    api = any_api
    answer = api.post(f"/plans/{api.run_id}/advice", QUICK)
    assert answer.status_code == 202, answer.text
    started = answer.json()
    assert answer.headers["location"] == f"/advice/{started['id']}" == started["links"]["self"]
    assert started["run_id"] == api.run_id and started["status"] in ACTIVE

    advice = poll(api, f"/advice/{started['id']}", ended)
    assert advice["status"] == "complete", advice
    assert advice["verified"] >= 1 and advice["waiting"] == 0 and advice["finished_at"] is not None
    found = advice["advice"]
    assert found["schema"] == "tarjotin.advice/1" and found["unplaced"] == len(SWEDISH)
    best = found["items"][0]
    assert best["change"]["kind"] == "new_leader" and "sv" in best["change"]["languages"]
    assert best["placed_gain"] > 0 and set(best["diff"]["placed"]) <= set(SWEDISH)
    assert {p["language"] for p in best["diff"]["by_place"]} == {"sv"}
    assert api.get(f"/plans/{api.run_id}/advice").json()["id"] == started["id"]

    made = api.post("/whatifs", {"run_id": api.run_id, "name": "a Swedish leader", "changes": [best["change"]]})
    assert made.status_code == 202, made.text
    assert made.headers["location"] == f"/whatifs/{made.json()['id']}" and made.json()["name"] == "a Swedish leader"
    whatif = poll(api, f"/whatifs/{made.json()['id']}", whatif_done)
    assert whatif["status"] == "done", whatif
    diff = whatif["diff"]
    assert diff["placed_gain"] == best["placed_gain"] == len(diff["placed"]) > 0
    assert diff["placed_after"] - diff["placed_before"] == diff["placed_gain"]
    assert any(g["language"] == "sv" for g in diff["groups_opened"])


def test_two_whatifs_side_by_side_then_one_deleted(api: Api) -> None:
    swedish = api.post("/whatifs", {"run_id": api.run_id, "name": "Swedish", "changes": [new_leader(["sv"])]})
    finnish = api.post("/whatifs", {"run_id": api.run_id, "name": "Finnish", "changes": [new_leader(["fi"])]})
    assert swedish.status_code == finnish.status_code == 202, (swedish.text, finnish.text)
    ids = [swedish.json()["id"], finnish.json()["id"]]
    done = [poll(api, f"/whatifs/{i}", whatif_done) for i in ids]
    assert [d["status"] for d in done] == ["done", "done"], done

    taken = api.post("/whatifs", {"run_id": api.run_id, "name": "Swedish", "changes": [new_leader(["fi"])]})
    assert taken.status_code == 409 and "Swedish" in taken.json()["detail"]

    compared = api.get("/whatifs/compare", params=[("ids", ids[0]), ("ids", ids[1])])
    assert compared.status_code == 200, compared.text
    items = compared.json()["items"]
    assert [i["name"] for i in items] == ["Swedish", "Finnish"]
    for item, whatif in zip(items, done, strict=True):
        diff = whatif["diff"]
        assert item["placed_gain"] == diff["placed_gain"] and item["by_place"] == diff["by_place"]
        assert item["groups_opened"] == len(diff["groups_opened"]) and item["changes"] == whatif["changes"]
        assert item["staff_minutes_gain"] == diff["staff_minutes_after"] - diff["staff_minutes_before"]
        assert item["driving_minutes_gain"] == diff["driving_minutes_after"] - diff["driving_minutes_before"]
    assert items[0]["placed_gain"] > 0 == items[1]["placed_gain"]  # a Finnish leader places no Swedish speaker

    listed = api.get("/whatifs", params={"run_id": api.run_id}).json()
    assert [i["id"] for i in listed["items"]] == ids[::-1] and listed["total"] == 2
    assert api.get("/whatifs", params={"run_id": api.run_id + 1}).json()["total"] == 0
    assert api.client.delete(f"/whatifs/{ids[1]}", headers=api.as_("coordinator")).status_code == 204
    assert api.get(f"/whatifs/{ids[1]}").status_code == 404
    assert api.get("/whatifs").json()["total"] == 1
    gone = api.get("/whatifs/compare", params=[("ids", ids[0]), ("ids", ids[1])])
    assert gone.status_code == 404 and str(ids[1]) in gone.json()["detail"]


def test_stopped_advice_ends_stopped_or_complete(api: Api) -> None:
    answer = api.post(f"/plans/{api.run_id}/advice", {"time_limit": 300, "replan_seconds": 5})
    assert answer.status_code == 202
    advice_id = answer.json()["id"]
    stopped = api.post(f"/advice/{advice_id}/stop")
    assert stopped.status_code == 202, stopped.text
    assert stopped.json()["status"] in ("stopping", "stopped", "complete")
    final = poll(api, f"/advice/{advice_id}", ended, timeout=30)
    assert final["status"] in ("stopped", "complete"), final
    again = api.post(f"/advice/{advice_id}/stop")
    assert again.status_code == 202 and again.json()["status"] == final["status"]


def test_bad_changes_are_named_by_their_field(api: Api) -> None:
    def create(changes: Any, name: str = "bad", run_id: int | None = None) -> httpx.Response:
        return api.post("/whatifs", {"run_id": run_id or api.run_id, "name": name, "changes": changes})

    def fields(answer: httpx.Response) -> list[str]:
        assert answer.status_code == 422, answer.text
        return [e["field"] for e in answer.json()["errors"]]

    unknown = create([{"kind": "staff_availability", "staff": "nobody", "add": []}])
    assert fields(unknown) == ["changes[0].staff"] and "nobody" in unknown.json()["detail"]
    second = create([{"kind": "client_remote", "client": SWEDISH[0]}, {"kind": "client_remote", "client": "x"}])
    assert fields(second) == ["changes[1].client"]
    assert fields(create([])) == ["changes"]
    assert any(f.startswith("changes[0]") for f in fields(create([{"kind": "teleport"}])))
    assert any("languages" in f for f in fields(create([{**new_leader([]), "kind": "new_leader"}])))
    closed = create([{"kind": "closure_lifted", "date": "2027-01-06"}])
    assert fields(closed) == ["changes[0].date"] and "not a closure day" in closed.json()["detail"]
    assert fields(create([new_leader(["sv"])], name="  ")) == ["name"]
    assert create([new_leader(["sv"])], run_id=999).status_code == 404
    assert api.get("/whatifs").json()["total"] == 0  # nothing was saved


def test_advice_refusals(api: Api) -> None:
    with session_scope(make_engine(api.url)) as session:
        failed = PlanningRun(status="failed", problem=swedish_problem().dump(), error="test")
        session.add(failed)
        session.flush()
        no_plan = failed.id
    conflict = api.post(f"/plans/{no_plan}/advice", QUICK)
    assert conflict.status_code == 409 and "no plan" in conflict.json()["detail"]
    assert api.post("/plans/999/advice", QUICK).status_code == 404
    assert api.get("/plans/999/advice").status_code == 404
    none_yet = api.get(f"/plans/{api.run_id}/advice")
    assert none_yet.status_code == 404 and "no advice" in none_yet.json()["detail"]
    assert api.get("/advice/999").status_code == 404
    assert api.post("/advice/999/stop").status_code == 404
    assert api.get("/whatifs/999").status_code == 404
    assert api.client.delete("/whatifs/999", headers=api.as_("coordinator")).status_code == 404
    for body, field in (
        ({"time_limit": 5}, "time_limit"),
        ({"time_limit": 601}, "time_limit"),
        ({"top": 0}, "top"),
        ({"top": 21}, "top"),
        ({"replan_seconds": 0.1}, "replan_seconds"),
        ({"time_limit": 10, "replan_seconds": 30}, "replan_seconds"),
        ({"seed": -1}, "seed"),
        ({"colour": "red"}, "colour"),
    ):
        answer = api.post(f"/plans/{api.run_id}/advice", body)
        assert answer.status_code == 422 and [e["field"] for e in answer.json()["errors"]] == [field], answer.text
    assert api.get("/advice/0").status_code == 422
    one = api.get("/whatifs/compare", params={"ids": 1})
    assert one.status_code == 422 and one.json()["errors"][0]["field"] == "ids"
    twice = api.get("/whatifs", params=[("run_id", 1), ("run_id", 2)])
    assert twice.status_code == 422 and twice.json()["errors"][0]["message"] == "give this parameter once"
    assert api.client.delete("/whatifs/compare", headers=api.as_("coordinator")).status_code == 405
    assert api.get(f"/plans/{api.run_id}/advice").status_code == 404  # none was started


def test_only_coordinators_advise(api: Api) -> None:
    change = {"run_id": api.run_id, "name": "x", "changes": [new_leader(["sv"])]}
    for role, status in (("counsellor", 403), ("staff", 403), ("anonymous", 401)):
        headers = api.as_(role)
        assert api.client.post(f"/plans/{api.run_id}/advice", json=QUICK, headers=headers).status_code == status
        assert api.client.get(f"/plans/{api.run_id}/advice", headers=headers).status_code == status
        assert api.client.get("/advice/1", headers=headers).status_code == status
        assert api.client.post("/advice/1/stop", headers=headers).status_code == status
        assert api.client.post("/whatifs", json=change, headers=headers).status_code == status
        assert api.client.get("/whatifs", headers=headers).status_code == status
        assert api.client.get("/whatifs/1", headers=headers).status_code == status
        assert api.client.delete("/whatifs/1", headers=headers).status_code == status
        assert api.client.get("/whatifs/compare?ids=1&ids=2", headers=headers).status_code == status
    assert api.get("/whatifs").json()["total"] == 0


def test_the_openapi_document_describes_advice_and_whatifs(api: Api) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    for path, method, statuses in (
        ("/plans/{run_id}/advice", "post", {"202", "404", "409", "422"}),
        ("/plans/{run_id}/advice", "get", {"200", "404"}),
        ("/advice/{advice_id}", "get", {"200", "404"}),
        ("/advice/{advice_id}/stop", "post", {"202", "404"}),
        ("/whatifs", "post", {"202", "404", "409", "422"}),
        ("/whatifs", "get", {"200"}),
        ("/whatifs/compare", "get", {"200", "404", "422"}),
        ("/whatifs/{whatif_id}", "get", {"200", "404"}),
        ("/whatifs/{whatif_id}", "delete", {"204", "404"}),
    ):
        operation = paths[path][method]
        assert operation["summary"] and operation["description"], (path, method)
        assert statuses <= set(operation["responses"]), (path, method)
        assert {"401", "403"} <= set(operation["responses"]), (path, method)
    assert "Location" in paths["/whatifs"]["post"]["responses"]["202"]["headers"]
