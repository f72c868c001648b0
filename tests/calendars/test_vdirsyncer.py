"""A real subscriber: vdirsyncer's http storage syncs a feed served by a live `tarjotin serve` into a
local folder; a republish that moves the group reaches that folder with a higher SEQUENCE."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from icalendar import Calendar
from sqlalchemy import Engine

from scheduler.storage.database import make_engine
from tests.conftest import migrated
from tests.feeds_data import load_feed_data, republish

VDIRSYNCER = Path(sys.executable).with_name("vdirsyncer")
CONFIG = """[general]
status_path = "{root}/status/"

[pair feed]
a = "feed_remote"
b = "feed_local"
collections = null
conflict_resolution = "a wins"

[storage feed_remote]
type = "http"
url = "{url}"

[storage feed_local]
type = "filesystem"
path = "{root}/calendar/"
fileext = ".ics"
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    """`tarjotin serve` in its own process over a database holding the feed offering."""
    url = migrated("sqlite", tmp_path)
    engine = make_engine(url)
    load_feed_data(engine)
    port = _free_port()
    env = {**os.environ, "TARJOTIN_DATABASE_URL": url, "TARJOTIN_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    env["TARJOTIN_LOG_LEVEL"] = "WARNING"  # stderr is piped and read only at the end: no access lines to fill it
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60  # a loaded CI machine takes seconds to import and migrate
        while server.poll() is None and time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/calendars/offering.ics", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:  # stopped or silent: stop it first, so that reading its stderr cannot wait for ever
            server.kill()
            _, stderr = server.communicate(timeout=10)
            pytest.fail(f"tarjotin serve did not answer within 60 s: {stderr.decode(errors='replace')}")
        yield base, engine
    finally:
        server.terminate()
        server.wait(timeout=10)
        engine.dispose()


def _sync(config: Path) -> None:
    for command in (["discover"], ["sync"]):
        done = subprocess.run(
            [str(VDIRSYNCER), "-c", str(config), *command], input=b"y\n", capture_output=True, timeout=120, check=False
        )
        assert done.returncode == 0, done.stderr.decode() + done.stdout.decode()


def _synced_master(folder: Path, group_id: str) -> Calendar:
    """The group's series in the synced folder, found by its page (vdirsyncer's http storage replaces
    every UID with a hash of the item, by design, so the UID cannot find it)."""
    found = []
    for item in folder.glob("*.ics"):
        calendar = Calendar.from_ical(item.read_bytes())
        found += [
            e
            for e in calendar.walk("VEVENT")
            if str(e["URL"]).split("?")[0].endswith(f"/group/{group_id}") and "RECURRENCE-ID" not in e
        ]
    assert len(found) == 1, f"{group_id}: {len(found)} series in {sorted(p.name for p in folder.iterdir())}"
    return found[0]


def test_vdirsyncer_subscribes_and_sees_a_moved_group_with_a_higher_sequence(
    served: tuple[str, Engine], tmp_path: Path
) -> None:
    base, engine = served
    root = tmp_path / "vdirsyncer"
    (root / "calendar").mkdir(parents=True)
    config = root / "config"
    config.write_text(CONFIG.format(root=root, url=f"{base}/calendars/hubs/lohja.ics"), encoding="utf-8")
    _sync(config)
    folder = root / "calendar"
    before = _synced_master(folder, "g-mon")
    assert len(list(folder.glob("*.ics"))) == 3
    assert before.decoded("dtstart").hour == 9
    republish(engine, {"g-mon": {"start": "13:00", "end": "16:00"}})
    _sync(config)
    assert len(list(folder.glob("*.ics"))) == 3
    after = _synced_master(folder, "g-mon")
    assert after.decoded("dtstart").hour == 13 and after.decoded("dtend").hour == 16
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("last-modified") > before.decoded("last-modified")
