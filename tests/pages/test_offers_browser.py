"""A counsellor answers offers in a real browser: accept one, decline one with a reason, without JavaScript too.

The site's `tarjotin demo` published its plan as offers. Each test gives a counsellor of its
own the clients of two pending offers (the counsellor sees the shared queue too).
"""

from __future__ import annotations

import re
from itertools import count

from playwright.sync_api import Page, expect
from sqlalchemy import select

from scheduler.storage.database import make_engine, session_scope
from scheduler.storage.models import ClientRow, CounsellorRow, EnrollmentRow, OfferRow
from scheduler.storage.tokens import create_token
from tests.pages.conftest import Site, axe_check, sign_in

NUMBERS = count(1)


def counsellor_with_offers(site: Site) -> tuple[str, list[OfferRow]]:
    """A new counsellor taking over the clients of two pending offers (not another test's); the role name to sign
    in as, and the offers."""
    number = next(NUMBERS)
    engine = make_engine(site.database_url)
    with session_scope(engine) as session:
        mine = f"browser-{number}"
        session.add(CounsellorRow(id=mine, name=f"Browser {number}"))
        session.flush()
        taken = {c for c in session.scalars(select(ClientRow.id).where(ClientRow.counsellor_id.like("browser-%")))}
        pending = [
            o
            for o in session.scalars(select(OfferRow).where(OfferRow.status == "pending").order_by(OfferRow.id))
            if o.client_id not in taken
        ]
        clients = list(dict.fromkeys(o.client_id for o in pending))[:2]
        assert len(clients) == 2, "the demo's plan made offers"
        for client in session.scalars(select(ClientRow).where(ClientRow.id.in_(clients))):
            client.counsellor_id = mine
        _, token = create_token(session, "counsellor", f"Browser counsellor {number}", counsellor_id=mine)
        offers = [o for o in pending if o.client_id in clients]
        session.expunge_all()
    engine.dispose()
    site.tokens[mine] = token
    return mine, offers


def test_a_counsellor_accepts_and_declines_offers(page: Page, site: Site) -> None:
    role, offers = counsellor_with_offers(site)
    accept, decline = offers[0], next(o for o in offers if o.client_id != offers[0].client_id)
    sign_in(page, site, role, "/my/offers")
    expect(page.get_by_role("link", name="Tarjoukset")).to_have_attribute("aria-current", "page")
    for offer in offers:
        expect(page.locator(f"#offer-{offer.id}")).to_be_visible()
    axe_check(page)
    card = page.locator(f"#offer-{accept.id}")
    expect(card).to_contain_text("Vastattava viimeistään")
    card.get_by_role("button", name=re.compile("Hyväksy paikka")).dblclick()  # a double click seats once
    expect(page.locator("#done")).to_contain_text(f"Tarjous hyväksytty: asiakkaalla {accept.client_id}")
    expect(page.locator(f"#answered-{accept.id}")).to_contain_text("hyväksytty")
    refused = page.locator(f"#offer-{decline.id}")
    refused.get_by_label("Miksi asiakas kieltäytyy?").select_option("place")
    refused.get_by_label("Huomautus (vapaaehtoinen)").fill("kaksi bussia")
    refused.get_by_role("button", name="Hylkää tarjous").click()
    expect(page.locator("#done")).to_contain_text(f"Tarjous hylätty: {decline.client_id} jatkaa jonossa")
    expect(page.locator(f"#answered-{decline.id}")).to_contain_text("Paikka on liian kaukana")
    axe_check(page)
    engine = make_engine(site.database_url)
    with session_scope(engine) as session:
        seats = session.scalars(
            select(EnrollmentRow).where(
                EnrollmentRow.client_id == accept.client_id, EnrollmentRow.group_id == accept.group_id
            )
        ).all()
        assert len(seats) == 1 and seats[0].status == "active"
        declined = session.get(OfferRow, decline.id)
        client = session.get(ClientRow, decline.client_id)
        assert declined is not None and declined.status == "declined" and declined.decline_reason == "place"
        assert client is not None and [d["reason"] for d in client.declined] == ["place"]
    engine.dispose()


def test_offers_work_without_javascript_and_a_decline_needs_a_reason(no_js_page: Page, site: Site) -> None:
    page = no_js_page
    role, offers = counsellor_with_offers(site)
    sign_in(page, site, role, "/my/offers?lang=en")
    card = page.locator(f"#offer-{offers[0].id}")
    card.locator("select").evaluate("s => s.removeAttribute('required')")  # as an old browser would send it
    card.get_by_role("button", name="Decline the offer").click()
    expect(page.locator("#refused")).to_contain_text("Choose why the client declines.")
    card = page.locator(f"#offer-{offers[0].id}")
    card.get_by_role("button", name=re.compile("Accept the seat")).click()
    expect(page.locator("#done")).to_contain_text("Offer accepted")
    expect(page.locator(f"#answered-{offers[0].id}")).to_contain_text("accepted")
