"""HTTP endpoints of the analytics domain."""

from __future__ import annotations

from apiflask import APIBlueprint

bp = APIBlueprint("analytics", __name__, url_prefix="/api/v1", tag="Analytics")
