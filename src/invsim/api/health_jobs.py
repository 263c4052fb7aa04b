"""A trivial job that proves the scheduler and workers run."""

from __future__ import annotations

from invsim.core.clock import utcnow
from invsim.extensions import stores


def heartbeat() -> str:
    """Record the time of the last scheduler run in the key-value store."""
    stamp = utcnow().isoformat()
    stores.kv.set("jobs:heartbeat", stamp, ttl_seconds=3600)
    return stamp
