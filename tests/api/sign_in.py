"""Signing a test client in to the pages the way a browser does: the sign-in form, then its cookie."""

from __future__ import annotations

import re

import httpx
from fastapi.testclient import TestClient

__all__ = ["SESSION", "sign_in"]

SESSION = "tarjotin_session"


def sign_in(client: httpx.Client | TestClient, token: str) -> str:
    """Sign the client in with the token through `/signin`; returns the sign-in cookie's value."""
    form = client.get("/signin")
    found = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert found, "the sign-in page has no form token"
    answer = client.post("/signin", data={"token": token, "next": "/", "csrf": found.group(1)}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    cookie = answer.cookies.get(SESSION)
    assert cookie, "signing in set no session cookie"
    return cookie
