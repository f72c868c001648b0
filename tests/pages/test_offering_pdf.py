"""The offering as a PDF to hand to a client (`GET /offering.pdf`), and the counsellor's links to it, over httpx.

The PDF is read back by `tests.pages.pdf_text` (zlib on its content streams: the project has no PDF
reader): its groups and free seats must be the offering JSON's (`GET /offering`) in the PDF's language,
its labels in that language, and no client's id anywhere in it. Over SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from api.pages.i18n import Lang
from api.pages.offering_pdf import paper_text, seats_text
from scheduler.services.offering import OfferedGroup
from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.tokens import create_token
from tests.api.conftest import Service, pg_service  # noqa: F401 - the PostgreSQL application
from tests.pages.conftest import ARTIFACTS
from tests.pages.pdf_text import is_a4, media_boxes, page_count, text_lines
from tests.pages.test_pages_http import csrf_of

LABELS = {
    "fi": {"title": "Sosiaalisen kuntoutuksen ryhmätarjonta", "free": "Vapaat paikat", "language": "Kieli"},
    "sv": {"title": "Gruppubudet inom social rehabilitering", "free": "Lediga platser", "language": "Språk"},
    "en": {"title": "Group offering of social rehabilitation", "free": "Free seats", "language": "Language"},
}
"""The PDF's title and two of its labels in each language, as a reader expects them."""


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request: pytest.FixtureRequest) -> Iterator[Service]:
    """The application over the published scenario, over SQLite and over PostgreSQL."""
    yield request.getfixturevalue("service" if request.param == "sqlite" else "pg_service")


def _pdf(client: httpx.Client, **params: str) -> list[str]:
    answer = client.get("/offering.pdf", params=params)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF-") and answer.content.rstrip().endswith(b"%%EOF")
    boxes = media_boxes(answer.content)
    assert boxes and all(is_a4(box) for box in boxes), boxes
    assert page_count(answer.content) >= 1
    return text_lines(answer.content)


def _shown(lines: list[str], free_label: str) -> Counter[tuple[str, str]]:
    """Each group the PDF lists as (its name, its seats in words): the lines around each free seats label."""
    return Counter((lines[i - 1], lines[i + 1]) for i, line in enumerate(lines) if line == free_label)


def _expected(items: list[dict[str, Any]], code: str) -> Counter[tuple[str, str]]:
    lang = Lang(code)
    groups = [OfferedGroup.model_validate(item) for item in items]
    return Counter(
        (paper_text(item["name"][code] or item["name"]["fi"]), paper_text(seats_text(g, lang)))
        for item, g in zip(items, groups, strict=True)
    )


@pytest.mark.parametrize("code", ["sv", "fi", "en"])
def test_pdf_lists_the_offerings_groups_and_free_seats_in_the_language(app: Service, code: str) -> None:
    items = app.client.get("/offering", params={"limit": 500}).json()["items"]
    assert len(items) > 5, "the scenario publishes groups"
    lines = _pdf(app.client, lang=code)
    shown = _shown(lines, LABELS[code]["free"])
    assert shown == _expected(items, code)
    for item in items:  # the figure itself, as the JSON has it, opens the seats of a group taking joiners
        if item["admission_open"] and not item["just_come"]:
            name = paper_text(item["name"][code] or item["name"]["fi"])
            assert any(n == name and s.startswith(f"{item['free_seats']} ") for n, s in shown), item["id"]
    text = "\n".join(lines)
    assert lines[0] == LABELS[code]["title"]
    assert LABELS[code]["language"] in lines
    others = [LABELS[other]["free"] for other in LABELS if other != code]
    assert not any(label in lines for label in others), f"a label of another language in the {code} PDF"
    hubs = {item["place"]["hub"] for item in items if item["place"]}
    assert all(paper_text(hub) in text for hub in hubs)


def test_swedish_and_finnish_pdfs_name_the_seats_in_their_own_words(service: Service) -> None:
    free = next(
        g for g in service.client.get("/offering", params={"limit": 500}).json()["items"] if g["free_seats"] > 1
    )
    ARTIFACTS.mkdir(exist_ok=True)
    for code in ("sv", "fi"):  # to look at
        (ARTIFACTS / f"offering-{code}.pdf").write_bytes(service.client.get(f"/offering.pdf?lang={code}").content)
    sv = "\n".join(_pdf(service.client, lang="sv"))
    fi = "\n".join(_pdf(service.client, lang="fi"))
    assert f"{free['free_seats']} lediga platser / {free['capacity']}" in sv
    assert f"{free['free_seats']} vapaata paikkaa / {free['capacity']}" in fi
    assert "Varje vecka" in sv and "Joka viikko" not in sv
    assert "Joka viikko" in fi and "Varje vecka" not in fi


