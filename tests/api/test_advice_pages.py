"""The advice and what-if pages over httpx, with the real planning queue and worker.

A small known problem: at Lohja, two Finnish-speaking qualified leaders lead a Finnish nature
group on Tuesdays, and four Swedish-only clients wait because no leader speaks Swedish. Advice
must find a new Swedish-speaking qualified leader at Lohja on Tuesdays, who places the four;
the page says so in Finnish, Swedish and English. A what-if is made from it with one button,
the what-if form names a bad field in the page's language (422, the form kept), and two
what-ifs are compared side by side.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from scheduler.contract import Plan, Problem
from scheduler.services.advice.jobs import AdviceJobs
from scheduler.storage.models import AdviceRun, PlanningRun, WhatIf
from solver import SolveParams, solve
from tests import builders as b
from tests.api.conftest import Service, _serve, publish_scenario
from tests.api.test_coordinator_pages import csrf
from tests.api.test_coordinator_pages import sign_in as sign_in_as
from tests.conftest import migrated

SWEDISH = [f"s{i:02d}" for i in range(1, 5)]


def sign_in(service: Service, role: str) -> httpx.Client:
    """Signed in as the role, asking for HTML as a browser does (the JSON API answers the same addresses
    to callers with a bearer token or who do not ask for HTML)."""
    client = sign_in_as(service, role)
    client.headers["Accept"] = "text/html,application/xhtml+xml"
    return client


WAIT = 90


@pytest.fixture(scope="module")
def known() -> tuple[Problem, Plan]:
    """Five Finnish-speaking clients placed, four Swedish-only ones left out for want of a Swedish-speaking leader."""
    problem = b.build(b.problem(people=b.clients("f", 5) + b.clients("s", 4, languages=("sv",))))
    plan = solve(problem, SolveParams(time_limit=3.0, workers=2))
    assert sorted(u.client for u in plan.unassigned) == SWEDISH
    return problem, plan


@pytest.fixture
def small(tmp_path: Path, known: tuple[Problem, Plan]) -> Iterator[Service]:
    url = migrated("sqlite", tmp_path)
    yield from _serve(url, publish_scenario(url, *known), known)


def advice(service: Service) -> AdviceJobs:
    jobs: AdviceJobs = service.client.app.state.advice
    return jobs


def run_id(service: Service) -> int:
    with service.session() as session:
        found = session.scalar(select(func.max(PlanningRun.id)))
    assert found is not None
    return int(found)


def start_advice(client: httpx.Client, service: Service) -> str:
    """Start advice from its form and wait for it to end; the advice page's path."""
    run = run_id(service)
    form = client.get(f"/planning/{run}/advice")
    assert form.status_code == 200 and 'name="time_limit"' in form.text and 'name="top"' in form.text
    started = client.post(
        f"/planning/{run}/advice",
        data={"time_limit": "30", "top": "5", "csrf": csrf(client, f"/planning/{run}/advice")},
        follow_redirects=False,
    )
    assert started.status_code == 303, started.text
    path = started.headers["location"]
    assert re.fullmatch(r"/advice/\d+", path)
    assert advice(service).wait_advice(int(path.rsplit("/", 1)[1]), WAIT), "the advice did not end"
    return path


@pytest.fixture
def advised(small: Service) -> tuple[httpx.Client, str]:
    client = sign_in(small, "coordinator")
    return client, start_advice(client, small)


EXPECTED = {
    "en": ["Swedish-speaking qualified leader", "on Tuesdays 09:00–15:00", "Lohja", "would place 4 clients"],
    "fi": ["ruotsinkielinen pätevä ohjaaja", "tiistaisin 9.00–15.00", "Lohja", "4 asiakasta lisää ryhmiin"],
    "sv": ["svenskspråkig behörig ledare", "på tisdagar 9.00–15.00", "Lohja", "ytterligare 4 klienter placerade"],
}


@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
def test_the_advice_page_says_the_verified_change_in_the_pages_language(
    advised: tuple[httpx.Client, str], lang: str
) -> None:
    client, path = advised
    page = client.get(path, params={"lang": lang})
    assert page.status_code == 200 and f'<html lang="{lang}">' in page.text
    best = html.unescape(page.text.split('class="advice-item"', 1)[1].split("</h3>", 1)[0])
    for words in EXPECTED[lang]:
        assert words in best, f"{words!r} not in {best!r}"
    assert "http-equiv" not in page.text, "a finished advice does not refresh itself"
    assert "Make a what-if" in page.text or lang != "en"
    item = page.text.split('class="advice-item"', 1)[1].split("</li>", 1)[0]
    assert "<caption>" in item and '<th scope="col">' in item, "counts and groups are tables with headers"
    assert re.search(r'<th scope="row">Lohja</th><td>[^<]+</td><td class="num">4</td>', item), "4 placed at Lohja"
    new_leader = {"en": "the new leader", "fi": "uusi ohjaaja", "sv": "den nya ledaren"}[lang]
    assert new_leader in html.unescape(item), "the group it would open names its leader"


