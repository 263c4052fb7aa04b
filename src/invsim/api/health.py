"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from sqlalchemy import text

from invsim.api.errors import error_body
from invsim.extensions import db, stores

bp = APIBlueprint("health", __name__, tag="Health")


@bp.get("/healthz")
@bp.doc(summary="Process is alive")
def healthz() -> dict[str, str]:
    """Answer as long as the process serves requests."""
    return {"status": "ok"}


def _database_ok() -> bool:
    try:
        with db.engine.connect() as connection:  # type: ignore[union-attr]
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


@bp.get("/readyz")
@bp.doc(summary="Database and cache are reachable", responses={503: "A dependency is down"})
def readyz() -> tuple[dict[str, Any], int]:
    """Check the database and the key-value store."""
    checks = {"database": _database_ok(), "cache": stores.kv.ping()}
    if all(checks.values()):
        return {"status": "ready", "checks": checks}, 200
    return error_body("not_ready", "A dependency is unreachable.", {"checks": checks}), 503
