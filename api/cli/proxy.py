"""`tarjotin serve` behind a reverse proxy: whose X-Forwarded-* headers uvicorn trusts, and the path prefix
the proxy strips (the ASGI root path, which every link, redirect and cookie path of the pages starts with).

Each option overrides its setting (`TARJOTIN_PROXY_HEADERS`, `TARJOTIN_FORWARDED_ALLOW_IPS`,
`TARJOTIN_ROOT_PATH`); the root path is checked here, naming the option or variable that gave it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, TypedDict

import typer

from api.cli.common import fail

__all__ = ["ForwardedAllowIps", "Proxy", "ProxyHeaders", "RootPath", "UvicornProxy", "check_root_path", "proxy_options"]

ProxyHeaders = Annotated[
    bool | None,
    typer.Option(
        "--proxy-headers/--no-proxy-headers",
        help="trust X-Forwarded-Proto and X-Forwarded-For from the addresses in --forwarded-allow-ips: the pages "
        "then see https (Secure cookies) and the client's address (default: TARJOTIN_PROXY_HEADERS, on)",
        show_default=False,
    ),
]
ForwardedAllowIps = Annotated[
    str | None,
    typer.Option(
        help="the proxies trusted for X-Forwarded-* headers, comma-separated addresses or networks (default: "
        "TARJOTIN_FORWARDED_ALLOW_IPS, else uvicorn's: $FORWARDED_ALLOW_IPS, or 127.0.0.1 and ::1). '*' trusts "
        "anyone who can reach the port: use it only when nothing but the proxy can, or any client can claim https "
        "and any address",
        show_default=False,
    ),
]
RootPath = Annotated[
    str | None,
    typer.Option(
        help="the path prefix the proxy serves the service under and strips before passing a request on, e.g. "
        "/tarjotin: every link, redirect and cookie the pages give starts with it (default: TARJOTIN_ROOT_PATH, "
        "none)",
        show_default=False,
    ),
]


class UvicornProxy(TypedDict):
    """`uvicorn.run`'s keyword arguments about the proxy."""

    proxy_headers: bool
    forwarded_allow_ips: str | None
    root_path: str


@dataclass(frozen=True)
class Proxy:
    """What uvicorn is told about the proxy in front of it."""

    proxy_headers: bool = True
    forwarded_allow_ips: str | None = None
    """None: uvicorn's default."""
    root_path: str = ""

    def uvicorn_options(self) -> UvicornProxy:
        """The keyword arguments of `uvicorn.run`."""
        return {
            "proxy_headers": self.proxy_headers,
            "forwarded_allow_ips": self.forwarded_allow_ips,
            "root_path": self.root_path,
        }


def check_root_path(value: str, source: str = "--root-path") -> str:
    """The root path as given, or a plain error naming its `source`: empty, or a path from '/' without a
    trailing '/'."""
    if value and (not value.startswith("/") or value.endswith("/") or any(c.isspace() or c in "?#\\" for c in value)):
        fail(
            f"{source} must be empty or a path that starts with '/' and does not end with '/' "
            f"(such as /tarjotin), not {value!r}"
        )
    return value


def proxy_options(
    proxy_headers: bool | None = None, forwarded_allow_ips: str | None = None, root_path: str | None = None
) -> Proxy:
    """The options given, each missing one from the settings."""
    from scheduler.settings import get_settings

    settings = get_settings()
    return Proxy(
        proxy_headers=settings.proxy_headers if proxy_headers is None else proxy_headers,
        forwarded_allow_ips=forwarded_allow_ips or settings.forwarded_allow_ips or None,
        root_path=check_root_path(root_path)
        if root_path is not None
        else check_root_path(settings.root_path, "TARJOTIN_ROOT_PATH"),
    )
