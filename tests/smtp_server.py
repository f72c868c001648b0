"""A real SMTP server for the e-mail tests: aiosmtpd on a free local port, keeping what arrives.

`SmtpServer.start()` and `.stop()` bring it up and down on the same port (a server that is down
refuses connections); `delay` makes it slow to accept a message.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

__all__ = ["Arrived", "SmtpServer", "free_port", "smtp_server"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Arrived:
    """One message as the server received it: the envelope's recipients, the raw bytes, the parsed message."""

    rcpt_tos: tuple[str, ...]
    raw: bytes
    message: EmailMessage

    @property
    def text(self) -> str:
        """The decoded subject and body together (what a reader sees)."""
        body = self.message.get_body(preferencelist=("plain",))
        assert body is not None
        return f"{self.message['Subject']}\n{body.get_content()}"


@dataclass
class _Handler:
    arrived: list[Arrived] = field(default_factory=list)
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        if self.delay:
            await asyncio.sleep(self.delay)
        raw = bytes(envelope.original_content or envelope.content)
        parsed = message_from_bytes(raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        with self.lock:
            self.arrived.append(Arrived(tuple(envelope.rcpt_tos), raw, parsed))
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd on 127.0.0.1 at a fixed free port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.handler = _Handler()
        self._controller: Controller | None = None

    @property
    def arrived(self) -> list[Arrived]:
        with self.handler.lock:
            return list(self.handler.arrived)

    def start(self) -> None:
        if self._controller is None:
            self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
            self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def wait_for(self, count: int, seconds: float = 15.0) -> list[Arrived]:
        """The messages once at least `count` have arrived (or what there is after `seconds`)."""
        deadline = time.monotonic() + seconds
        while len(self.arrived) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.arrived


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()
