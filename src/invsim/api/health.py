"""Liveness and readiness probes."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any

from apiflask import APIBlueprint
from sqlalchemy import text

from invsim.api.errors import error_body
from invsim.extensions import db, stores

bp = APIBlueprint("health", __name__, tag="Health")

READY_DEADLINE_SECONDS = 0.9  # a probe answers within a second, whatever hangs behind it
# Checks run here so a hung dependency holds a pool thread (until its own timeout), not the probe.
_probes = ThreadPoolExecutor(max_workers=4, thread_name_prefix="readyz")


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
@bp.doc(summary="Database and cache are reachable",
        responses={200: "Every dependency answered", 503: "A dependency is down"})
def readyz() -> tuple[dict[str, Any], int]:
    """Check the database and the key-value store."""
    checks = _run_checks({"database": _database_ok, "cache": stores.kv.ping})
    if all(checks.values()):
        return {"status": "ready", "checks": checks}, 200
    return error_body("not_ready", "A dependency is unreachable.", {"checks": checks}), 503


def _run_checks(checks: dict[str, Callable[[], bool]]) -> dict[str, bool]:
    """Run the checks side by side; one that has not answered by the deadline counts as down."""
    futures = {name: _probes.submit(check) for name, check in checks.items()}
    wait(futures.values(), timeout=READY_DEADLINE_SECONDS)
    return {name: future.done() and not future.exception() and bool(future.result())
            for name, future in futures.items()}
