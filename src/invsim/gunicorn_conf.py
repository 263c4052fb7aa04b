"""gunicorn hooks: clean up Prometheus multiprocess files of dead workers."""

from __future__ import annotations

from typing import Any


def child_exit(server: Any, worker: Any) -> None:
    """Mark a dead worker's metrics so /metrics stays correct across restarts."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