def test_the_run_page_links_to_advice_and_the_fragment_says_the_status(advised: tuple[httpx.Client, str]) -> None:
    client, path = advised
    run = client.get(path).text.split('href="/planning/', 1)[1].split('"', 1)[0]
    assert f'href="/planning/{run}/advice"' in client.get(f"/planning/{run}").text
    fragment = client.get(f"{path}/progress", params={"lang": "en"}).text
    assert 'data-status="complete"' in fragment and "Status: complete" in fragment


def test_make_a_what_if_from_an_advice_item(advised: tuple[httpx.Client, str], small: Service) -> None:
    client, path = advised
    page = client.get(path, params={"lang": "en"}).text
    change = html.unescape(re.search(r'name="change" value="([^"]+)"', page).group(1))  # type: ignore[union-attr]
    made = client.post(f"{path}/whatif", data={"change": change, "csrf": csrf(client, path)}, follow_redirects=False)
    assert made.status_code == 303
    whatif = made.headers["location"]
    whatif_id = int(whatif.rsplit("/", 1)[1])
    assert advice(small).wait_whatif(whatif_id, WAIT)
    shown = html.unescape(client.get(whatif, params={"lang": "en"}).text)
    assert "A new Swedish-speaking qualified leader on Tuesdays 09:00–15:00" in shown
    assert "+4" in shown and all(c in shown for c in SWEDISH), "the diff names the clients it places"
    assert "Delete this what-if" in shown
    with small.session() as session:
        name = session.get(WhatIf, whatif_id).name
    assert name.startswith("A new Swedish-speaking qualified leader"), "named after the change"
    again = client.post(f"{path}/whatif", data={"change": change, "csrf": csrf(client, path)}, follow_redirects=False)
    assert again.status_code == 303, "a second what-if of the same change gets a name of its own"
    listed = html.unescape(client.get("/whatifs", params={"lang": "en"}).text)
    assert name in listed and f"{name} (2)" in listed
    deleted = client.post(f"{whatif}/delete", data={"csrf": csrf(client, whatif)}, follow_redirects=False)
    assert deleted.status_code == 303 and client.get(whatif).status_code == 404


def form(browser: httpx.Client, run: int, **fields: str) -> dict[str, str]:
    return {"csrf": csrf(browser, "/whatifs"), "run": str(run), **fields}


@pytest.mark.parametrize(
    "fields, lang, said",
    [
        (
            {"kind": "client_travel", "client": "nobody", "travel_minutes": "45"},
            "en",
            "Client: give the id of a client waiting in the run",
        ),
        ({"kind": "client_travel", "client": "s01", "travel_minutes": "abc"}, "en", "Travel limit: give whole minutes"),
        (
            {"kind": "new_leader", "languages": "sv", "hub": "lohja", "day": "tue", "start": "25:00", "end": "15:00"},
            "fi",
            "Alku: anna kellonaika",
        ),
        (
            {"kind": "new_leader", "languages": "sv", "hub": "nowhere", "day": "tue", "start": "09:00", "end": "12:00"},
            "sv",
            "Verksamhetsställe: välj",
        ),  # fmt: skip
        ({"kind": "room_opened", "room": "", "day": "wed", "start": "09:00", "end": "12:00"}, "en", "Room: choose"),
        ({"kind": "closure_lifted", "date": "2027-01-12"}, "en", "Date: choose a closure day"),
        ({"kind": "teleport"}, "en", "Change: choose one of the kinds listed."),
        ({"kind": "client_remote", "client": "s01", "name": ""}, "en", "Name: give the what-if a name"),
    ],
)
def test_the_what_if_form_names_a_bad_field_and_keeps_the_form(
    small: Service, fields: dict[str, str], lang: str, said: str
) -> None:
    client = sign_in(small, "coordinator")
    client.cookies.set("lang", lang)
    data = form(client, run_id(small), **{"name": "try", **fields})
    answer = client.post("/whatifs", data=data)
    assert answer.status_code == 422, answer.text[:300]
    text = html.unescape(answer.text)
    assert said in text
    assert 'aria-invalid="true"' in answer.text
    for value in (v for k, v in fields.items() if k in ("client", "travel_minutes", "start") and v):
        assert f'value="{value}"' in answer.text, "what was typed is kept"
    with small.session() as session:
        assert session.scalar(select(func.count()).select_from(WhatIf)) == 0, "nothing was saved"


