"""Partners' activities beside a published offering (SQLite and PostgreSQL): the recommendations list them apart
(`partners`, each `partner: true`, never among the options), and the offering, the planning problem and the
county's figures stay as they were."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from scheduler.storage.repository import export_problem
from tests.api.conftest import Service, fitting_clients
from tests.paths import ROOT

CSV = (ROOT / "tests" / "data" / "partners.csv").read_text(encoding="utf-8")
ROWS = list(csv.DictReader(io.StringIO(CSV)))
PARTNER_IDS = {row["id"] for row in ROWS}


@pytest.fixture(params=["sqlite", "postgresql"])
def served(request: pytest.FixtureRequest) -> Service:
    return request.getfixturevalue("service" if request.param == "sqlite" else "pg_service")  # type: ignore[no-any-return]


def _import(service: Service) -> None:
    answer = service.client.post(
        "/partners/import",
        content=CSV.encode(),
        headers={**service.as_("coordinator"), "Content-Type": "text/csv"},
    )
    assert answer.status_code == 200, answer.text


def _recommend(service: Service, body: dict[str, Any], role: str = "anonymous") -> dict[str, Any]:
    answer = service.client.post("/offering/recommend", json=body, headers=service.as_(role))
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def test_an_anonymous_profile_gets_the_suiting_partner_activities_in_a_list_of_their_own(served: Service) -> None:
    _import(served)
    profile = {
        "languages": ["sv"],
        "interests": ["peer", "community"],
        "available": [{"day": "tue", "start": "12:00", "end": "17:00"}],
    }
    found = _recommend(served, {"profile": profile, "limit": 10})
    partners = found["partners"]
    ids = [p["id"] for p in partners]
    # Swedish, a wanted theme, on Tuesday within 12-17: the Red Cross friend group (fi;sv) and the Vänträff (sv);
    # not the Wednesday lunch (no window), not the Finnish-only ones
    assert sorted(ids) == ["vantraff-raasepori-tammisaari-sote", "ystavaryhma-lohja-virkkala-asukastalo"]
    assert all(p["partner"] is True and p["organisation"] for p in partners)
    assert not {o["group"]["id"] for o in found["options"]} & PARTNER_IDS
    assert not set(found["waiting_lists"]) & PARTNER_IDS
    anytime = _recommend(served, {"profile": {"languages": ["sv"]}, "limit": 10})["partners"]
    swedish = {r["id"] for r in ROWS if "sv" in r["languages"].split(";") and r["audience"] == "all"}
    assert {p["id"] for p in anytime} == swedish


def test_a_stored_client_gets_partners_by_language_theme_and_day(served: Service) -> None:
    _import(served)
    group = {"language": "fi", "theme": "peer", "day": "thu", "audience": "all", "place": None}
    (client,) = fitting_clients(served, group, 1, "partner-fit")
    found = _recommend(served, {"client_id": client, "limit": 10}, "counsellor")
    expected = {
        r["id"]
        for r in ROWS
        if "fi" in r["languages"].split(";") and r["theme"] == "peer" and r["day"] == "thu" and r["audience"] == "all"
    }
    assert expected == {"vertaisryhma-kirkkonummi-sote"}
    assert {p["id"] for p in found["partners"]} == expected
    assert all(p["partner"] for p in found["partners"])
    assert not {o["group"]["id"] for o in found["options"]} & PARTNER_IDS


def test_partners_stay_out_of_the_offering_the_problem_and_the_county_figures(served: Service) -> None:
    offering = served.client.get("/offering", params={"limit": 500}).json()
    figures = served.client.get("/reports/county", headers=served.as_("coordinator")).json()
    _import(served)
    assert served.client.get("/offering", params={"limit": 500}).json() == offering
    assert served.client.get("/reports/county", headers=served.as_("coordinator")).json() == figures
    with served.session() as session:
        problem = export_problem(session).model_dump_json()
    assert not any(partner in problem for partner in PARTNER_IDS)
    assert "Punainen Risti" not in problem
    assert served.client.get("/partners").json()["total"] == len(ROWS)
