"""Capacity advice and what-ifs in a real browser: start advice on the published run, watch it end, read it.

The page follows the advice with the planning page's script (no reload needed by the user) and
shows, once it has ended, the status the database holds and either the best changes, each said
in a sentence, or why there is none. The advice page and the what-ifs page pass axe-core without
serious or critical violations; the advice page is saved as a screenshot in the test's tmp dir.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.storage.database import make_engine
from scheduler.storage.models import AdviceRun, PlanningRun
from tests.pages.conftest import Site, axe_check, sign_in

ADVICE_WAIT_MS = 120_000


def test_advice_runs_and_renders_in_the_browser(page: Page, site: Site, tmp_path: Path) -> None:
    engine = make_engine(site.database_url)
    with Session(engine) as db:
        run_id = db.scalar(select(func.max(PlanningRun.id)).where(PlanningRun.status == "published"))
    assert run_id is not None
    sign_in(page, site, "coordinator", f"/planning/{run_id}")
    page.get_by_role("link", name=re.compile("Kapasiteettineuvonta")).click()
    page.goto(f"/planning/{run_id}/advice?lang=en")
    expect(page.locator("h1")).to_have_text(f"Capacity advice for run {run_id}")
    page.get_by_label("Time limit in seconds").fill("15")
    page.get_by_label("Changes to find").fill("3")
    page.get_by_role("button", name="Start advice").click()
    page.wait_for_url(re.compile(r"/advice/\d+$"))
    advice_id = int(page.url.rsplit("/", 1)[1])
    ended = page.locator(".progress[data-status]:not([data-status=running])")
    expect(ended).to_have_count(1, timeout=ADVICE_WAIT_MS)  # the script reloads the page when advice ends
    with Session(engine) as db:
        status = db.scalar(select(AdviceRun.status).where(AdviceRun.id == advice_id))
    engine.dispose()
    assert status in ("complete", "stopped")
    expect(page.locator(".progress .status")).to_have_text(f"Status: {status}")
    items = page.locator(".advice-item h3")
    if items.count():
        for sentence in items.all_inner_texts():
            assert sentence.strip() and "%(" not in sentence
        expect(page.get_by_role("button", name=re.compile("Make a what-if")).first).to_be_visible()
    else:
        expect(page.locator("#none-why")).to_contain_text("No")
    expect(page.locator("meta[http-equiv=refresh]")).to_have_count(0)
    axe_check(page)
    picture = tmp_path / "advice.png"
    page.screenshot(path=str(picture), full_page=True)
    assert picture.stat().st_size > 10_000
    if items.count():  # a what-if from the best change: planned, its difference shown
        page.get_by_role("button", name=re.compile("Make a what-if")).first.click()
        page.wait_for_url(re.compile(r"/whatifs/\d+$"))
        expect(page.locator(".progress[data-status=done]")).to_have_count(1, timeout=ADVICE_WAIT_MS)
        expect(page.get_by_role("table", name="Without and with the changes")).to_be_visible()
        axe_check(page)
        page.screenshot(path=str(tmp_path / "whatif.png"), full_page=True)
    page.goto("/whatifs?lang=en")
    expect(page.locator("h1")).to_have_text("What-ifs")
    expect(page.get_by_label("Change", exact=True)).to_be_visible()
    axe_check(page)
    page.screenshot(path=str(tmp_path / "whatifs.png"), full_page=True)