def test_a_taken_name_and_a_run_without_a_plan_are_named(small: Service) -> None:
    client = sign_in(small, "coordinator")
    client.cookies.set("lang", "en")
    run = run_id(small)
    first = client.post("/whatifs", data=form(client, run, name="remote", kind="client_remote", client="s01"))
    assert first.status_code == 200 and "/whatifs/" in str(first.url)
    taken = client.post("/whatifs", data=form(client, run, name="remote", kind="client_remote", client="s02"))
    assert taken.status_code == 422 and "Name: give the what-if a name" in taken.text
    with small.session() as session:
        failed = PlanningRun(status="failed", based_on_version=1, problem=small.problem.dump())
        session.add(failed)
        session.commit()
        failed_id = failed.id
    no_plan = client.post("/whatifs", data=form(client, failed_id, name="x", kind="client_remote", client="s02"))
    assert no_plan.status_code == 422 and "Planning run: choose a run that has a plan." in no_plan.text
    refused = client.post(
        f"/planning/{failed_id}/advice",
        data={"time_limit": "10", "top": "3", "csrf": csrf(client, f"/planning/{failed_id}/advice")},
    )
    assert refused.status_code == 409 and f"Run {failed_id} has no plan" in refused.text


@pytest.mark.parametrize("values, field", [({"time_limit": "abc"}, "Time limit"), ({"top": "0"}, "Changes to find")])
def test_a_bad_advice_field_is_named(small: Service, values: dict[str, str], field: str) -> None:
    client = sign_in(small, "coordinator")
    client.cookies.set("lang", "en")
    run = run_id(small)
    data = {"time_limit": "10", "top": "3", **values, "csrf": csrf(client, f"/planning/{run}/advice")}
    answer = client.post(f"/planning/{run}/advice", data=data)
    assert answer.status_code == 422 and f"{field}: give" in answer.text
    assert advice(small).latest_advice(run) is None, "no advice was started"


def test_two_what_ifs_side_by_side(small: Service) -> None:
    client = sign_in(small, "coordinator")
    client.cookies.set("lang", "en")
    run = run_id(small)
    leader = {"kind": "new_leader", "languages": "sv", "qualified": "on", "hub": "lohja", "day": "tue"}
    ids = []
    for name, fields in [
        ("Swedish leader", {**leader, "start": "09:00", "end": "15:00"}),
        ("Finnish leader", {**leader, "languages": "fi", "start": "12:00", "end": "15:00"}),
    ]:
        made = client.post("/whatifs", data=form(client, run, name=name, **fields), follow_redirects=False)
        assert made.status_code == 303, made.text[:500]
        ids.append(int(made.headers["location"].rsplit("/", 1)[1]))
    for whatif_id in ids:
        assert advice(small).wait_whatif(whatif_id, WAIT)
    chosen = client.post("/whatifs/chosen", data={"ids": ids, "csrf": csrf(client, "/whatifs")}, follow_redirects=False)
    assert chosen.status_code == 303 and chosen.headers["location"] == f"/whatifs/compare?ids={ids[0]},{ids[1]}"
    page = client.get(chosen.headers["location"])
    assert page.status_code == 200
    text = html.unescape(page.text)
    head = text.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert "Swedish leader" in head and "Finnish leader" in head
    gains = re.search(r"More clients placed</th>(.*?)</tr>", text, re.S).group(1)  # type: ignore[union-attr]
    assert re.findall(r'<td class="num">(\d+)</td>', gains) == ["4", "0"], "the Swedish leader places the four"
    assert "Placed in Lohja, Swedish" in text
    one = client.post("/whatifs/chosen", data={"ids": [ids[0]], "csrf": csrf(client, "/whatifs")})
    assert one.status_code == 422 and "Compare: choose from 2 to 6 what-ifs." in one.text, "the list says why"
    assert client.get("/whatifs/compare", params={"ids": str(ids[0])}).status_code == 422
    assert client.get("/whatifs/compare", params={"ids": "1,x"}).status_code == 422
    assert client.get("/whatifs/compare", params={"ids": "9998,9999"}).status_code == 404


def test_the_pages_are_for_coordinators(small: Service) -> None:
    client = sign_in(small, "counsellor")
    for path in ["/whatifs", f"/planning/{run_id(small)}/advice", "/advice/1", "/whatifs/1"]:
        assert client.get(path).status_code == 403


