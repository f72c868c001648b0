"""Schema upgrades take turns: two at once over an empty database, and one migrates while the other waits."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from scheduler.settings import Settings
from scheduler.storage.database import Upgrade, alembic_config, code_revision, schema_revision, upgrade
from tests.conftest import fresh_postgres


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'db' / 'tarjotin.db'}" if request.param == "sqlite" else fresh_postgres()


def test_an_upgrade_says_what_it_applied_and_a_second_applies_nothing(empty_url: str) -> None:
    revisions = [script.revision for script in ScriptDirectory.from_config(alembic_config(empty_url)).walk_revisions()]
    assert schema_revision(empty_url) is None
    first = upgrade(Settings(database_url=empty_url))
    assert first == Upgrade(None, code_revision(), tuple(reversed(revisions)))
    assert upgrade(Settings(database_url=empty_url)) == Upgrade(code_revision(), code_revision(), ())
    assert schema_revision(empty_url) == code_revision()


def test_two_upgrades_at_once_take_turns(empty_url: str) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(lambda _: upgrade(Settings(database_url=empty_url)), range(2)))
    applied = sorted(len(result.applied) for result in done)
    assert applied[0] == 0 and applied[1] == len(
        list(ScriptDirectory.from_config(alembic_config(empty_url)).walk_revisions())
    )
    assert {result.after for result in done} == {code_revision()}
