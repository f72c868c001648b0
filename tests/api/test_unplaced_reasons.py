"""The unplaced clients' reasons on the coordinator's page, in the page's language (`?lang=`), from code and args."""

from __future__ import annotations

from markupsafe import escape

from scheduler.contract import Reason, Unassigned
from scheduler.i18n.reasons import reason_text
from scheduler.storage.models import PlanningRun
from tests.api.conftest import Service
from tests.api.test_coordinator_pages import sign_in

LEADERS = Reason(
    code="leaders",
    detail="no Swedish-speaking qualified leader is free on Tuesday–Thursday within 75 min of Raasepori",
    args={
        "case": "qualified_near",
        "languages": ["sv"],
        "minutes": 75,
        "places": ["Raasepori"],
        "days": ["tue", "wed", "thu"],
    },
)
OLD = Reason(code="travel", detail="no hub within 30 min by car (nearest: Hanko, 80 min)")  # a plan without args


def draft_with(service: Service, unassigned: list[Unassigned]) -> int:
    """A draft run of the published problem whose plan leaves these clients out."""
    plan = service.plan.model_copy(update={"unassigned": unassigned})
    with service.session() as session:
        run = PlanningRun(status="draft", problem=service.problem.dump(), plan=plan.dump())
        session.add(run)
        session.commit()
        return run.id


def test_the_page_says_a_leaders_reason_in_finnish_swedish_and_english(service: Service) -> None:
    first, second = (c.id for c in service.problem.clients[:2])
    run = draft_with(service, [Unassigned(client=first, reasons=[LEADERS]), Unassigned(client=second, reasons=[OLD])])
    client = sign_in(service, "coordinator")
    fi = client.get("/week/unplaced", params={"run": run, "lang": "fi"}).text
    assert "Ei ohjaajia asiakkaalle sopiviin aikoihin" in fi, "the heading of `leaders`"
    assert (
        "<td>Yksikään ryhmän kieltä (ruotsi) puhuva pätevä ohjaaja 75 minuutin ajomatkan päästä toimipisteestä"
        " Raasepori ei ole vapaana silloin, kun asiakas pääsee (tiistai–torstai).</td>"
    ) in fi
    assert f'<td lang="en">{escape(OLD.detail)}</td>' in fi, "a reason without args shows the English detail, marked"
    sv = client.get("/week/unplaced", params={"run": run, "lang": "sv"}).text
    assert "Ingen behörig ledare som talar svenska och bor inom 75 minuters bilresa från Raasepori" in sv
    en = client.get("/week/unplaced", params={"run": run, "lang": "en"}).text
    assert "No qualified leader who speaks Swedish and lives within 75 min of Raasepori" in en


def test_the_published_plans_reasons_are_all_said_in_finnish(service: Service) -> None:
    page = sign_in(service, "coordinator").get("/week/unplaced", params={"lang": "fi"}).text
    assert service.plan.unassigned, "the scenario leaves someone out"
    for left in service.plan.unassigned:
        for reason in left.reasons:
            said = reason_text("fi", reason.code, reason.args, reason.detail)
            assert said.lang == "fi" and f"<td>{escape(said.text)}</td>" in page, (left.client, reason)
