"""The coordinator's pages over httpx: who may open them, forms with their token, bad input, never a 500.

The browser tests (tests/pages/test_coordinator.py) look at the same pages in Chromium;
these check the answers themselves, quickly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from scheduler.services.planning.jobs import PlanningJobs
from scheduler.storage.models import EnrollmentRow, OfferingVersion, PlanningRun
from tests.api.conftest import Service
from tests.api.sign_in import sign_in as sign_in_with
from tests.planning_stub import GATE, held_solve

PAGES = ["/week", "/week/staff", "/week/unplaced", "/week/capacity", "/planning"]


def sign_in(service: Service, role: str) -> httpx.Client:
    client = service.client
    sign_in_with(client, service.as_(role)["Authorization"].split()[1])
    return client


def csrf(client: httpx.Client, path: str = "/planning") -> str:
    """The form token of a page (its cookie is set by the same answer)."""
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found, f"{path} has no form token"
    return found.group(1)


def finish(service: Service) -> None:
    jobs: PlanningJobs = service.client.app.state.jobs
    assert jobs.wait(60), "the run did not finish"


@pytest.fixture
def held(service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Planning that keeps running (in the planning worker process) until the test makes the gate file."""
    gate = tmp_path / "gate"
    monkeypatch.setenv(GATE, str(gate))
    app = service.client.app
    app.state.jobs.shutdown()
    app.state.jobs = PlanningJobs(app.state.engine, solve=held_solve, settings=app.state.settings)
    yield gate
    gate.touch()
    app.state.jobs.wait(10)
    app.state.jobs.shutdown()


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_callers_are_sent_to_sign_in(service: Service, path: str) -> None:
    answer = service.client.get(path, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/signin?next={path.replace('/', '%2F')}"


@pytest.mark.parametrize("path", [*PAGES, "/week/staff/s001"])
def test_counsellors_get_a_403_page_in_their_language(service: Service, path: str) -> None:
    client = sign_in(service, "counsellor")
    client.cookies.set("lang", "sv")
    answer = client.get(path)
    assert answer.status_code == 403 and answer.headers["content-type"].startswith("text/html")
    assert '<html lang="sv">' in answer.text and "This page is for coordinators" not in answer.text
    assert '<html lang="en">' in client.get(path, params={"lang": "en"}).text, "?lang= names the error page's language"


def test_the_board_shows_a_groups_fill_as_the_database_counts_it(service: Service) -> None:
    group = service.plan.groups[0]
    with service.session() as session:
        taken = session.scalar(
            select(func.count()).where(EnrollmentRow.group_id == group.id, EnrollmentRow.status == "active")
        )
    capacity = service.client.get(f"/offering/{group.id}").json()["capacity"]
    page = sign_in(service, "coordinator").get("/week")
    assert page.status_code == 200
    cell = page.text.split(f'id="wg-{group.id}"', 1)[1].split("</div>", 1)[0]
    assert f"{taken}/{capacity}" in cell and f'href="/group/{group.id}"' in cell


def test_a_timetable_names_its_member_and_an_unknown_member_is_a_404_page(service: Service) -> None:
    client = sign_in(service, "coordinator")
    leader = service.plan.groups[0].leaders[0]
    name = next(s.name for s in service.problem.staff if s.id == leader)
    assert name and name in client.get(f"/week/staff/{leader}").text
    client.cookies.set("lang", "en")
    missing = client.get("/week/staff/nobody")
    assert missing.status_code == 404 and "There is no staff member &#39;nobody&#39;." in missing.text


@pytest.mark.parametrize(
    "query, status", [({"run": "abc"}, 422), ({"run": "0"}, 422), ({"run": "99999"}, 404), ({"colour": "red"}, 422)]
)
def test_a_bad_address_is_a_page_naming_what_is_wrong(service: Service, query: dict[str, str], status: int) -> None:
    answer = sign_in(service, "coordinator").get("/week/unplaced", params={**query, "lang": "en"})
    assert answer.status_code == status and answer.headers["content-type"].startswith("text/html")
    if status == 422:
        assert next(iter(query)) in answer.text


def test_the_unplaced_page_lists_the_published_runs_unplaced_clients(service: Service) -> None:
    page = sign_in(service, "coordinator").get("/week/unplaced", params={"lang": "en"}).text
    for left in service.plan.unassigned:
        assert f'<th scope="row">{left.client}</th>' in page


def test_a_form_without_its_token_is_refused(service: Service) -> None:
    client = sign_in(service, "coordinator")
    client.get("/planning")
    answer = client.post("/planning", data={"time_limit": "5", "csrf": "forged"})
    assert answer.status_code == 403
    assert "Lomake" in answer.text, "the default language is Finnish"
    with service.session() as session:
        assert session.scalar(select(func.count()).select_from(PlanningRun)) == 1, "no run was started"


@pytest.mark.parametrize("value", ["", "abc", "0", "601", "nan"])
def test_a_bad_time_limit_is_named_in_the_chosen_language(service: Service, value: str) -> None:
    client = sign_in(service, "coordinator")
    client.cookies.set("lang", "en")
    answer = client.post("/planning", data={"time_limit": value, "csrf": csrf(client)})
    assert answer.status_code == 422
    assert "Time limit: give a number of seconds from 1 to 600." in answer.text
    assert f'value="{value}"' in answer.text, "what was typed is kept"


def test_plan_then_publish_from_the_pages(service: Service) -> None:
    client = sign_in(service, "coordinator")
    started = client.post("/planning", data={"time_limit": "3", "csrf": csrf(client)}, follow_redirects=False)
    assert started.status_code == 303
    run_id = int(started.headers["location"].rsplit("/", 1)[1])
    finish(service)
    draft = client.get(f"/planning/{run_id}", params={"lang": "en"}).text
    assert "Publish this draft" in draft and "Changes to the published offering" in draft
    published = client.post(f"/planning/{run_id}/publish", data={"csrf": csrf(client)}, follow_redirects=False)
    assert published.status_code == 303
    with service.session() as session:
        assert session.get(PlanningRun, run_id).status == "published"
        version = session.scalar(select(func.max(OfferingVersion.id)))
    assert f"the offering is now version {version}" in client.get(f"/planning/{run_id}").text
    again = client.post(f"/planning/{run_id}/publish", data={"csrf": csrf(client)})
    assert again.status_code == 409 and "Only a draft can be published" in again.text


def test_a_stale_draft_says_plan_again(service: Service) -> None:
    client = sign_in(service, "coordinator")
    client.cookies.set("lang", "sv")
    runs = []
    for _ in range(2):
        client.post("/planning", data={"time_limit": "2", "csrf": csrf(client)})
        finish(service)
        with service.session() as session:
            runs.append(session.scalar(select(func.max(PlanningRun.id))))
    assert client.post(f"/planning/{runs[1]}/publish", data={"csrf": csrf(client)}).status_code == 200
    stale = client.post(f"/planning/{runs[0]}/publish", data={"csrf": csrf(client)})
    assert stale.status_code == 409 and "Planera på nytt." in stale.text


def test_while_a_run_plans_its_page_refreshes_and_a_second_run_waits(service: Service, held: Path) -> None:
    client = sign_in(service, "coordinator")
    client.cookies.set("lang", "en")
    started = client.post("/planning", data={"time_limit": "5", "csrf": csrf(client)}, follow_redirects=False)
    run_path = started.headers["location"]
    running = client.get(run_path).text
    assert '<meta http-equiv="refresh" content="2">' in running and "Stop planning" in running
    assert 'data-status="running"' in client.get(f"{run_path}/progress").text
    busy = client.post("/planning", data={"time_limit": "5", "csrf": csrf(client)})
    assert busy.status_code == 409 and "is still planning" in busy.text
    assert client.post(f"{run_path}/cancel", data={"csrf": csrf(client)}, follow_redirects=False).status_code == 303
    assert service.client.app.state.jobs.wait(10)
    done = client.get(run_path).text
    assert "Status: stopped" in done and "http-equiv" not in done


def test_a_run_waiting_for_a_worker_says_so_and_a_split_run_its_parts(service: Service) -> None:
    with service.session() as session:
        waiting = PlanningRun(status="running", based_on_version=1, problem=service.problem.dump())
        split = PlanningRun(status="running", based_on_version=1, problem=service.problem.dump(), parts=22)
        split.worker, split.heartbeat_at = "elsewhere:1:1", datetime.now(UTC)
        session.add_all([waiting, split])
        session.commit()
        ids = waiting.id, split.id
    client = sign_in(service, "coordinator")
    client.cookies.set("lang", "en")
    first, second = (client.get(f"/planning/{run_id}/progress").text for run_id in ids)
    assert "Waiting in the planning queue for a worker" in first and "parts" not in first
    assert "Planned in 22 parts" in second and "Waiting in the planning queue" not in second
    client.cookies.set("lang", "fi")
    assert "Odottaa suunnittelujonossa" in client.get(f"/planning/{ids[0]}/progress").text
