"""The deployment kit in deploy/: its files agree with the code, and its processes plan a run end to end.

No container engine runs here, so the image and compose file are checked as text (the compose file as
YAML, each command it runs against `tarjotin <command> --help`), and deploy/run-local.sh starts the
same processes as compose (migrate once, two web replicas, one worker) against the local PostgreSQL
and Redis: a coordinator submits a planning run through one replica, the worker process plans it,
and the other replica reports it done.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
import tomllib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
import yaml

from scheduler.settings import Settings
from tests.deploy.test_replicas import environment, new_postgres_database
from tests.pages.conftest import ROOT, TARJOTIN, _free_port

DEPLOY = ROOT / "deploy"
BROKER = "redis://127.0.0.1:6379/0"
SERVICES = {"postgres", "redis", "migrate", "web", "worker"}


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return loaded


def dockerfile() -> list[str]:
    """The Dockerfile's instructions, continuation lines joined, comments left out."""
    text = re.sub(r"\\\n\s*", " ", (DEPLOY / "Dockerfile").read_text())
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def instructions(name: str) -> list[str]:
    return [line.split(None, 1)[1] for line in dockerfile() if line.split(None, 1)[0].upper() == name]


def _help(command: list[str]) -> str:
    """`tarjotin <command> --help` (it must succeed: the command exists)."""
    words = [word for word in command[1:] if not word.startswith("-")]
    subcommand = []
    for word in words:  # the leading words that name (sub)commands, before any option's value
        if command.index(word) != len(subcommand) + 1:
            break
        subcommand.append(word)
    done = subprocess.run(
        [TARJOTIN, *subcommand, "--help"],
        env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"tarjotin {' '.join(subcommand)} --help: {done.stderr}"
    return done.stdout


def assert_real_command(command: list[str]) -> None:
    """The command is `tarjotin` with a real subcommand, and every option it passes is one that subcommand has."""
    assert command[0] == "tarjotin", command
    helped = _help(command)
    for word in command[1:]:
        if word.startswith("--"):
            assert re.search(rf"{re.escape(word)}\b", helped), f"{word} is no option of {shlex.join(command)}"


def test_compose_runs_the_documented_processes() -> None:
    services = compose()["services"]
    assert set(services) == SERVICES
    assert services["postgres"]["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in services["postgres"]["volumes"])
    assert services["redis"]["image"].startswith("redis:7")
    migrate, web, worker = services["migrate"], services["web"], services["worker"]
    assert migrate["command"] == ["tarjotin", "db", "upgrade"] and migrate["restart"] == "no"
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert worker["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert web["environment"]["TARJOTIN_MIGRATE_ON_START"] == "false"
    for service in (migrate, web, worker):
        assert service["env_file"] == ".env"
        assert service["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
        assert {"TARJOTIN_DATABASE_URL", "TARJOTIN_BROKER_URL"} <= set(service["environment"])
        assert "@postgres:5432/" in service["environment"]["TARJOTIN_DATABASE_URL"]
        assert service["environment"]["TARJOTIN_BROKER_URL"].startswith("redis://redis:6379")
    assert web["command"][:2] == ["tarjotin", "serve"] and "--workers" in web["command"]
    assert web["command"][web["command"].index("--host") + 1] == "0.0.0.0"
    assert worker["command"] == ["tarjotin", "worker"]
    for service in (migrate, web, worker):
        assert_real_command(service["command"])


def test_the_image_installs_exactly_the_lock_and_runs_as_no_root() -> None:
    assert instructions("FROM")[0].startswith("python:3.11-slim")
    assert "deploy/requirements.lock ./" in instructions("COPY")
    runs = instructions("RUN")
    assert any("pip install --require-hashes --no-deps -r requirements.lock" in run for run in runs), runs
    project = [run for run in runs if re.search(r"pip install .*--no-deps.* \.(\s|$)", run)]
    assert project, "the project itself is installed without dependencies"
    final_stage = dockerfile()[max(i for i, line in enumerate(dockerfile()) if line.upper().startswith("FROM ")) :]
    users = [line.split(None, 1)[1] for line in final_stage if line.upper().startswith("USER ")]
    assert users and users[-1].split(":")[0] not in ("root", "0"), users
    assert instructions("EXPOSE") == ["8000"]
    (healthcheck,) = instructions("HEALTHCHECK")
    assert "/healthz" in healthcheck and "urllib" in healthcheck
    command = json.loads(instructions("CMD")[-1])
    assert command[command.index("--host") + 1] == "0.0.0.0"
    assert_real_command(command)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored and ".git" in ignored and ".venv" in ignored


def _pins(lock: Path) -> dict[str, str]:
    return dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) \\$", lock.read_text(), flags=re.MULTILINE))


def test_the_image_lock_is_the_runtime_part_of_the_lock_at_the_same_pins() -> None:
    """deploy/requirements.lock (the image's) holds every runtime dependency at requirements.lock's pin, and none
    of the test or lint tools."""
    image, full = _pins(ROOT / "deploy" / "requirements.lock"), _pins(ROOT / "requirements.lock")
    assert image and all(full.get(name) == version for name, version in image.items()), set(image.items()) - set(
        full.items()
    )
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = [re.split(r"[<>=!\[ ;]", requirement, maxsplit=1)[0].lower() for requirement in project["dependencies"]]
    assert all(name.replace("_", "-") in image for name in names), set(names) - set(image)
    tools = project["optional-dependencies"]["test"] + project["optional-dependencies"]["dev"]
    assert not any(re.split(r"[<>=!\[ ;]", tool, maxsplit=1)[0].lower() in image for tool in tools)


def test_env_example_names_every_setting() -> None:
    text = (DEPLOY / "env.example").read_text()
    named = set(re.findall(r"^#?(TARJOTIN_[A-Z0-9_]+)=", text, re.MULTILINE))
    fields = {f"TARJOTIN_{name.upper()}" for name in Settings.model_fields}
    assert named == fields, f"missing: {sorted(fields - named)}; unknown: {sorted(named - fields)}"
    assert "POSTGRES_PASSWORD=" in text, "compose.yaml's password for the postgres service"


def test_settings_read_a_dot_env_file_and_the_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TARJOTIN_QUEUE_NAME", "TARJOTIN_WORKER_THREADS", "TARJOTIN_MIGRATE_ON_START"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".env").write_text(
        "# a comment\nTARJOTIN_QUEUE_NAME=from-the-file\nTARJOTIN_WORKER_THREADS=3\nTARJOTIN_MIGRATE_ON_START=false\n"
        "OTHER_PROGRAM_SETTING=ignored\n"
    )
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    assert (settings.queue_name, settings.worker_threads, settings.migrate_on_start) == ("from-the-file", 3, False)
    monkeypatch.setenv("TARJOTIN_QUEUE_NAME", "from-the-environment")
    assert Settings().queue_name == "from-the-environment" and Settings().worker_threads == 3
    monkeypatch.chdir(ROOT)
    assert Settings().worker_threads == 1 and Settings().migrate_on_start is True, "no .env: the defaults"


@pytest.fixture
def database() -> Iterator[str]:
    yield from new_postgres_database()


def _lines_until_ready(script: subprocess.Popen[str], replicas: int) -> tuple[list[str], list[str]]:
    """The script's output until every replica is ready: the replicas' addresses, and the lines read."""
    assert script.stdout is not None
    lines: list[str] = []
    while len(ready := [line.split()[-1] for line in lines if line.startswith("run-local: ready ")]) < replicas:
        line = script.stdout.readline()
        assert line, f"run-local.sh ended ({script.wait()}) before the replicas were ready: {lines}"
        lines.append(line.strip())
    return ready, lines


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([TARJOTIN, *args], env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"tarjotin {' '.join(args)}: {done.stdout}\n{done.stderr}"
    return done.stdout


def test_run_local_starts_the_processes_and_the_worker_plans_a_run(database: str, tmp_path: Path) -> None:
    queue = f"tarjotin-kit-{uuid.uuid4().hex[:10]}"
    env = environment(
        database,
        tmp_path / "data",
        TARJOTIN_BROKER_URL=BROKER,
        TARJOTIN_QUEUE_NAME=queue,
        TARJOTIN_PLANNING_SOLVER="tests.planning_stub:stub_solve",
        TARJOTIN_BIN=TARJOTIN,
        WEB_PORTS=f"{_free_port()} {_free_port()}",
        LOG_DIR=str(tmp_path / "logs"),
        READY_SECONDS="180",
    )
    env.pop("TARJOTIN_MIGRATE_ON_START", None)
    # COMMAND: wait until the test closes its input, then the script stops every process.
    script = subprocess.Popen(
        ["bash", str(DEPLOY / "run-local.sh"), sys.executable, "-c", "import sys; sys.stdin.read()"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        webs, lines = _lines_until_ready(script, 2)
        assert any("upgraded the database schema from nothing" in line for line in lines), lines
        worker_pid = int(next(line for line in lines if line.startswith("run-local: worker pid")).split()[-1])
        for web in webs:
            answer = httpx.get(f"{web}/readyz", timeout=10)
            assert answer.status_code == 200 and answer.json()["checks"] == {"database": "ok", "broker": "ok"}
        problem = tmp_path / "problem.json"
        _run(env, "scenario", "--clients", "40", "--out", str(problem))
        _run(env, "import", str(problem))
        token = _run(env, "token", "create", "--role", "coordinator", "--name", "kit").strip().splitlines()[-1]
        coordinator = {"Authorization": f"Bearer {token}"}
        started = httpx.post(f"{webs[0]}/plans", json={"time_limit": 5}, headers=coordinator, timeout=30)
        assert started.status_code == 202, started.text
        run_id = started.json()["id"]
        deadline = time.monotonic() + 120
        while (run := httpx.get(f"{webs[1]}/plans/{run_id}", headers=coordinator, timeout=30).json())["status"] in (
            "running",
            "cancelling",
        ):
            assert time.monotonic() < deadline, f"run {run_id} still {run['status']} after 120 s"
            time.sleep(0.5)
        assert run["status"] == "draft", run
        assert int(run["worker"].split(":")[1]) == worker_pid, "the worker process planned it, not a web process"
        rest = script.communicate(timeout=120)[0]  # closes the command's input: the script stops the processes
        assert script.returncode == 0, rest
        assert "run-local: stopped" in rest
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGTERM)
            try:
                script.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(script.pid, signal.SIGKILL)
        broker = redis.Redis.from_url(BROKER)
        for key in broker.scan_iter(f"*{queue}*"):
            broker.delete(key)
