"""The /alpaca blueprint: key authentication, the per-key rate limit and Alpaca's error shape.

Its routes live in `trading_api.py` (and the market-data and stream modules); they
attach to this blueprint. A plain Flask blueprint: /alpaca is Alpaca's API, not part
of invsim's OpenAPI document (docs/bots.md lists what it supports).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app

from invsim.brokerapi.auth import authenticate_request, presented_key_id
from invsim.brokerapi.errors import alpaca_error, register_error_shape
from invsim.extensions import limiter

bp = Blueprint("alpaca", __name__, url_prefix="/alpaca")
bp.enable_openapi = False  # type: ignore[attr-defined]  # APIFlask asks every blueprint
register_error_shape(bp)


def _key_limit() -> str:
    return str(current_app.config["INVSIM_SETTINGS"].rate_limit_api_key)


# Per key (as the request names it; a guessed key id only throttles its guesser's attempts).
limiter.limit(_key_limit, key_func=lambda: f"key:{presented_key_id() or 'none'}")(bp)
bp.before_request(authenticate_request)


@bp.route("", defaults={"_rest": ""}, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@bp.route("/<path:_rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown_endpoint(_rest: str) -> Any:
    """Any other path under /alpaca: 404 in Alpaca's shape (never the web app's page)."""
    return alpaca_error(404, "endpoint not found")
