"""The shape of the groups on the coordinator's pages: the published week on /week, beside the newest draft's;
a run's policy and its shape before → after on its page; a policy chosen in the planning form."""

from __future__ import annotations

import html

from babel.numbers import format_decimal, format_percent
from sqlalchemy import select

from scheduler.contract import PlanShape, plan_shape
from scheduler.storage.models import PlanningRun
from tests.api.conftest import Service
from tests.api.test_coordinator_pages import csrf, finish, sign_in


def row(page: str, heading: str) -> str:
    """The cells of a table row by its heading, as text."""
    cells = page.split(f'<th scope="row">{heading}</th>', 1)[1].split("</tr>", 1)[0]
    return html.unescape(cells)


def text(page: str) -> str:
    """The page's markup unescaped, its runs of white space as one space."""
    return " ".join(html.unescape(page).split())


def figures(shape: PlanShape, lang: str) -> tuple[str, str]:
    return (
        f"{shape.two_leaders} ({format_percent(shape.two_leader_share, locale=lang)})",
        format_decimal(shape.mean_size, format="#,##0.0", locale=lang),
    )


def test_the_week_shows_the_published_groups_shape_in_finnish_and_english(service: Service) -> None:
    client = sign_in(service, "coordinator")
    published = plan_shape(service.plan.groups, service.problem.templates)
    assert published.groups > 0
    english = client.get("/week", params={"lang": "en"}).text
    assert "Shape of the groups" in english and "The published week's groups" in english
    two, mean = figures(published, "en")
    assert two in row(english, "Groups with two leaders")
    assert mean in row(english, "Mean group size")
    assert f">{published.at_minimum}<" in row(english, "Groups at their minimum size")
    sizes = english.split('class="shape-sizes"', 1)[1].split("</table>", 1)[0]
    for size, count in published.sizes.items():
        cells = sizes.split(f'<th scope="row" class="num">{size}</th>', 1)[1].split("</tr>", 1)[0]
        assert f'<span class="size-count">{count}</span>' in cells
    finnish = client.get("/week", params={"lang": "fi"}).text
    assert "Ryhmien muoto" in finnish and "Julkaistun viikon ryhmät" in finnish
    two, mean = figures(published, "fi")
    assert two in row(finnish, "Ryhmiä, joilla kaksi ohjaajaa") and mean in row(finnish, "Ryhmän keskikoko")


def test_a_draft_planned_under_a_chosen_policy_shows_it_and_its_shape_before_and_after(service: Service) -> None:
    client = sign_in(service, "coordinator")
    form = {"time_limit": "3", "policy": "placement", "csrf": csrf(client)}
    started = client.post("/planning", data=form, follow_redirects=False)
    assert started.status_code == 303, started.text
    run_id = int(started.headers["location"].rsplit("/", 1)[1])
    finish(service)
    with service.session() as session:
        run = session.get(PlanningRun, run_id)
        assert run is not None and run.status == "draft"
        assert run.problem["policy"]["preset"] == "placement" and run.metrics["policy"] == "placement"
        after = PlanShape.model_validate(run.metrics["shape"])
    before = plan_shape(service.plan.groups, service.problem.templates)
    page = text(client.get(f"/planning/{run_id}", params={"lang": "en"}).text)
    assert "Planning policy" in page and "clients placed first; leaders work within 75 min of their base" in page
    change = (
        f"Groups with two leaders {format_percent(before.two_leader_share, locale='en')} → "
        f"{format_percent(after.two_leader_share, locale='en')}, mean size "
        f"{format_decimal(before.mean_size, format='#,##0.0', locale='en')} → "
        f"{format_decimal(after.mean_size, format='#,##0.0', locale='en')}, at their minimum size "
        f"{before.at_minimum} → {after.at_minimum}"
    )
    assert change in page
    assert "Shape of the groups before and after" in page
    week = text(client.get("/week", params={"lang": "en"}).text)
    assert f"Draft, run {run_id}" in week and "The published week and the newest draft" in week
    assert f"Run {run_id} was planned under the policy: clients placed first." in week
    finnish = text(client.get(f"/planning/{run_id}", params={"lang": "fi"}).text)
    assert "Suunnitteluperiaate" in finnish and "asiakkaat sijoitetaan ensin" in finnish


def test_an_unknown_policy_in_the_form_is_named(service: Service) -> None:
    client = sign_in(service, "coordinator")
    client.cookies.set("lang", "en")
    answer = client.post("/planning", data={"time_limit": "3", "policy": "bogus", "csrf": csrf(client)})
    assert answer.status_code == 422
    assert "Planning policy: choose one of the policies listed." in answer.text
    with service.session() as session:
        assert len(session.scalars(select(PlanningRun)).all()) == 1, "no run was started"