def test_while_advice_and_a_what_if_wait_their_pages_refresh_and_advice_stops(small: Service) -> None:
    """Rows waiting in the queue (put there directly: no worker takes them) show as a running job does."""
    run = run_id(small)
    with small.session() as session:
        waiting = AdviceRun(run_id=run, created_by="test", status="queued", params={"time_limit": 10, "top": 3})
        whatif = WhatIf(name="waits", run_id=run, changes=[{"kind": "client_remote", "client": "s01"}], created_by="t")
        session.add_all([waiting, whatif])
        session.commit()
        advice_id, whatif_id = waiting.id, whatif.id
    client = sign_in(small, "coordinator")
    client.cookies.set("lang", "sv")
    page = client.get(f"/advice/{advice_id}").text
    assert '<meta http-equiv="refresh" content="2">' in page and "Stoppa rådgivningen" in page
    assert "/static/week/planning.js" in page and 'data-status="running"' in page, (
        "the planning page's script follows it"
    )
    shown = html.unescape(client.get(f"/whatifs/{whatif_id}").text)
    assert '<meta http-equiv="refresh" content="2">' in shown and "väntar i kön" in shown
    assert "Klient s01 går med på att delta på distans" in shown
    path = f"/advice/{advice_id}"
    stopped = client.post(f"{path}/stop", data={"csrf": csrf(client, path)}, follow_redirects=False)
    assert stopped.status_code == 303
    after = client.get(path, params={"lang": "en"}).text
    assert "Status: stopped" in after and "http-equiv" not in after and "Stop advice" not in after
    assert "No change was verified." in after or "No advice" in after


def test_the_form_says_which_changes_use_each_field(small: Service) -> None:
    client = sign_in(small, "coordinator")
    page = html.unescape(client.get("/whatifs", params={"lang": "en"}).text)
    assert '<label for="f-hub">Hub</label>' in page and "Used by: A new leader; A new room at a hub" in page
    assert '<option value="lohja|lohja/room">' in page, "the run's rooms are offered"
    assert 'name="csrf"' in page.split('action="/whatifs"', 1)[1]
    finnish = html.unescape(client.get("/whatifs", params={"lang": "fi"}).text)
    assert "Käyttävät muutokset: Uusi ohjaaja; Uusi tila toimipisteessä" in finnish


@pytest.fixture
def small_pg(tmp_path: Path, known: tuple[Problem, Plan]) -> Iterator[Service]:
    url = migrated("postgresql", tmp_path)
    yield from _serve(url, publish_scenario(url, *known), known)


def test_advice_and_a_what_if_on_postgresql(small_pg: Service) -> None:
    client = sign_in(small_pg, "coordinator")
    path = start_advice(client, small_pg)
    page = html.unescape(client.get(path, params={"lang": "en"}).text)
    assert "A new Swedish-speaking qualified leader on Tuesdays 09:00–15:00" in page and "would place 4 clients" in page
    run = run_id(small_pg)
    made = client.post("/whatifs", data=form(client, run, name="remote s01", kind="client_remote", client="s01"))
    assert made.status_code == 200 and re.search(r"/whatifs/\d+$", str(made.url))
    assert advice(small_pg).wait_whatif(int(str(made.url).rsplit("/", 1)[1]), WAIT)
    listed = client.get("/whatifs", params={"lang": "en"}).text
    assert "remote s01" in listed and f"Run {run}" in listed


@pytest.mark.parametrize(
    "lang, why",
    [
        ("en", "No advice: Every client who can be planned is placed: there is nothing to gain."),
        ("fi", "Ei neuvoja: Jokainen suunniteltavissa oleva asiakas on sijoitettu"),
        ("sv", "Inga råd: Varje klient som kan planeras är placerad"),
    ],
)
def test_advice_with_nobody_left_out_says_why_there_is_none(small: Service, lang: str, why: str) -> None:
    """A draft run whose plan places everyone (the five Finnish-speaking clients only): nothing to gain."""
    finnish = b.build(b.problem(people=b.clients("f", 5)))
    plan = solve(finnish, SolveParams(time_limit=3.0, workers=2))
    assert plan.unassigned == []
    with small.session() as session:
        run = PlanningRun(status="draft", based_on_version=1, problem=finnish.dump(), plan=plan.dump())
        session.add(run)
        session.commit()
    client = sign_in(small, "coordinator")
    path = start_advice(client, small)
    page = html.unescape(client.get(path, params={"lang": lang}).text)
    assert why in page and 'class="advice-item"' not in page
