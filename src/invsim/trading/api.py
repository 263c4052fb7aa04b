"""HTTP endpoints of the trading domain."""

from __future__ import annotations

from apiflask import APIBlueprint

bp = APIBlueprint("trading", __name__, url_prefix="/api/v1", tag="Trading")
