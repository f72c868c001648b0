"""The coordinator's week in a real browser: board, timetables, unplaced, capacity, planning and publishing.

Each figure a page shows is checked against the site's database, read directly here;
every page passes axe-core without serious or critical violations and is saved as a
screenshot (test-artifacts/coord-*.png).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.storage.models import (
    ClientRow,
    EnrollmentRow,
    GroupRow,
    OfferingVersion,
    OfferRow,
    PlanningRun,
    StaffRow,
)
from tests.pages.conftest import Site, axe_check, shot, sign_in

PLAN_WAIT_MS = 90_000


@pytest.fixture
def coordinator(page: Page, site: Site) -> Page:
    sign_in(page, site, "coordinator", "/week")
    return page


def taken(db: Session, group_id: str) -> int:
    """Seats held in the group: active seats and pending offers (the demo published its plan as offers)."""
    db.expire_all()
    seats = db.scalar(select(func.count()).where(EnrollmentRow.group_id == group_id, EnrollmentRow.status == "active"))
    offers = db.scalar(select(func.count()).where(OfferRow.group_id == group_id, OfferRow.status == "pending"))
    return int(seats or 0) + int(offers or 0)


def test_the_board_shows_each_groups_fill_as_the_database_counts_it(coordinator: Page, site: Site, db: Session) -> None:
    page = coordinator
    expect(page.locator("h1")).to_have_text("Viikon ryhmät")
    running = list(db.scalars(select(GroupRow).where(GroupRow.status == "running").order_by(GroupRow.id)))
    expect(page.locator(".wg")).to_have_count(len(running))
    for group in running[:5]:
        capacity = site.get(f"/offering/{group.id}").json()["capacity"]
        cell = page.locator(f'[id="wg-{group.id}"]')
        expect(cell.locator(".fill-figure")).to_have_text(f"{taken(db, group.id)}/{capacity}")
        expect(cell.locator(".wg-time")).to_have_text(f"{group.start}–{group.end}")
    expect(page.locator("table.board thead th").nth(1)).to_have_text("maanantai")
    axe_check(page)
    shot(page, "coord-week-board")


def test_a_timetable_shows_the_drive_to_a_group_away_from_the_base(coordinator: Page, db: Session) -> None:
    page = coordinator
    in_person = select(GroupRow).where(GroupRow.status == "running", GroupRow.hub_id.is_not(None))
    away = next(
        g for g in db.scalars(in_person) for leader in g.leaders if db.get(StaffRow, leader).base_hub != g.hub_id
    )
    leader = next(s for s in away.leaders if db.get(StaffRow, s).base_hub != away.hub_id)
    page.goto("/week/staff")
    expect(page.locator("table.staff-loads tbody tr")).to_have_count(db.scalar(select(func.count(StaffRow.id))) or 0)
    axe_check(page)
    shot(page, "coord-staff-list")
    page.locator(f"a[href='/week/staff/{leader}']").click()
    expect(page.locator("h1")).to_contain_text(db.get(StaffRow, leader).name or leader)
    drives = page.locator("tr.drive")
    expect(drives.first).to_be_visible()
    assert drives.count() >= 2, "a drive there and a drive back to the base"
    assert any(re.search(r"Ajo \d+ min: .+ → .+", text) for text in drives.all_inner_texts())
    expect(page.locator(f"tr.session a[href='/group/{away.id}']")).to_be_visible()
    axe_check(page)
    shot(page, "coord-staff-timetable")


def test_unplaced_clients_are_listed_by_reason(coordinator: Page, db: Session) -> None:
    page = coordinator
    published = select(PlanningRun).where(PlanningRun.status == "published").order_by(PlanningRun.id.desc())
    run = db.scalars(published).first()
    assert run is not None and run.plan is not None
    left = {u["client"] for u in run.plan["unassigned"]}
    codes = {r["code"] for u in run.plan["unassigned"] for r in u["reasons"]}
    page.goto("/week/unplaced")
    expect(page.locator("section.reason")).to_have_count(len(codes))
    shown = set(page.locator("section.reason tbody th[scope=row]").all_inner_texts())
    assert shown == left
    axe_check(page)
    shot(page, "coord-unplaced")


def test_capacity_counts_waiting_clients_and_seats(coordinator: Page, site: Site, db: Session) -> None:
    page = coordinator
    seated = {c for c in db.scalars(select(EnrollmentRow.client_id).where(EnrollmentRow.status == "active"))}
    offered = {c for c in db.scalars(select(OfferRow.client_id).where(OfferRow.status == "pending"))}
    assert offered, "the demo published its plan as offers"
    held = sorted(seated | offered)  # a client with a pending offer has a seat held: not waiting
    waiting = list(db.scalars(select(ClientRow).where(ClientRow.in_service, ClientRow.id.not_in(held))))
    seats = {
        lang: sum(g["capacity"] for g in site.get("/offering", limit=500).json()["items"] if g["language"] == lang)
        for lang in ("fi", "sv")
    }
    page.goto("/week/capacity")
    totals = page.locator("table.capacity tfoot td").all_inner_texts()
    assert totals[0] == str(sum("fi" in c.languages for c in waiting)) and totals[1] == str(seats["fi"])
    assert totals[3] == str(sum("sv" in c.languages for c in waiting)) and totals[4] == str(seats["sv"])
    shortfalls = page.locator("td.short")
    if shortfalls.count():
        expect(shortfalls.first).to_contain_text("puuttuu")
    axe_check(page)
    shot(page, "coord-capacity")


def test_a_coordinator_page_in_swedish_is_remembered(coordinator: Page) -> None:
    page = coordinator
    page.get_by_role("link", name="svenska").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("h1")).to_have_text("Veckans grupper")
    expect(page.locator("table.board thead th").nth(1)).to_have_text("måndag")
    axe_check(page)
    shot(page, "coord-week-board-sv")
    page.get_by_role("link", name="Kapacitet").click()
    expect(page.locator("h1")).to_have_text("Kapacitet per kommun och språk")


def start_plan(page: Page, seconds: str = "5") -> str:
    page.goto("/planning")
    page.get_by_label("Aikaraja sekunteina").fill(seconds)
    page.get_by_role("button", name="Käynnistä suunnittelu").click()
    page.wait_for_url(re.compile(r".*/planning/\d+$"))
    return page.url.rsplit("/", 1)[1]


def test_plan_watch_the_progress_publish_and_a_stale_draft(
    coordinator: Page, no_js_page: Page, site: Site, db: Session
) -> None:
    page = coordinator
    page.goto("/planning")
    page.get_by_label("Aikaraja sekunteina").fill("900")
    page.get_by_role("button", name="Käynnistä suunnittelu").click()
    expect(page.locator(".error-message")).to_contain_text("Aikaraja: anna sekuntimäärä väliltä 1–600.")
    axe_check(page)
    shot(page, "coord-planning-form")

    sign_in(no_js_page, site, "coordinator", "/planning")
    older = start_plan(no_js_page)  # without JavaScript the page refreshes itself until the draft is there
    expect(no_js_page.get_by_role("button", name="Julkaise tämä luonnos")).to_be_visible(timeout=PLAN_WAIT_MS)

    with page.expect_request(re.compile(r".*/planning/\d+/progress$"), timeout=PLAN_WAIT_MS):
        run_id = start_plan(page)  # with JavaScript the page fetches the progress into its live region
    expect(page.locator("#progress dl")).to_contain_text("Löydetyt ratkaisut")
    shot(page, "coord-planning-progress")
    publish = page.get_by_role("button", name="Julkaise tämä luonnos")
    expect(publish).to_be_visible(timeout=PLAN_WAIT_MS)
    expect(page.locator("#diff-h")).to_have_text("Muutokset julkaistuun tarjontaan")
    axe_check(page)
    shot(page, "coord-planning-draft")

    run = db.get(PlanningRun, int(run_id))
    assert run is not None and run.plan is not None and run.diff is not None
    before = {g["id"]: len(g["participants"]) for g in run.problem["groups"]}
    gaining = next((g for g in run.plan["groups"] if len(g["participants"]) > before.get(g["id"], 0)), None)
    version = db.scalar(select(func.max(OfferingVersion.id)))
    publish.click()
    expect(page.locator(".ok-message")).to_contain_text(f"tarjonnan versio on nyt {(version or 0) + 1}")
    shot(page, "coord-planning-published")
    if gaining is not None:
        page.goto("/week")
        figure = page.locator(f'[id="wg-{gaining["id"]}"] .fill-figure')
        expect(figure).to_contain_text(f"{len(gaining['participants'])}/")

    page.goto(f"/planning/{older}")
    expect(page.locator(".notice")).to_contain_text("Luonnosta ei voi enää julkaista: suunnittele uudelleen.")
    expect(page.get_by_role("button", name="Julkaise tämä luonnos")).to_have_count(0)
    axe_check(page)
    shot(page, "coord-planning-stale")
