"""HTTP endpoints of the portfolios domain."""

from __future__ import annotations

from apiflask import APIBlueprint

bp = APIBlueprint("portfolios", __name__, url_prefix="/api/v1", tag="Portfolios")
