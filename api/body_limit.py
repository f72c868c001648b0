"""No request body larger than the limit (`TARJOTIN_MAX_BODY_BYTES`, 1 MiB unless set) is read.

A path that takes files (the import page's upload and `POST /imports`, `UPLOAD_PATHS`) has a limit of its own
(`TARJOTIN_MAX_UPLOAD_BYTES`, 20 MiB unless set): a county's client sheet is larger than any form.

A body whose `Content-Length` is over the limit is answered 413 before any of it is read; a body
sent without one (chunked) is counted as it arrives and refused the moment it passes the limit,
so a client can neither make the server hold a huge body nor parse one. The answer is the
application's own: a `payload-too-large` problem (a page for a browser).
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["UPLOAD_PATHS", "BodyLimit", "PayloadTooLarge"]

UPLOAD_PATHS = frozenset({"/week/import", "/imports"})
"""The paths that take uploaded files, under the application's root path."""


class PayloadTooLarge(HTTPException):
    """The request's body is over the limit (answered by the application's HTTP error handler)."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            413,
            f"the request body is larger than the limit of {limit} bytes; send less at a time",
            headers={"Connection": "close"},  # the rest of the body is not read: the server closes the connection
        )


class BodyLimit:
    """ASGI middleware: refuses bodies over `limit` bytes by their Content-Length, else as they stream in.

    It raises `PayloadTooLarge`: a route reading the body passes it to the application's handler; one
    refused by its Content-Length before the application runs is answered by `api.request_ids`."""

    def __init__(self, app: ASGIApp, limit: int, upload_limit: int | None = None) -> None:
        self.app, self.limit = app, limit
        self.upload_limit = upload_limit if upload_limit is not None else limit

    def _limit(self, scope: Scope) -> int:
        path: str = scope.get("path", "")
        root: str = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        return self.upload_limit if path.rstrip("/") in UPLOAD_PATHS else self.limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        declared = Headers(scope=scope).get("content-length", "")
        if declared.strip().isdigit() and int(declared) > limit:
            raise PayloadTooLarge(limit)
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise PayloadTooLarge(limit)
            return message

        await self.app(scope, counted, send)
