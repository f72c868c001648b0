# ruff: noqa: F811 - the `county` fixture is imported and then taken as a parameter
"""`GET /reports/county`: the known county's figures as JSON and as CSV, role rules and bad dates."""

from __future__ import annotations

import csv
import io

import pytest

from tests.figures_app import TODAY, County, county  # noqa: F401 - the fixture
from tests.figures_data import FEBRUARY

FEB = {"from": "2027-02-01", "to": "2027-02-28"}


def test_the_json_answers_every_known_figure(county: County) -> None:
    answer = county.client.get("/reports/county", params=FEB, headers=county.as_("coordinator"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["from"], body["to"]) == (FEB["from"], FEB["to"])
    # the period ends after the app's today (17 February): the still-waiting count is taken today
    assert body["waiting"].pop("still_waiting_on") == TODAY.isoformat()
    for section in ("clients", "waiting", "offers", "attendance", "seats", "endings"):
        assert body[section] == FEBRUARY[section], section
    feedback = body["feedback"]
    assert feedback["forms"] == FEBRUARY["feedback"]["forms"]
    assert {q["id"]: (q["answers"], q["mean"]) for q in feedback["questions"]} == FEBRUARY["feedback"]["answers"]
    assert [c["comment"] for c in feedback["comments"]] == FEBRUARY["feedback"]["comments"]


def test_the_csv_parses_back_to_the_same_figures(county: County) -> None:
    answer = county.client.get("/reports/county", params={**FEB, "format": "csv"}, headers=county.as_("coordinator"))
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"] == 'attachment; filename="county-figures-2027-02-01-2027-02-28.csv"'
    assert answer.content.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert list(rows[0]) == ["section", "figure", "key", "municipality", "language", "kind", "value"]

    def value(section: str, figure: str, key: str = "", **cell: str) -> str:
        found = [
            r["value"]
            for r in rows
            if (r["section"], r["figure"], r["key"]) == (section, figure, key)
            and all(r[k] == v for k, v in cell.items())
        ]
        assert len(found) == 1, (section, figure, key, cell)
        return found[0]

    assert value("period", "from") == "2027-02-01"
    assert value("clients", "in_group_work") == "7"
    assert value("waiting", "median_days") == "56.5"
    assert value("waiting", "bins", "2_to_3") == "1"
    assert value("waiting", "still_waiting_past_three_months") == "2"
    assert value("offers", "declined_by_reason", "place") == "1"
    assert value("attendance", "rate") == "0.75"
    assert value("seats", "seats", municipality="remote", language="fi", kind="theme") == "2"
    assert value("endings", "reasons", "unrecorded") == "1"
    assert value("endings", "next_steps", "health_services") == "1"
    assert value("feedback", "forms", "client") == "1"
    assert value("feedback", "nps", "recommend") == "33.3"
    assert value("feedback", "mean", "old_q") == "4.0"
    assert value("feedback", "comments") == "2"
    assert "Hyvä ryhmä" not in answer.content.decode("utf-8-sig")  # free text stays on the coordinators' page


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("counsellor", 403), ("leader", 403)])
def test_only_coordinators_read_the_figures(county: County, who: str, status: int) -> None:
    for fmt in ("json", "csv"):
        answer = county.client.get("/reports/county", params={**FEB, "format": fmt}, headers=county.as_(who))
        assert answer.status_code == status
        assert "Hyvä ryhmä" not in answer.text


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2027-03-01", "to": "2027-02-01"}, "from"),
        ({"from": "2027-02-30"}, "from"),
        ({"from": "0"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"format": "xlsx"}, "format"),
        ({"form": "2027-02-01"}, "form"),
    ],
)
def test_a_bad_period_is_a_422_naming_the_field(county: County, params: dict[str, str], field: str) -> None:
    answer = county.client.get("/reports/county", params=params, headers=county.as_("coordinator"))
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == [field]


def test_the_default_period_is_this_month_so_far(county: County) -> None:
    body = county.client.get("/reports/county", headers=county.as_("coordinator")).json()
    assert (body["from"], body["to"]) == ("2027-02-01", "2027-02-17")
    assert body["attendance"]["marked"] == 8  # every February mark is on or before the 17th
