"""Request guards and response headers: body limits, JSON only, CSP, HSTS, CORS."""

from __future__ import annotations

from typing import Any

from apiflask import APIFlask
from flask import Request, Response, request
from werkzeug.exceptions import UnsupportedMediaType

from invsim.api.errors import MalformedJson
from invsim.config import Settings

APP_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)
# Swagger UI renders some inline styles; it gets a looser style-src on its page only.
DOCS_CSP = APP_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

BODY_METHODS = {"POST", "PUT", "PATCH"}


class JsonRequest(Request):
    """Request whose malformed JSON answers in the one error shape."""

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        """Read no body as an empty object; raise a typed error for anything else unreadable.

        A POST without a body (`/auth/logout` without its optional refresh token)
        then validates like `{}`: fine where nothing is required, a 422 naming the
        required fields elsewhere, never an opaque 400.
        """
        if not self.get_data(cache=True):
            return {}
        raise MalformedJson("The request body is not valid JSON.",
                            details={"reason": str(e) if e else "empty body"})


def _require_json_body() -> None:
    """Refuse API bodies that are not JSON (415) before any view reads them."""
    if request.method not in BODY_METHODS or not request.path.startswith("/api/"):
        return
    has_body = bool(request.content_length) or request.headers.get("Transfer-Encoding")
    if has_body and request.mimetype != "application/json":
        raise UnsupportedMediaType("Send the request body as application/json.")


def _add_security_headers(settings: Settings, response: Response) -> Response:
    """Add the security headers every response carries."""
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    csp = DOCS_CSP if request.path.startswith("/api/docs") else APP_CSP
    headers.setdefault("Content-Security-Policy", csp)
    if settings.behind_tls or request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
    return response


def _add_cors_headers(origins: set[str], response: Response) -> Response:
    """Allow configured origins only; CORS is off when none are configured."""
    origin = request.headers.get("Origin")
    if origin and origin in origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
        response.headers["Access-Control-Allow-Headers"] = (
            "Authorization, Content-Type, X-Request-ID")
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, PATCH, PUT, DELETE, OPTIONS"
        response.headers["Access-Control-Max-Age"] = "600"
    return response


def register_security(app: APIFlask, settings: Settings) -> None:
    """Install body limits, the JSON-only guard and response headers."""
    app.request_class = JsonRequest
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.before_request(_require_json_body)
    app.after_request(lambda response: _add_security_headers(settings, response))
    origins = {o.strip() for o in settings.cors_origins.split(",") if o.strip()}
    if origins:
        app.after_request(lambda response: _add_cors_headers(origins, response))
