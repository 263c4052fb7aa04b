"""HTTP endpoints of the challenges domain."""

from __future__ import annotations

from apiflask import APIBlueprint

bp = APIBlueprint("challenges", __name__, url_prefix="/api/v1", tag="Challenges")
