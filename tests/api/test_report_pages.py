# ruff: noqa: F811 - the `county` fixture is imported and then taken as a parameter
"""The county figures page, `/reports/county`: coordinators only, the period form, the figures, charts and tables."""

from __future__ import annotations

import re

import pytest

from tests.api.sign_in import sign_in
from tests.figures_app import County, county  # noqa: F401 - the fixture

HTML = {"Accept": "text/html,application/xhtml+xml"}
FEB = {"from": "2027-02-01", "to": "2027-02-28"}


def _cell(html: str, table: str, row: str) -> str:
    """The figure in the row of a table whose row header starts with `row`."""
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    found = re.search(
        rf"<th scope=\"row\">{re.escape(row)}[^<]*</th>\s*(?:<td[^>]*>[^<]*</td>\s*)*?<td class=\"num\">([^<]+)</td>",
        body,
    )
    assert found, (table, row)
    return found.group(1).strip()


def test_a_coordinator_sees_the_figures_with_charts_and_tables(county: County) -> None:
    sign_in(county.client, county.tokens["coordinator"])
    page = county.client.get("/reports/county", params={**FEB, "lang": "en"}, headers=HTML)
    assert page.status_code == 200, page.text
    html = page.text
    assert page.headers["content-type"].startswith("text/html")
    assert _cell(html, "clients", "Clients in group work") == "7"
    assert _cell(html, "waiting", "Median wait") == "56.5"
    assert _cell(html, "attendance", "Attendance rate") == "75%"
    assert _cell(html, "table-offers", "declined") == "2"
    assert _cell(html, "table-reasons", "Not recorded") == "1"
    assert _cell(html, "table-steps", "Health services") == "1"
    assert html.count("<svg") == 5 and 'aria-describedby="table-waiting"' in html
    assert " style=" not in html
    assert "Liian pitkä matka" in html  # comments: coordinators only, and this is a coordinator
    assert 'href="/reports/county" aria-current="page"' in html  # the coordinator's nav


def test_the_page_speaks_finnish_and_swedish(county: County) -> None:
    sign_in(county.client, county.tokens["coordinator"])
    fi = county.client.get("/reports/county", params={**FEB, "lang": "fi"}, headers=HTML).text
    sv = county.client.get("/reports/county", params={**FEB, "lang": "sv"}, headers=HTML).text
    assert "Asiakkaat ryhmätoiminnassa" in fi and "56,5" in fi
    assert "Klienter i gruppverksamhet" in sv


def test_the_page_downloads_csv_for_a_signed_in_coordinator(county: County) -> None:
    sign_in(county.client, county.tokens["coordinator"])
    answer = county.client.get("/reports/county", params={**FEB, "format": "csv"}, headers=HTML)
    assert answer.status_code == 200 and answer.headers["content-disposition"].startswith("attachment")
    assert answer.content.startswith(b"\xef\xbb\xbf")


def test_an_anonymous_browser_is_sent_to_sign_in(county: County) -> None:
    answer = county.client.get("/reports/county", params=FEB, headers=HTML, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/signin?next=")


def test_a_counsellor_gets_a_403_page(county: County) -> None:
    sign_in(county.client, county.tokens["counsellor"])
    answer = county.client.get("/reports/county", params=FEB, headers=HTML)
    assert answer.status_code == 403 and "Liian pitkä matka" not in answer.text
    assert 'href="/reports/county"' not in answer.text  # not in a counsellor's nav


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"from": "2027-03-01", "to": "2027-02-01"}, "The period starts after it ends."),
        ({"from": "1.2.2027", "to": "2027-02-01"}, "The first day is not a date"),
        ({"from": "2027-02-01", "to": "2027-02-30"}, "The last day is not a date"),
    ],
)
def test_a_bad_period_is_said_on_the_page(county: County, params: dict[str, str], says: str) -> None:
    sign_in(county.client, county.tokens["coordinator"])
    answer = county.client.get("/reports/county", params={**params, "lang": "en"}, headers=HTML)
    assert answer.status_code == 422 and says in answer.text
    assert 'id="clients"' not in answer.text


def test_a_bearer_token_gets_json_at_the_same_address_even_asking_for_html(county: County) -> None:
    answer = county.client.get("/reports/county", params=FEB, headers={**HTML, **county.as_("coordinator")})
    assert answer.status_code == 200 and answer.json()["clients"]["in_group_work"] == 7
