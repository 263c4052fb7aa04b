"""Thin periodic jobs of the analytics domain (listed in invsim.jobs.JOBS)."""

from __future__ import annotations

from flask import current_app

from invsim.analytics.snapshots import SnapshotReport, record_snapshots
from invsim.core.clock import utcnow
from invsim.extensions import stores


def snapshot_equity() -> SnapshotReport | None:
    """Snapshot every portfolio's equity for this interval and any missing recent closes.

    Safe twice and on two workers at once: the snapshots are upserts on
    (portfolio, kind, at); the short lock only spares a second worker the work.
    """
    seconds = current_app.config["INVSIM_SETTINGS"].snapshot_interval_seconds
    period = int(utcnow().timestamp()) // seconds
    if not stores.kv.set_if_absent(f"analytics:lock:snapshot:{period}", "1", seconds):
        return None
    return record_snapshots()
