"""`tarjotin feeds --out DIR`, `feed-token` and `session`: static feeds, staff feed addresses, session changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from api.cli import app
from tests.conftest import cli_database
from tests.feeds_data import load_feed_data

runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    return cli_database(tmp_path, monkeypatch, load_feed_data)


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def test_feeds_writes_the_offering_each_hub_and_each_group(database: str, tmp_path: Path) -> None:
    code, said = run("feeds", "--out", str(tmp_path / "out"))
    assert code == 0 and "secret" in said
    written = sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*.ics"))
    assert written == [
        "groups/g-fri.ics",
        "groups/g-mon.ics",
        "groups/g-remote.ics",
        "groups/g-wed.ics",
        "hubs/lohja.ics",
        "hubs/nummela.ics",
        "offering.ics",
    ]
    offering = Calendar.from_ical((tmp_path / "out" / "offering.ics").read_bytes())
    assert len(offering.walk("VEVENT")) == 4
    code, _ = run("feeds", "--out", str(tmp_path / "all"), "--staff", "--lang", "sv")
    assert code == 0 and (tmp_path / "all" / "staff" / "aino.ics").exists()
    assert b"Naturgrupp" in (tmp_path / "all" / "groups" / "g-mon.ics").read_bytes()


def test_session_commands_change_what_the_feed_shows(database: str, tmp_path: Path) -> None:
    assert run("session", "change", "g-mon", "2027-01-11", "--start", "10:00", "--end", "13:00")[0] == 0
    assert run("session", "cancel", "g-mon", "2027-01-18", "--reason", "sairas")[0] == 0
    code, listed = run("session", "list", "g-mon")
    assert code == 0 and "moved" in listed and "sairas" in listed
    run("feeds", "--out", str(tmp_path / "out"))
    events = Calendar.from_ical((tmp_path / "out" / "groups" / "g-mon.ics").read_bytes()).walk("VEVENT")
    assert len(events) == 2 and events[0]["SEQUENCE"] == 2
    assert any(d.dt.day == 18 for d in events[0]["EXDATE"].dts)
    code, said = run("session", "cancel", "g-mon", "2027-01-12")
    assert code == 2 and "every Monday" in said
    assert run("session", "cancel-group", "g-fri", "--on", "2027-02-01")[0] == 0


def test_feed_token_renew_prints_the_address_and_revoke_ends_it(database: str) -> None:
    code, said = run("feed-token", "renew", "aino")
    assert code == 0 and "/calendars/staff/tjf_" in said and "webcal://" in said
    assert run("feed-token", "revoke", "aino")[0] == 0
    code, said = run("feed-token", "revoke", "aino")
    assert code == 2 and "no live feed token" in said
    assert run("feed-token", "renew", "nobody")[0] == 2
