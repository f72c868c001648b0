"""The service behind an https reverse proxy that serves it under a sub-path and strips the prefix.

A real `tarjotin serve --root-path /tarjotin --proxy-headers --forwarded-allow-ips 127.0.0.1` runs over a
published scenario (`tarjotin demo --no-serve` into a temporary SQLite file). The test is the proxy: it asks
for the browser's path without /tarjotin, adds X-Forwarded-Proto: https, X-Forwarded-For and the public
Host, and keeps the browser's cookies. Anonymous and signed in as a coordinator, a counsellor and a group
leader it follows every same-site link of every page it reaches (a, link, script, img, GET forms, the
scripts' data-url): each must start with /tarjotin/, none may answer 404 or 5xx, every redirect stays under
/tarjotin, and every cookie is Secure with Path=/tarjotin.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from api.cli import app
from api.cli.proxy import Proxy, proxy_options
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import ClientRow, GroupRow
from scheduler.storage.tokens import create_token
from tests.paths import ROOT

ROOT_PATH = "/tarjotin"
HOST = "tarjotin.example"
PUBLIC_URL = f"https://{HOST}{ROOT_PATH}"
PROXY_HEADERS = {
    "Host": HOST,
    "X-Forwarded-Proto": "https",
    "X-Forwarded-For": "203.0.113.7",
    "X-Forwarded-Host": HOST,
}
SESSION = "tarjotin_session"
CLIENTS = 80
PLAN_SECONDS = 3
PER_ROUTE = 3
"""Pages crawled per route (its path with ids as *, and its query's names): enough to see each template's links."""
MOST_REQUESTS = 600
"""A crawl that reaches more than this many addresses is running away (a link that makes new links)."""


def _tarjotin(env: dict[str, str], *args: str) -> str:
    """`tarjotin ARGS` from this worktree's code; its output, or a failure saying why."""
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"tarjotin {' '.join(args)} failed: {done.stdout}\n{done.stderr}"
    return done.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _tokens(database: str) -> dict[str, str]:
    """A token per role, as `tarjotin token create` makes them (in this process: the command takes seconds to
    start on a loaded machine): the busiest counsellor's and the busiest leader's, whose pages show most."""
    engine = make_engine(database)
    try:
        with session_scope(engine) as session:
            counsellor = session.execute(
                select(ClientRow.counsellor_id)
                .where(ClientRow.counsellor_id.is_not(None), ClientRow.in_service)
                .group_by(ClientRow.counsellor_id)
                .order_by(func.count().desc(), ClientRow.counsellor_id)
                .limit(1)
            ).scalar_one()
            led: Counter[str] = Counter()
            for leaders in session.scalars(select(GroupRow.leaders).where(GroupRow.status == "running")):
                led.update(leaders)
            assert counsellor and led, "the published scenario has no counsellor with clients or no running group"
            leader = min(led, key=lambda s: (-led[s], s))
            return {
                "coordinator": create_token(session, "coordinator", "proxy test", actor="test")[1],
                "counsellor": create_token(session, "counsellor", "proxy test", actor="test", counsellor_id=counsellor)[
                    1
                ],
                "staff": create_token(session, "staff", "proxy test", leader, actor="test")[1],
            }
    finally:
        engine.dispose()


@dataclass
class Deployment:
    """The served site: where the proxy sends requests, and a token per role."""

    upstream: str
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    folder = tmp_path_factory.mktemp("subpath")
    database = f"sqlite:///{folder / 'tarjotin.db'}"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("TARJOTIN_ROOT_PATH", "TARJOTIN_PROXY_HEADERS", "TARJOTIN_FORWARDED_ALLOW_IPS")
        and key != "TARJOTIN_BROKER_URL"
    }
    env.update(TARJOTIN_DATABASE_URL=database, TARJOTIN_PUBLIC_URL=PUBLIC_URL, PYTHONPATH=str(ROOT))
    out = folder / "out"
    _tarjotin(
        env, "demo", "--no-serve", "--clients", str(CLIENTS), "--time-limit", str(PLAN_SECONDS), "--out-dir", str(out)
    )
    tokens = _tokens(database)
    port = _free_port()
    log = (folder / "serve.log").open("w")  # a file, not a pipe: an unread pipe fills with access lines and blocks
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "api.cli",
            "serve",
            "--port",
            str(port),
            "--root-path",
            ROOT_PATH,
            "--proxy-headers",
            "--forwarded-allow-ips",
            "127.0.0.1",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    upstream = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(upstream, server, folder / "serve.log")
        yield Deployment(upstream, tokens)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _wait_until_up(upstream: str, server: subprocess.Popen[str], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"tarjotin serve stopped: {log.read_text()}")
        try:
            if httpx.get(upstream + "/offering", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError("tarjotin serve did not answer within 90 s")


@dataclass
class Browser:
    """A browser at https://tarjotin.example/tarjotin/, reached through the proxy this test plays."""

    upstream: httpx.Client
    https: bool = True
    cookies: dict[str, str] = field(default_factory=dict)
    set_cookies: list[SimpleCookie] = field(default_factory=list)

    def request(self, method: str, path: str, **options: Any) -> httpx.Response:
        """Ask for the browser's `path` (under /tarjotin/), as the proxy does: the prefix stripped."""
        assert path.startswith(ROOT_PATH + "/"), f"the proxy serves only {ROOT_PATH}/, not {path!r}"
        headers = {**PROXY_HEADERS, "Accept": "text/html,*/*"}
        if not self.https:
            headers.pop("X-Forwarded-Proto")
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        answer = self.upstream.request(method, path.removeprefix(ROOT_PATH), headers=headers, **options)
        self.upstream.cookies.clear()  # the browser's cookies are these, sent for /tarjotin only
        for header in answer.headers.get_list("set-cookie"):
            self._keep(header)
        return answer

    def get(self, path: str) -> httpx.Response:
        return self.request("GET", path)

    def _keep(self, header: str) -> None:
        cookie: SimpleCookie = SimpleCookie()
        cookie.load(header)
        self.set_cookies.append(cookie)
        for name, morsel in cookie.items():
            if morsel["max-age"] == "0":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value


class _Links(HTMLParser):
    """The addresses a page makes its browser ask for (GET), and its POST forms' actions."""

    FOLLOWED = {"a": "href", "link": "href", "script": "src", "img": "src"}

    def __init__(self) -> None:
        super().__init__()
        self.follow: list[str] = []
        self.posts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if tag in self.FOLLOWED and self.FOLLOWED[tag] in values:
            self.follow.append(values[self.FOLLOWED[tag]])
        if tag == "form":
            assert "action" in values, "a form without an action posts to the page's own address"
            (self.posts if values.get("method", "get").lower() == "post" else self.follow).append(values["action"])
        if "data-url" in values:
            self.follow.append(values["data-url"])


def links_of(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def same_site(link: str, where: str) -> str | None:
    """The browser's path (and query) of a link on this site, checked to be under /tarjotin/; None for a
    link elsewhere or within the page."""
    if link.startswith("#"):
        return None
    parts = urlsplit(link)
    if parts.scheme in ("mailto", "tel"):
        return None
    if parts.scheme or parts.netloc:
        if parts.netloc != HOST:
            return None  # another site (a partner's website)
        assert parts.scheme in ("https", "webcal"), f"{where} links to {link!r}: not https"
    else:
        assert link.startswith(ROOT_PATH + "/"), f"{where} links to {link!r}, outside {ROOT_PATH}/"
    assert parts.path.startswith(ROOT_PATH + "/"), f"{where} links to {link!r}, outside {ROOT_PATH}/"
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _route(path: str) -> tuple[str, ...]:
    """A path's route: its segments with ids (any digit) as *, and its query's parameter names."""
    parts = urlsplit(path)
    segments = tuple("*" if re.search(r"\d", s) else s for s in parts.path.split("/"))
    return segments + tuple(sorted({name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}))


def crawl(browser: Browser, *starts: str) -> int:
    """Follow every same-site link from the starting pages (a few pages per route); the addresses asked for."""
    queue: deque[tuple[str, str]] = deque((start, "the start") for start in starts)
    seen: set[str] = set()
    per_route: Counter[tuple[str, ...]] = Counter()
    while queue:
        path, source = queue.popleft()
        route = _route(path)
        if path in seen or per_route[route] >= PER_ROUTE:
            continue
        seen.add(path)
        per_route[route] += 1
        assert len(seen) <= MOST_REQUESTS, f"the crawl ran away: {sorted(seen)[:50]}"
        answer = browser.get(path)
        assert answer.status_code != 404 and answer.status_code < 500, (
            f"{path} (linked from {source}) answered {answer.status_code}"
        )
        if answer.is_redirect:
            target = same_site(answer.headers["location"], f"the redirect from {path}")
            assert target is not None, f"{path} redirects off the site: {answer.headers['location']}"
            queue.append((target, f"the redirect from {path}"))
        elif answer.headers.get("content-type", "").startswith("text/html"):
            found = links_of(answer.text)
            for action in found.posts:
                same_site(action, f"a form on {path}")
            for link in found.follow:
                target = same_site(link, path)
                if target is not None:
                    queue.append((target, path))
    return len(seen)


def _form_token(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no form token"
    return found.group(1)


def sign_in(browser: Browser, token: str, next_path: str = "/") -> httpx.Response:
    """Sign in through the sign-in form, as a browser does; the answer (a redirect)."""
    form = browser.get(f"{ROOT_PATH}/signin")
    assert form.status_code == 200
    assert f"{ROOT_PATH}/signin" in links_of(form.text).posts
    answer = browser.request(
        "POST", f"{ROOT_PATH}/signin", data={"token": token, "next": next_path, "csrf": _form_token(form.text)}
    )
    assert answer.status_code == 303, answer.text
    return answer


def _session_cookie(browser: Browser) -> Any:
    made = [cookie[SESSION] for cookie in browser.set_cookies if SESSION in cookie]
    assert made, "signing in set no session cookie"
    return made[-1]


def _assert_cookies_scoped(browser: Browser) -> None:
    """Every cookie the service set (or removed) is for /tarjotin only, and sent over https only."""
    assert browser.set_cookies
    for cookie in browser.set_cookies:
        for name, morsel in cookie.items():
            assert morsel["path"] == ROOT_PATH, f"cookie {name} has path {morsel['path']!r}"
            assert morsel["secure"], f"cookie {name} is not Secure behind https"


@pytest.fixture
def browser(deployment: Deployment) -> Iterator[Browser]:
    with httpx.Client(base_url=deployment.upstream, timeout=60, follow_redirects=False) as upstream:
        yield Browser(upstream)


def test_anonymous_pages_link_under_the_root_path(browser: Browser) -> None:
    asked = crawl(browser, f"{ROOT_PATH}/", f"{ROOT_PATH}/partner-activities", f"{ROOT_PATH}/docs")
    assert asked > 20  # the offering's groups, their feeds, the static files, the API documentation
    _assert_cookies_scoped(browser)
    assert browser.cookies.get("tarjotin_csrf")


def test_a_page_asks_for_a_sign_in_and_comes_back_under_the_root_path(browser: Browser, deployment: Deployment) -> None:
    answer = browser.get(f"{ROOT_PATH}/planning")
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{ROOT_PATH}/signin?next=%2Fplanning"
    signed_in = sign_in(browser, deployment.tokens["coordinator"], "/planning")
    assert signed_in.headers["location"] == f"{ROOT_PATH}/planning"
    assert browser.get(f"{ROOT_PATH}/planning").status_code == 200


@pytest.mark.parametrize(
    ("role", "starts"),
    [
        ("coordinator", ("/", "/week", "/planning", "/whatifs", "/reports/county", "/docs")),
        ("counsellor", ("/", "/find", "/my/clients", "/my/offers", "/my/notices")),
        ("staff", ("/my/sessions", "/my/notices")),
    ],
)
def test_signed_in_pages_link_under_the_root_path(
    browser: Browser, deployment: Deployment, role: str, starts: tuple[str, ...]
) -> None:
    answer = sign_in(browser, deployment.tokens[role])
    assert answer.headers["location"] == (f"{ROOT_PATH}/my/sessions" if role == "staff" else f"{ROOT_PATH}/")
    session = _session_cookie(browser)
    assert session["secure"], "the sign-in cookie must be Secure behind an https proxy"
    assert session["httponly"]
    assert session["path"] == ROOT_PATH
    asked = crawl(browser, *(ROOT_PATH + start for start in starts))
    assert asked > 20
    _assert_cookies_scoped(browser)
    home = browser.get(f"{ROOT_PATH}/")
    assert f"{ROOT_PATH}/signout" in links_of(home.text).posts  # signed in all along: the crawl never signs out
    out = browser.request("POST", f"{ROOT_PATH}/signout", data={"csrf": _form_token(home.text)})
    assert out.status_code == 303
    assert out.headers["location"] == f"{ROOT_PATH}/"
    assert SESSION not in browser.cookies  # removed at /tarjotin, where it was set
    _assert_cookies_scoped(browser)  # the removal too


@pytest.mark.parametrize("missing", ["/no-such-page", "/group/no-such-group", "/static/no-such-file.css"])
def test_a_missing_page_links_under_the_root_path(browser: Browser, missing: str) -> None:
    """The 404 page (also one from the static files' mount, whose own root path names the mount) links home."""
    answer = browser.get(ROOT_PATH + missing)
    assert answer.status_code == 404
    found = links_of(answer.text)
    assert f"{ROOT_PATH}/static/tarjotin.css" in found.follow
    for link in found.follow + found.posts:
        same_site(link, f"the 404 page for {missing}")


def test_without_https_from_the_proxy_cookies_are_not_secure(deployment: Deployment) -> None:
    """Secure comes from the trusted proxy's X-Forwarded-Proto, not from a fixed setting."""
    with httpx.Client(base_url=deployment.upstream, timeout=60) as upstream:
        browser = Browser(upstream, https=False)
        assert browser.get(f"{ROOT_PATH}/signin").status_code == 200
    csrf = next(cookie["tarjotin_csrf"] for cookie in browser.set_cookies if "tarjotin_csrf" in cookie)
    assert not csrf["secure"]
    assert csrf["path"] == ROOT_PATH


def test_json_links_and_the_api_document_name_the_root_path(deployment: Deployment) -> None:
    bearer = {**PROXY_HEADERS, "Authorization": f"Bearer {deployment.tokens['coordinator']}"}
    runs = httpx.get(deployment.upstream + "/plans", headers=bearer, timeout=60)
    assert runs.status_code == 200, runs.text
    run_id = runs.json()["items"][0]["id"]
    run = httpx.get(f"{deployment.upstream}/plans/{run_id}", headers=bearer, timeout=60).json()
    assert run["links"]["self"] == f"{ROOT_PATH}/plans/{run_id}"
    assert run["links"]["publish"] == f"{ROOT_PATH}/plans/{run_id}/publish"
    document = httpx.get(deployment.upstream + "/openapi.json", headers=PROXY_HEADERS, timeout=60).json()
    assert {"url": ROOT_PATH} in document["servers"]
    offering = httpx.get(deployment.upstream + "/offering", headers=PROXY_HEADERS, timeout=60).json()
    assert offering["items"][0]["feeds"]["ics"].startswith(f"{PUBLIC_URL}/calendars/")


runner = CliRunner()


def _said(result: Result) -> str:
    """What the command printed, on stdout and stderr."""
    return result.output + (result.stderr if result.stderr_bytes else "")


@pytest.mark.parametrize("wrong", ["tarjotin/", "tarjotin", "/tarjotin/", "/"])
def test_serve_refuses_a_root_path_that_is_not_a_prefix(wrong: str) -> None:
    result = runner.invoke(app, ["serve", "--root-path", wrong])
    assert result.exit_code == 2
    said = _said(result)
    assert "--root-path must be empty or a path that starts with '/' and does not end with '/'" in said
    assert repr(wrong) in said


def test_the_root_path_setting_is_checked_naming_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TARJOTIN_ROOT_PATH", "tarjotin/")
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 2
    assert "TARJOTIN_ROOT_PATH must be empty" in _said(result)


def test_the_options_override_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TARJOTIN_ROOT_PATH", "TARJOTIN_PROXY_HEADERS", "TARJOTIN_FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    assert proxy_options() == Proxy(proxy_headers=True, forwarded_allow_ips=None, root_path="")
    monkeypatch.setenv("TARJOTIN_ROOT_PATH", "/tarjotin")
    monkeypatch.setenv("TARJOTIN_PROXY_HEADERS", "false")
    monkeypatch.setenv("TARJOTIN_FORWARDED_ALLOW_IPS", "10.0.0.5")
    assert proxy_options() == Proxy(proxy_headers=False, forwarded_allow_ips="10.0.0.5", root_path="/tarjotin")
    assert proxy_options(True, "*", "") == Proxy(proxy_headers=True, forwarded_allow_ips="*", root_path="")
    assert proxy_options(root_path="/x").uvicorn_options() == {
        "proxy_headers": False,
        "forwarded_allow_ips": "10.0.0.5",
        "root_path": "/x",
    }
