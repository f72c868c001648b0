"""Replicas of `tarjotin serve` started together over one new database: the schema is upgraded exactly once.

Each replica upgrades the schema as it starts (`TARJOTIN_MIGRATE_ON_START`, true unless set); the
upgrades take turns (a PostgreSQL advisory lock, a file lock beside a SQLite database), so the
second finds the schema at head and applies nothing. Each says on stderr what it did. With
`TARJOTIN_MIGRATE_ON_START=false` the service only checks the schema, and an old one stops it.
"""

from __future__ import annotations

import fcntl
import os
import re
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, make_url, text

from scheduler.storage.database import MIGRATION_LOCK_KEY, alembic_config, code_revision
from tests.conftest import NAMED_POSTGRES_URL
from tests.pages.conftest import ROOT, TARJOTIN, _free_port

START_SECONDS = 120
"""How long a replica may take to start on a loaded machine (it imports the application, then migrates)."""

UPGRADED = re.compile(r"upgraded the database schema from nothing \(an empty database\) to (\S+) \((\d+) migration")


def revisions() -> int:
    """How many migrations the code has."""
    return len(list(ScriptDirectory.from_config(alembic_config("sqlite://")).walk_revisions()))


def new_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database with a name of its own, dropped afterwards."""
    name = f"tarjotin_deploy_{uuid.uuid4().hex[:12]}"
    admin = create_engine(NAMED_POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(NAMED_POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["postgresql", "sqlite"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of each kind with no schema at all."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db' / 'tarjotin.db'}"
    else:
        yield from new_postgres_database()


def environment(url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """The processes' environment: the database, a data folder (the embedded queue), the worktree's code."""
    return {
        **os.environ,
        "TARJOTIN_DATABASE_URL": url,
        "TARJOTIN_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def wait_until(url: str, process: subprocess.Popen[str], path: str = "/healthz") -> None:
    """Until the process answers 200 at the path (or fail, with its stderr, if it stops or takes too long)."""
    for _ in range(START_SECONDS * 5):
        if process.poll() is not None:
            raise AssertionError(f"{process.args} stopped ({process.returncode}): {process.communicate()[1]}")
        try:
            if httpx.get(url + path, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        try:
            process.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            pass
    raise AssertionError(f"{url}{path} did not answer 200 within {START_SECONDS} s")


def stop(processes: list[subprocess.Popen[str]]) -> list[str]:
    """Stop the processes (SIGTERM, then SIGKILL); their stderr."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    errors = []
    for process in processes:
        try:
            errors.append(process.communicate(timeout=30)[1])
        except subprocess.TimeoutExpired:
            process.kill()
            errors.append(process.communicate()[1])
    return errors


def _version_rows(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))]
    finally:
        engine.dispose()


@contextmanager
def migration_lock_held(url: str) -> Iterator[Callable[[], int]]:
    """The migration lock, held by the test until the block ends; a count of the processes waiting for it."""
    if url.startswith("sqlite"):
        database = Path(url.removeprefix("sqlite:///"))
        database.parent.mkdir(parents=True, exist_ok=True)
        with Path(f"{database}.migrate-lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            inode = f":{os.fstat(lock.fileno()).st_ino}"
            # /proc/locks lists a process blocked on a lock as "N: -> FLOCK ADVISORY WRITE pid maj:min:inode ..."
            yield lambda: sum(
                "->" in line and any(field.endswith(inode) for field in line.split())
                for line in Path("/proc/locks").read_text().splitlines()
            )
        return
    name = make_url(url).database
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as holder:
        holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        waiting = text("""SELECT count(*) FROM pg_locks JOIN pg_database d ON d.oid = pg_locks.database
                          WHERE locktype = 'advisory' AND NOT granted AND d.datname = :name
                          AND classid = :high AND objid = :low""")
        key = {"name": name, "high": MIGRATION_LOCK_KEY >> 32, "low": MIGRATION_LOCK_KEY & 0xFFFFFFFF}
        try:
            yield lambda: int(holder.execute(waiting, key).scalar_one())
        finally:
            holder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
    engine.dispose()


def test_two_replicas_started_at_once_migrate_once(empty_url: str, tmp_path: Path) -> None:
    """Both replicas are made to reach the migration lock before either has it (the test holds it until both wait
    for it), so they start migrating at the same moment; one migrates, the other finds the schema at head."""
    env = environment(empty_url, tmp_path / "data")
    ports = [_free_port(), _free_port()]
    replicas: list[subprocess.Popen[str]] = []
    try:
        with migration_lock_held(empty_url) as waiting:
            replicas += [
                subprocess.Popen(
                    [TARJOTIN, "serve", "--port", str(port)],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for port in ports
            ]
            deadline = time.monotonic() + START_SECONDS
            while waiting() < 2:
                assert all(replica.poll() is None for replica in replicas), "a replica stopped before the lock"
                assert time.monotonic() < deadline, f"{waiting()} replica(s) wait for the migration lock, not 2"
                time.sleep(0.2)
        for port, replica in zip(ports, replicas, strict=True):
            wait_until(f"http://127.0.0.1:{port}", replica)
    finally:
        errors = stop(replicas)
    upgrades = [match for stderr in errors for match in UPGRADED.finditer(stderr)]
    already = [stderr for stderr in errors if f"the database schema is already at {code_revision()}" in stderr]
    assert len(upgrades) == 1, f"one replica migrates, the other waits for it: {errors}"
    assert upgrades[0].group(1) == code_revision() and int(upgrades[0].group(2)) == revisions()
    assert len(already) == 1, errors
    assert all("Traceback" not in stderr for stderr in errors), errors
    assert _version_rows(empty_url) == [code_revision()]


def test_without_migrate_on_start_an_empty_database_is_refused(empty_url: str, tmp_path: Path) -> None:
    env = environment(empty_url, tmp_path / "data", TARJOTIN_MIGRATE_ON_START="false")
    done = subprocess.run(
        [TARJOTIN, "serve", "--port", str(_free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=START_SECONDS,
        check=False,
    )
    assert done.returncode == 2, (done.stdout, done.stderr)
    said = " ".join(done.stderr.split())
    assert (
        f"the database schema is at nothing (an empty database), the code needs {code_revision()}: "
        "run `tarjotin db upgrade` first" in said
    ), said
    assert "Traceback" not in done.stderr
    upgraded = subprocess.run(
        [TARJOTIN, "db", "upgrade"], env=env, capture_output=True, text=True, timeout=START_SECONDS, check=False
    )
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"upgraded the database schema from nothing (an empty database) to {code_revision()}" in " ".join(
        upgraded.stdout.split()
    )
    again = subprocess.run(
        [TARJOTIN, "db", "upgrade"], env=env, capture_output=True, text=True, timeout=START_SECONDS, check=False
    )
    assert again.returncode == 0 and f"already at {code_revision()}" in again.stdout, again.stderr
