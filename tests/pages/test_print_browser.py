"""Printing in a real browser (Chromium, print media emulated): the offering, a group's term, the week board and
a staff timetable on A4.

On paper there is no navigation, language switch, form or button; text is black on white; the offering's
groups come by hub and the board's hubs by municipality, each section after the first on a new page
(its computed `break-before` is `page`, and the printed PDF has at least a page per section); each page
prints to a non-empty A4 PDF (Chromium's `page.pdf`, read back by `tests.pages.pdf_text`). On screen the
paper-only part stays hidden. Screenshots of the print-emulated pages are saved as test-artifacts/print-*.png.
"""

from __future__ import annotations

from collections import Counter

from playwright.sync_api import Page, ViewportSize, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.storage.models import GroupRow, HubRow
from tests.pages.conftest import ARTIFACTS, Site, shot, sign_in
from tests.pages.pdf_text import is_a4, media_boxes, page_count

BLACK = "rgb(0, 0, 0)"
PAPER: ViewportSize = {"width": 695, "height": 983}
"""A4 less print.css's page margins (184 mm x 267 mm), in CSS pixels."""
SCREEN_ONLY = "header.site, nav, form, button, .langs, .subnav"


def _printed(page: Page, name: str) -> bytes:
    """The page as print media shows it: nothing of the screen's chrome visible, black text, an A4 PDF."""
    page.emulate_media(media="print")
    for found in page.locator(SCREEN_ONLY).all():
        expect(found).to_be_hidden()
    colours = page.evaluate("""() => [...document.querySelectorAll('main *, footer *')]
        .filter(e => e.offsetParent !== null && e.textContent.trim())
        .map(e => getComputedStyle(e).color)""")
    assert colours and set(colours) == {BLACK}, Counter(colours)
    backgrounds = page.evaluate("""() => [...document.querySelectorAll('body, main *')]
        .filter(e => e.offsetParent !== null).map(e => getComputedStyle(e).backgroundColor)""")
    assert set(backgrounds) <= {"rgba(0, 0, 0, 0)"}, Counter(backgrounds)
    after = page.evaluate("""() => [...document.querySelectorAll('main a[href]')]
        .map(a => getComputedStyle(a, '::after').content).filter(c => c !== 'none' && c !== 'normal')""")
    assert after == [], "link addresses are not written out on paper"
    page.set_viewport_size(PAPER)  # the screenshot as wide as the paper's printable area
    page.screenshot(path=f"/tmp/print-{name}.png", full_page=True)
    shot(page, f"print-{name}")
    pdf = page.pdf(format="A4", path=ARTIFACTS / f"print-{name}.pdf")
    boxes = media_boxes(pdf)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5_000
    assert boxes and all(is_a4(box) for box in boxes), boxes
    return pdf


def _breaks(page: Page, selector: str) -> list[str]:
    return [str(b) for b in page.locator(selector).evaluate_all("all => all.map(e => getComputedStyle(e).breakBefore)")]


def test_offering_prints_its_groups_by_hub_a_hub_a_page(page: Page, site: Site) -> None:
    items = site.get("/offering", limit=500).json()["items"]
    hubs = {g["place"]["hub_id"] if g["place"] else "" for g in items}
    page.goto("/")
    expect(page.locator(".print-only")).to_be_hidden()  # on screen: the cards, as before
    expect(page.locator("article.card").first).to_be_visible()
    expect(page.locator("form.filters")).to_be_visible()
    pdf = _printed(page, "offering")
    expect(page.locator("article.card").first).to_be_hidden()
    sections = page.locator(".print-hub")
    expect(sections).to_have_count(len(hubs))
    assert {s.get_attribute("data-hub") for s in sections.all()} == hubs
    assert _breaks(page, ".print-hub")[0] != "page"
    assert set(_breaks(page, ".print-hub")[1:]) == {"page"}
    expect(page.locator(".print-groups tbody tr")).to_have_count(len(items))
    free = next(g for g in items if g["free_seats"] > 1 and g["admission_open"])
    row = page.locator(f".print-hub[data-hub='{free['place']['hub_id']}'] tr", has_text=free["name"]["fi"]).first
    expect(row).to_contain_text(f"{free['free_seats']} vapaata paikkaa")  # the seats in words, not a colour
    assert page_count(pdf) >= len(hubs)


def test_group_page_prints_its_term_with_cancelled_sessions_in_words(page: Page, site: Site) -> None:
    group = site.group_with_free_seats(0, day="fri")  # Good Friday cancels one of its sessions
    page.goto(f"/group/{group['id']}")
    _printed(page, "group")
    expect(page.locator("h1")).to_have_text(group["name"]["fi"])
    expect(page.locator("ol.sessions li").first).to_be_visible()
    cancelled = page.locator("ol.sessions li.cancelled")
    assert cancelled.count() >= 1
    for item in cancelled.all():
        expect(item).to_contain_text("Peruttu:")  # struck through, and said in words
    expect(page.locator(".cal")).to_be_hidden()
    expect(page.locator(".crumbs")).to_be_hidden()


def test_week_board_prints_a_municipality_a_page(page: Page, site: Site, db: Session) -> None:
    sign_in(page, site, "coordinator", "/week")
    towns = page.locator("table.board tbody.town")
    running = db.scalars(select(GroupRow).where(GroupRow.status == "running")).all()
    municipalities = {
        db.scalar(select(HubRow.municipality).where(HubRow.id == g.hub_id)) if g.hub_id else None for g in running
    }
    expect(towns).to_have_count(len(municipalities))
    pdf = _printed(page, "board")
    assert _breaks(page, "table.board tbody.town")[0] != "page"
    assert set(_breaks(page, "table.board tbody.town")[1:]) == {"page"}
    width = page.evaluate("document.querySelector('table.board').getBoundingClientRect().width")
    assert width <= page.evaluate("document.documentElement.clientWidth"), "the board fits the paper's width"
    expect(page.locator(".wg-subs").first).to_be_hidden()
    full = page.locator(".wg .fill.is-full")
    for mark in full.all():
        expect(mark.locator(".tag")).to_be_visible()  # a full group says "full" on paper, not only in red
    assert page_count(pdf) >= len(municipalities)


def test_staff_timetable_prints_on_a4(page: Page, site: Site, db: Session) -> None:
    leaders = Counter(
        leader for g in db.scalars(select(GroupRow).where(GroupRow.status == "running")) for leader in g.leaders
    )
    staff_id = leaders.most_common(1)[0][0]
    sign_in(page, site, "coordinator", f"/week/staff/{staff_id}")
    pdf = _printed(page, "timetable")
    expect(page.locator("table.timetable tr.session")).to_have_count(
        sum(staff_id in g.leaders for g in db.scalars(select(GroupRow).where(GroupRow.status == "running")))
    )
    assert set(_breaks(page, "table.timetable tbody")) <= {"auto"}
    assert page_count(pdf) >= 1
