"""A live `tarjotin serve` over a published scenario, and Debian's Chromium driven by Playwright.

The site is set up with the project's own command (`tarjotin demo --no-serve`: import the
built-in scenario, plan and publish it) over a temporary SQLite database, once per test
session, with a token per role, and served by `tarjotin serve` in a subprocess on a free port. The browser
is `/usr/bin/chromium` (installed by `make test`; Playwright downloads nothing) with the
network closed off. `axe_check` runs axe-core from node_modules in the page; `shot` saves
a screenshot under test-artifacts/.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from sqlalchemy.orm import Session

from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.tokens import create_token
from tests.api.conftest import published, scenario, service  # noqa: F401 - the in-process application, for httpx page tests

ROOT = Path(__file__).resolve().parents[2]
TARJOTIN = str(Path(sys.executable).parent / "tarjotin")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
SITE_CLIENTS = 200
PLAN_SECONDS = 3

__all__ = ["ARTIFACTS", "Site", "axe_check", "shot", "sign_in"]

COUNTER = iter(range(1, 10_000))


@dataclass
class Site:
    """A running service: its address, its database, and a token per role."""

    url: str
    database_url: str
    tokens: dict[str, str]

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> httpx.Response:
        return httpx.get(self.url + path, params=params, headers=headers, timeout=10)

    def as_role(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def new_client_for(self, group: dict[str, Any]) -> str:
        """A new waiting client (made through the JSON API) whom the offered group suits in every way."""
        place = group["place"] or {"lat": 60.2, "lon": 24.6}
        ident = f"browser-{next(COUNTER)}"
        body = {
            "id": ident,
            "languages": [group["language"]],
            "home_lat": place["lat"],
            "home_lon": place["lon"],
            "travel_mode": "car",
            "max_travel_minutes": 120,
            "interests": [group["theme"]],
            "available": [{"day": group["day"], "start": "00:00", "end": "23:59"}],
            "audiences": [group["audience"]],
            "remote_ok": True,
            "waiting_since": "2026-09-01",
        }
        answer = httpx.post(self.url + "/clients", json=body, headers=self.as_role("coordinator"), timeout=10)
        assert answer.status_code == 201, answer.text
        return ident

    def group_with_free_seats(self, seats: int = 1, **filters: Any) -> dict[str, Any]:
        """An in-person group of the live offering with at least `seats` free."""
        items = self.get("/offering", limit=500, modality="in_person", **filters).json()["items"]
        return next(g for g in items if g["free_seats"] >= seats)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([TARJOTIN, *args], env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"tarjotin {' '.join(args)} failed: {done.stdout}\n{done.stderr}"
    return done.stdout


def _wait_until_up(url: str, server: subprocess.Popen[str]) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError(f"tarjotin serve stopped: {server.stderr.read() if server.stderr else ''}")
        try:
            if httpx.get(url + "/offering", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError("tarjotin serve did not answer within 30 s")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The built-in scenario (200 clients: Swedish groups in Raasepori too) published, served live on a free port."""
    folder = tmp_path_factory.mktemp("site")
    port = _free_port()
    database = f"sqlite:///{folder / 'tarjotin.db'}"
    env = {**os.environ, "TARJOTIN_DATABASE_URL": database, "TARJOTIN_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    env["TARJOTIN_LOG_LEVEL"] = "WARNING"  # the server's output is piped and never read: no access lines to fill it
    _run(
        env,
        "demo",
        "--no-serve",
        "--clients",
        str(SITE_CLIENTS),
        "--time-limit",
        str(PLAN_SECONDS),
        "--out-dir",
        str(folder / "out"),
    )  # imports the scenario, plans and publishes it
    engine = make_engine(database)
    with session_scope(engine) as session:
        tokens = {
            role: create_token(session, role, f"Browser {role}", actor="test")[1]
            for role in ("counsellor", "coordinator")
        }
    engine.dispose()
    server = subprocess.Popen(
        [TARJOTIN, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server)
        yield Site(url, database, tokens)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def db(site: Site) -> Iterator[Session]:
    """A session on the live site's database, to check what the pages show against what it holds."""
    engine = make_engine(site.database_url)
    with Session(engine) as session:
        yield session
    engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, with no network of its own (no updates, no sync)."""
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: `make test` installs Debian's chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


def _context(browser: Browser, site: Site, **options: Any) -> BrowserContext:
    """A browser context of a Finnish user (its Accept-Language is fi-FI) unless `locale` says otherwise."""
    options = {"locale": "fi-FI", **options}
    context = browser.new_context(base_url=site.url, viewport={"width": 1280, "height": 900}, **options)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def page(browser: Browser, site: Site) -> Iterator[Page]:
    """A fresh browser tab (no cookies) on the live site."""
    context = _context(browser, site)
    yield context.new_page()
    context.close()


@pytest.fixture
def no_js_page(browser: Browser, site: Site) -> Iterator[Page]:
    """A tab with JavaScript turned off: browsing must still work."""
    context = _context(browser, site, java_script_enabled=False)
    yield context.new_page()
    context.close()


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as test-artifacts/NAME.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_check(page: Page) -> list[dict[str, Any]]:
    """Run axe-core in the page and fail on any serious or critical violation; returns the milder ones."""
    page.evaluate(
        AXE.read_text(encoding="utf-8")
    )  # not a <script> tag: the Content-Security-Policy allows no inline one
    found: list[dict[str, Any]] = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                             nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    bad = [v for v in found if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe-core found serious or critical violations on {page.url}: {bad}"
    return found


def sign_in(page: Page, site: Site, role: str, next_path: str = "/") -> None:
    """Sign in through the sign-in form with the role's token."""
    page.goto(f"/signin?next={next_path}")
    page.locator("#token").fill(site.tokens[role])
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(f"**{next_path}")
