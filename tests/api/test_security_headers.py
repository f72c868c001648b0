"""Every answer carries the security headers: pages, JSON, feeds, static files, the API docs and errors.

The Content-Security-Policy allows only this site's own scripts and styles, none inline, and no
framing; /docs serves Swagger UI from this site (no CDN), started by a file, not an inline script.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.security_headers import SECURITY_HEADERS
from tests.api.conftest import Service

TEMPLATES = Path(__file__).resolve().parents[2] / "api" / "templates"
HTML = {"Accept": "text/html"}


def _has_security_headers(answer: httpx.Response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert answer.headers.get(name) == value, f"{answer.request.url.path} ({answer.status_code}) lacks {name}"
    policy = dict(part.strip().split(" ", 1) for part in answer.headers["content-security-policy"].split(";"))
    assert policy["default-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in answer.headers["content-security-policy"]
    assert "unsafe-eval" not in answer.headers["content-security-policy"]
    assert answer.headers["x-frame-options"] == "DENY" and answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] in ("strict-origin-when-cross-origin", "no-referrer")


def test_a_page_has_the_security_headers(service: Service) -> None:
    answer = service.client.get("/", headers=HTML)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    _has_security_headers(answer)


def test_json_answers_have_the_security_headers(service: Service) -> None:
    for path in ("/offering", "/openapi.json"):
        answer = service.client.get(path)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/json")
        _has_security_headers(answer)


def test_a_feed_and_its_304_have_the_security_headers(service: Service) -> None:
    answer = service.client.get("/calendars/offering.ics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    _has_security_headers(answer)
    again = service.client.get("/calendars/offering.ics", headers={"If-None-Match": answer.headers["etag"]})
    assert again.status_code == 304
    _has_security_headers(again)


def test_static_files_have_the_security_headers(service: Service) -> None:
    for path in ("/static/tarjotin.css", "/static/docs/swagger-ui-bundle.js"):
        answer = service.client.get(path)
        assert answer.status_code == 200, path
        _has_security_headers(answer)


@pytest.mark.parametrize(
    ("method", "path", "headers", "status"),
    [
        ("GET", "/offering/no-such-group", {}, 404),
        ("GET", "/no-such-page", HTML, 404),
        ("GET", "/offering?limit=oops", {}, 422),
        ("POST", "/clients", {"Content-Type": "application/json"}, 401),
        ("DELETE", "/offering", {}, 405),
    ],
)
def test_errors_have_the_security_headers(
    service: Service, method: str, path: str, headers: dict[str, str], status: int
) -> None:
    answer = service.client.request(method, path, headers=headers, content=b"{}" if method == "POST" else None)
    assert answer.status_code == status, answer.text[:200]
    _has_security_headers(answer)


def test_a_refused_oversized_body_has_the_security_headers(service: Service) -> None:
    answer = service.client.post("/offering/recommend", content=b" " * (2 * 1024 * 1024))
    assert answer.status_code == 413
    _has_security_headers(answer)


def test_the_docs_load_only_this_sites_files(service: Service) -> None:
    answer = service.client.get("/docs")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    _has_security_headers(answer)
    html = answer.text
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [], "an inline script"
    assert "style=" not in html and "<style" not in html
    assets = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert len(assets) >= 3 and "/static/docs/swagger-ui-bundle.js" in assets
    for asset in assets:
        assert asset.startswith("/") and not asset.startswith("//"), f"{asset} is not on this site"
        assert service.client.get(asset).status_code == 200, asset
    assert service.client.get("/redoc").status_code == 404


STANDALONE = {"simulation_report.html"}
"""Documents written to a file, not pages the service serves under its policy: a file opened from disk has no
stylesheet to link to, so its style is inline (and it has no script at all: tests/api/test_simulation_report.py)."""


def test_the_templates_have_no_inline_script_or_style() -> None:
    """The policy allows no inline script or style: the pages must need none."""
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", text) == [], f"{template.name} has an inline script"
        if template.name in STANDALONE:
            assert "<script" not in text and not re.search(r"\son[a-z]+=", text), f"{template.name} has a script"
            continue
        assert not re.search(r"\sstyle=|<style|\son[a-z]+=", text), f"{template.name} has an inline style or handler"


def test_a_500_has_the_security_headers(service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("scheduler.services.kept_offering.load_offering", broken)  # what the offering is built from
    client = TestClient(service.client.app, raise_server_exceptions=False)
    for path, headers in (("/offering", {}), ("/", HTML)):
        answer = client.get(path, headers=headers)
        assert answer.status_code == 500, path
        _has_security_headers(answer)
