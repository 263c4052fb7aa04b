"""Alpaca's error body, `{"code": <int>, "message": "..."}`, with Alpaca's status codes.

Every failure under /alpaca answers in this shape (not invsim's `{"error": ...}`),
because the SDKs read `code` and `message` from it. `reason` adds invsim's own code.
"""

from __future__ import annotations

from typing import Any

import structlog
from flask import Blueprint, Response, jsonify
from werkzeug.exceptions import HTTPException

from invsim.core.errors import DomainError, OrderRejected, RateLimited

log = structlog.get_logger("invsim.brokerapi")

# Alpaca's 8-digit codes: the status followed by 10000 (the generic code of each status).
ALPACA_CODES = {400: 40010000, 401: 40110000, 403: 40310000, 404: 40410000, 405: 40510000,
                409: 40910000, 413: 41310000, 415: 41510000, 422: 42210000, 429: 42910000,
                500: 50010000, 503: 50310000}

# Alpaca answers 403 when the account may not do what the order asks (buying power,
# shares available, shorting, the account's rules); 422 when the order itself is malformed.
FORBIDDEN_REJECTIONS = frozenset({
    "insufficient_buying_power", "insufficient_position", "short_selling_not_allowed",
    "below_min_price", "position_limit_exceeded", "fractional_not_allowed",
    "order_type_not_allowed", "symbol_not_allowed", "sector_not_allowed",
    "max_trades_per_day_exceeded", "outside_trading_window", "api_trading_not_allowed",
    "market_closed", "stale_price", "manual_trading_not_allowed",
})


def alpaca_error(status: int, message: str, reason: str | None = None,
                 **extra: Any) -> Response:
    """Build one error response in Alpaca's shape."""
    body: dict[str, Any] = {"code": ALPACA_CODES.get(status, status * 100000 + 10000),
                            "message": message}
    if reason:
        body["reason"] = reason
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    return response


def status_of(error: DomainError) -> int:
    """Alpaca's status for a domain error."""
    if isinstance(error, OrderRejected) and error.code in FORBIDDEN_REJECTIONS:
        return 403
    if error.status == 409:
        return 422  # Alpaca: "order is not cancelable / replaceable", duplicate client_order_id
    return error.status


def _domain(error: DomainError) -> Response:
    response = alpaca_error(status_of(error), error.message, error.code)
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(max(1, error.retry_after))
    return response


def _http(error: HTTPException) -> Response:
    status = error.code or 500
    messages = {404: "endpoint not found", 405: "method not allowed",
                429: "rate limit exceeded", 413: "request body too large"}
    response = alpaca_error(status, messages.get(status, error.description or "error"))
    if status == 429:
        retry = getattr(error, "retry_after", None) or 60
        response.headers["Retry-After"] = str(int(retry))
    return response


def _unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return _http(error)
    log.exception("unhandled_exception", error_type=type(error).__name__)
    return alpaca_error(500, "internal server error")


def register_error_shape(bp: Blueprint) -> None:
    """Render every error of the blueprint's requests in Alpaca's shape."""
    bp.register_error_handler(DomainError, _domain)
    bp.register_error_handler(HTTPException, _http)
    bp.register_error_handler(Exception, _unexpected)
