"""The served application freezes what it made at start-up out of the garbage collector's way (a full
collection walked it in some 220 ms, a pause in every answer then); an application a test makes does not,
since a test process makes and drops many and what is frozen is never collected."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app, create_served_app
from scheduler.settings import Settings
from tests.conftest import migrated


def test_only_the_served_application_freezes_its_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = migrated("sqlite", tmp_path)
    gc.unfreeze()
    with TestClient(create_app(Settings(database_url=url))) as client:
        assert client.get("/offering").status_code == 200
        assert gc.get_freeze_count() == 0, "a test's application leaves the collector as it was"
    monkeypatch.setenv("TARJOTIN_DATABASE_URL", url)
    try:
        with TestClient(create_served_app()) as client:
            frozen = gc.get_freeze_count()
            assert frozen > 100_000, "the application, its routes, schemas and tables"
            assert client.get("/offering").status_code == 200
            assert len(gc.get_objects(2)) < frozen / 4, "a full collection walks a fraction of what it did"
    finally:
        gc.unfreeze()  # the rest of the test process collects as before
