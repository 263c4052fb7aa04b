"""Serve the built web app, its client-side routes and the offline Swagger UI."""

from __future__ import annotations

from pathlib import Path

from apiflask import APIBlueprint
from flask import Response, abort, current_app, request, send_from_directory

bp = APIBlueprint("frontend", __name__, enable_openapi=False)

DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>invsim API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/swagger-ui/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/swagger-ui/swagger-ui-standalone-preset.js"></script>
<script src="/static/docs/swagger-init.js"></script></body></html>
"""

NOT_BUILT_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>invsim</title></head><body><h1>invsim</h1>
<p>The web app has not been built. Run <code>make web</code> (or <code>make run</code>).</p>
<p>The API documentation is at <a href="/api/docs">/api/docs</a>.</p></body></html>
"""


# The first path segments of the web app's routes (web/src/app/router.tsx; a test keeps
# the two in step). Any other path is a 404: the shell with status 404 for a browser
# (the app shows its not-found page), the JSON error shape for anything else.
CLIENT_ROUTES = frozenset({"", "sign-in", "sign-up", "trade", "orders", "analytics",
                           "challenges", "instruments", "settings", "api-keys",
                           "backtest", "leaderboard"})


def _app_dir() -> Path:
    return Path(current_app.static_folder or "") / "app"


@bp.get("/api/docs")
def api_docs() -> Response:
    """Serve Swagger UI from the packaged swagger-ui-dist files."""
    return Response(DOCS_PAGE, mimetype="text/html")


@bp.get("/assets/<path:filename>")
def app_assets(filename: str) -> Response:
    """Serve the web app's hashed assets."""
    return send_from_directory(_app_dir() / "assets", filename, max_age=31536000)


@bp.get("/")
@bp.get("/<path:route>")
def app_shell(route: str = "") -> Response:
    """Serve index.html for every client-side route (API paths stay API 404s)."""
    if route.startswith(("api/", "static/")) or route == "api":
        abort(404)
    app_dir = _app_dir()
    candidate = app_dir / route
    if route and candidate.is_file() and app_dir in candidate.resolve().parents:
        return send_from_directory(app_dir, route)
    known = route.split("/", 1)[0] in CLIENT_ROUTES
    if not known and not _wants_html():
        abort(404)
    if not (app_dir / "index.html").is_file():
        return Response(NOT_BUILT_PAGE, mimetype="text/html", status=200 if known else 404)
    response = send_from_directory(app_dir, "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.status_code = 200 if known else 404
    return response


def _wants_html() -> bool:
    """A browser navigating (it prefers HTML to JSON)."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html" and request.accept_mimetypes["text/html"] > \
        request.accept_mimetypes["application/json"]
