"""HTTP endpoints of the market domain."""

from __future__ import annotations

from apiflask import APIBlueprint

bp = APIBlueprint("market", __name__, url_prefix="/api/v1", tag="Market")
