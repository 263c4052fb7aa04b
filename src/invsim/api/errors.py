"""The one error shape: {"error": {"code", "message", "details"}} for every failure."""

from __future__ import annotations

from typing import Any

import structlog
from apiflask import APIFlask
from apiflask.exceptions import HTTPError
from flask import Response, g, jsonify
from sqlalchemy.exc import StatementError
from werkzeug.exceptions import HTTPException

from invsim.api.dependency_faults import RETRY_AFTER_SECONDS, faulty_dependency
from invsim.core.errors import DomainError, RateLimited

log = structlog.get_logger("invsim.errors")

STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "service_unavailable",
}

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string", "examples": ["insufficient_buying_power"]},
                "message": {"type": "string"},
                "details": {"type": "object"},
            },
        }
    },
}


class MalformedJson(DomainError):
    """The body is not valid JSON."""

    status = 400
    code = "malformed_json"


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the one error shape."""
    return {"error": {"code": code, "message": message, "details": details or {}}}


def _validation_details(detail: dict[str, Any]) -> dict[str, Any]:
    """Flatten APIFlask's {location: {field: [messages]}} into {"fields": ..., "location": ...}."""
    fields: dict[str, list[str]] = {}
    locations = list(detail)
    for per_field in detail.values():
        for field, messages in (per_field or {}).items():
            name = field.removeprefix("body.") if isinstance(field, str) else str(field)
            # pydantic prefixes custom validator messages; the client needs the sentence only
            fields[name] = [str(message).removeprefix("Value error, ") for message in messages]
    return {"location": locations[0] if locations else None, "fields": fields}


def process_http_error(error: HTTPError) -> tuple[dict[str, Any], int, Any]:
    """Render APIFlask/Werkzeug HTTP errors (validation, 404, 405, 413, 415...) in the shape."""
    status = error.status_code
    code = STATUS_CODES.get(status, "error")
    if status == 422 and error.detail:
        body = error_body(code, "The request body or query has invalid fields.",
                          _validation_details(error.detail))
    else:
        body = error_body(code, error.message or "Error", error.extra_data or {})
    return body, status, error.headers


def _domain_error_response(error: DomainError) -> Response:
    """Render a typed domain error."""
    response = jsonify(error_body(error.code, error.message, error.details))
    response.status_code = error.status
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(max(1, error.retry_after))
    elif error.status == 503:  # a 503 always says when to come back
        retry_after = getattr(error, "retry_after", RETRY_AFTER_SECONDS)
        response.headers["Retry-After"] = str(max(1, int(retry_after)))
    return response


def _unexpected_error_response(error: Exception) -> Response | HTTPException:
    """Log an unexpected exception with the request id and answer 500 without internals."""
    if isinstance(error, HTTPException):
        return error
    if isinstance(error, StatementError) and isinstance(error.orig, DomainError):
        # SQLAlchemy wraps errors raised while binding (a KMS failure while sealing a column)
        return _domain_error_response(error.orig)
    dependency = faulty_dependency(error)
    if dependency is not None:
        return _unavailable(error, dependency)
    log.exception("unhandled_exception", error_type=type(error).__name__)
    request_id = g.get("request_id", "")
    response = jsonify(error_body("internal_error", "An unexpected error occurred.",
                                  {"request_id": request_id}))
    response.status_code = 500
    return response


def _unavailable(error: Exception, dependency: str) -> Response:
    """Answer 503 for an unreachable dependency, logging which one (no traceback spam)."""
    log.warning("dependency_unavailable", dependency=dependency,
                error_type=type(error).__name__, error=str(error)[:200])
    response = jsonify(error_body(
        "service_unavailable", f"The {dependency} is unavailable; try again shortly.",
        {"dependency": dependency, "request_id": g.get("request_id", "")}))
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def register_error_handlers(app: APIFlask) -> None:
    """Send every error through the one shape."""
    app.error_processor(process_http_error)
    app.register_error_handler(DomainError, _domain_error_response)
    app.register_error_handler(Exception, _unexpected_error_response)
    app.config["HTTP_ERROR_SCHEMA"] = ERROR_SCHEMA
    app.config["VALIDATION_ERROR_SCHEMA"] = ERROR_SCHEMA
