"""The API documentation at /docs: Swagger UI served from this service, no CDN and no inline script.

Swagger UI's files come from the `fastapi-offline` package (mounted at /static/docs/); the page
starts it from /static/swagger-init.js, so the Content-Security-Policy (`api.security_headers`)
needs no exception for it. FastAPI's own /docs (which loads Swagger UI from a CDN with an
inline script) and /redoc are turned off in `api.app`. Its addresses start with the service's root path
(`api.links`), so it works behind a proxy serving the service under a sub-path.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api.links import root_path

__all__ = ["SWAGGER_UI", "install"]

SWAGGER_UI = Path(fastapi_offline.__file__).resolve().parent / "static"
"""swagger-ui-bundle.js, swagger-ui.css and favicon.png."""

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{root}/static/docs/swagger-ui.css">
<link rel="icon" type="image/png" href="{root}/static/docs/favicon.png">
</head>
<body>
<div id="swagger-ui" data-url="{openapi}"></div>
<script src="{root}/static/docs/swagger-ui-bundle.js"></script>
<script src="{root}/static/swagger-init.js"></script>
</body>
</html>
"""


def install(app: FastAPI) -> None:
    """Serve /docs and Swagger UI's files (before the pages' /static mount, which would hide /static/docs)."""
    app.mount("/static/docs", StaticFiles(directory=SWAGGER_UI), name="swagger-ui")
    title, openapi = escape(f"{app.title} – API"), app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = escape(root_path(request))
        return HTMLResponse(PAGE.format(title=title, root=root, openapi=root + escape(openapi)))
