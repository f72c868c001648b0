"""A TCP forwarder the test controls: the database "goes down" when it is cut and "comes back" when restored.

The machine's PostgreSQL is shared, so a test cannot restart it. Between the service and
the server sits this proxy instead: `cut()` closes every forwarded connection and the
listening socket (new connections are refused, as by a stopped server), `restore()` listens
on the same port again. To the service that is a database restart.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["TcpProxy", "tcp_proxy"]


class TcpProxy:
    """Forwards 127.0.0.1:`port` to `target`, one thread pair per connection."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                near, _ = listener.accept()
            except OSError:  # cut: the listener is closed
                return
            try:
                far = socket.create_connection(self.target, timeout=5)
            except OSError:
                near.close()
                continue
            far.settimeout(None)
            with self._lock:
                self._sockets |= {near, far}
            for source, sink in ((near, far), (far, near)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                self._close(end)

    def _close(self, end: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(end)
        try:
            end.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        end.close()

    @property
    def connections(self) -> int:
        """Sockets forwarded now (two per connection)."""
        with self._lock:
            return len(self._sockets)

    def cut(self) -> None:
        """The database goes away: the listener closes (connections are refused) and every connection drops."""
        if self._listener is not None:
            try:  # shutdown wakes the accepting thread and stops listening; close alone would not (Linux)
                self._listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._listener.close()
            self._listener = None
        with self._lock:
            ends = list(self._sockets)
        for end in ends:
            self._close(end)

    def restore(self) -> None:
        """The database is back, on the same port."""
        self.start()


@contextmanager
def tcp_proxy(host: str, port: int) -> Iterator[TcpProxy]:
    proxy = TcpProxy((host, port))
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.cut()
