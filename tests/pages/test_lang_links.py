"""The language links stay on the site, whatever path was asked for (no `//host` or `\\host` in them)."""

from __future__ import annotations

import re

import httpx
import pytest

from api.pages.context import local_path
from tests.api.conftest import Service


def _get_raw(service: Service, raw_path: bytes) -> httpx.Response:
    """A page asked for by a path exactly as given (httpx would read `//evil.example/` as a host)."""
    url = httpx.URL("http://tarjotin.test").copy_with(raw_path=raw_path)
    return service.client.send(service.client.build_request("GET", url, headers={"Accept": "text/html"}))


@pytest.mark.parametrize("raw_path", [b"//evil.example/", b"/\\evil.example", b"/%5Cevil.example", b"///evil.example"])
def test_language_links_of_an_odd_path_stay_on_the_site(service: Service, raw_path: bytes) -> None:
    answer = _get_raw(service, raw_path)
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")
    links = re.findall(r'<a href="([^"]*)" lang="(fi|sv|en)"', answer.text)
    assert [code for _, code in links] == ["fi", "sv", "en"]
    for href, code in links:
        assert href.startswith("/") and not href.startswith("//"), href
        assert "\\" not in href and ":" not in href.split("?")[0], href
        assert href.endswith(f"?lang={code}"), href
        assert httpx.URL("http://tarjotin.test/here").join(href).host == "tarjotin.test", href
    sign_in = re.search(r'href="/signin\?next=([^"]*)"', answer.text)
    assert sign_in and not sign_in.group(1).startswith(("//", "%2F%2F")), sign_in


def test_language_links_keep_the_path_and_the_other_parameters(service: Service) -> None:
    answer = service.client.get("/", params={"municipality": "Lohja"}, headers={"Accept": "text/html"})
    assert 'href="/?municipality=Lohja&amp;lang=sv"' in answer.text


@pytest.mark.parametrize(
    ("path", "link"),
    [
        ("//evil.example/", "/evil.example/"),
        ("/\\evil.example", "/%5Cevil.example"),
        ("/\t/evil.example", "/%09/evil.example"),
        ("/find", "/find"),
        ("/group/a%20b", "/group/a%20b"),
    ],
)
def test_a_local_path_has_one_leading_slash_and_no_backslash(path: str, link: str) -> None:
    assert local_path(path) == link
