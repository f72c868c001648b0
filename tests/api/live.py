"""A real `uvicorn` server in a thread, for tests that need truly concurrent requests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import uvicorn
from fastapi import FastAPI

from api.app import create_app
from scheduler.services.clock import SYSTEM_CLOCK, Clock
from scheduler.settings import Settings

__all__ = ["at_once", "live_server"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """Serve the app on a free local port for the block; yields its base URL."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


Request = Callable[[httpx.Client], httpx.Response]


def at_once(database_url: str, requests: list[Request], clock: Clock = SYSTEM_CLOCK) -> list[httpx.Response]:
    """Send the requests at once, each from its own thread, to a live server over the database (reading the
    date from the clock); their answers."""
    app = create_app(Settings(database_url=database_url), clock=clock)
    start = threading.Barrier(len(requests))
    answers: list[httpx.Response | None] = [None] * len(requests)

    def send(number: int, base: str) -> None:
        with httpx.Client(base_url=base, timeout=60) as http:
            start.wait()
            answers[number] = requests[number](http)

    try:
        with live_server(app) as base:
            threads = [threading.Thread(target=send, args=(n, base)) for n in range(len(requests))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    finally:
        app.state.engine.dispose()
    assert all(answer is not None for answer in answers), "a request got no answer"
    return [answer for answer in answers if answer is not None]
