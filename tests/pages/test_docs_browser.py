"""The API documentation in a real browser under the site's Content-Security-Policy: Swagger UI renders
every operation from this site's own files, and the browser refuses nothing and fetches nothing elsewhere."""

from __future__ import annotations

from playwright.sync_api import ConsoleMessage, Page, Request

from tests.pages.conftest import Site, shot


def test_the_docs_render_from_this_site_under_the_policy(page: Page, site: Site) -> None:
    refused: list[str] = []
    fetched: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            refused.append(message.text)

    def on_request(request: Request) -> None:
        fetched.append(request.url)

    page.on("console", on_console)
    page.on("request", on_request)
    answer = page.goto("/docs")
    assert answer is not None and "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 20
    assert page.locator(".opblock-summary-path", has_text="/offering/recommend").count() >= 1
    shot(page, "docs")
    assert refused == [], refused
    elsewhere = [url for url in fetched if not url.startswith((site.url, "data:"))]
    assert elsewhere == [], f"the docs fetched from elsewhere: {elsewhere}"