def test_pdf_takes_the_offering_pages_filters(service: Service) -> None:
    every = service.client.get("/offering", params={"limit": 500}).json()["items"]
    first = next(g for g in every if g["place"])
    wanted = {"municipality": first["place"]["municipality"], "language": first["language"]}
    items = service.client.get("/offering", params={"limit": 500, **wanted}).json()["items"]
    assert items and len(items) < len(every)
    assert _shown(_pdf(service.client, lang="sv", **wanted), "Lediga platser") == _expected(items, "sv")
    nothing = _pdf(service.client, lang="en", day="sun", municipality="Nowhere")
    assert "No group matches these filters." in nothing and "Free seats" not in nothing


def test_pdf_names_no_client(app: Service) -> None:
    answer = app.client.get("/offering.pdf", params={"lang": "fi"})
    text = "\n".join(text_lines(answer.content))
    ids = [client.id for client in app.problem.clients]
    assert ids
    outside = re.sub(rb"stream\r?\n.*?endstream", b"", answer.content, flags=re.S).decode("latin-1")  # metadata
    found = [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", f"{text}\n{outside}")]
    assert not found, f"client ids in the PDF: {found[:5]}"


def test_pdf_language_from_accept_language_when_not_asked(service: Service) -> None:
    answer = service.client.get("/offering.pdf", headers={"Accept-Language": "sv-FI,sv;q=0.9"})
    assert answer.status_code == 200 and answer.headers["vary"] == "Accept-Language"
    assert text_lines(answer.content)[0] == LABELS["sv"]["title"]
    assert 'filename="tarjotin-sv-' in answer.headers["content-disposition"]


@pytest.mark.parametrize("lang", ["de", "", "SV-fi", "x" * 300])
def test_a_bad_language_is_a_clear_422_problem(service: Service, lang: str) -> None:
    answer = service.client.get("/offering.pdf", params={"lang": lang})
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == 422 and [e["field"] for e in problem["errors"]] == ["lang"]
    assert "'fi', 'sv' or 'en'" in problem["errors"][0]["message"]


def test_a_too_long_filter_is_a_422_not_a_500(service: Service) -> None:
    answer = service.client.get("/offering.pdf", params={"lang": "fi", "theme": "x" * 101})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "theme"


@pytest.fixture
def counsellor(app: Service) -> str:
    """A counsellor with three clients: Swedish the first language the product speaks, English only, and one
    speaking none of fi, sv and en (Finnish paper)."""
    coordinator = app.as_("coordinator")
    answer = app.client.post("/counsellors", json={"id": "pdf-anna", "name": "Anna"}, headers=coordinator)
    assert answer.status_code == 201, answer.text
    base = {"home_lat": 60.25, "home_lon": 24.06, "travel_mode": "car", "max_travel_minutes": 60}
    for ident, languages in (("pdf-sv", ["ar", "sv", "fi"]), ("pdf-en", ["en"]), ("pdf-ar", ["ar"])):
        body = {"id": ident, "languages": languages, **base, "waiting_since": "2026-09-01", "counsellor_id": "pdf-anna"}
        answer = app.client.post("/clients", json=body, headers=coordinator)
        assert answer.status_code == 201, answer.text
    engine = make_engine(app.url)
    with session_scope(engine) as session:
        token = create_token(session, "counsellor", "Anna", counsellor_id="pdf-anna", actor="test")[1]
    engine.dispose()
    return token


def test_my_clients_links_each_client_to_the_pdf_in_their_language(app: Service, counsellor: str) -> None:
    app.client.follow_redirects = False
    app.client.headers["Accept"] = "text/html"
    form = app.client.get("/signin")
    signed = app.client.post("/signin", data={"token": counsellor, "next": "/my/clients", "csrf": csrf_of(form.text)})
    assert signed.status_code == 303
    page = app.client.get("/my/clients?lang=fi")
    assert page.status_code == 200
    links = {
        ident: re.search(rf'id="client-{ident}".*?<a href="(/offering\.pdf[^"]*)"', page.text, re.S)
        for ident in ("pdf-sv", "pdf-en", "pdf-ar")
    }
    assert {ident: found.group(1) if found else None for ident, found in links.items()} == {
        "pdf-sv": "/offering.pdf?lang=sv",
        "pdf-en": "/offering.pdf?lang=en",
        "pdf-ar": "/offering.pdf?lang=fi",
    }
    assert "PDF-tiedostona (ruotsi)" in page.text and "PDF-tiedostona (englanti)" in page.text
    pdf = app.client.get("/offering.pdf?lang=en")
    assert pdf.status_code == 200 and b"pdf-" not in pdf.content


def test_paper_text_keeps_what_the_core_font_has_and_spells_out_the_rest() -> None:
    kept = "Åbo – ”Kom” ‘in’ … ä ö å é €"
    assert paper_text(kept) == kept  # all in WinAnsi (cp1252)
    assert paper_text("Ajo → Lohja ≥ 5 min") == "Ajo -> Lohja >= 5 min"
    assert paper_text("Łódź 😀") == "Lódz ?"
    assert paper_text("Łódź 😀").encode("cp1252")
