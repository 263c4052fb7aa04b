"""EMF metrics of the periodic jobs: runs, failures, durations and how late each job starts.

Lag is measured against the jobs table: a job due every N seconds that starts M seconds
after its previous start is M - N seconds late. A Celery queue that backs up, a stopped
beat or a worker pool too small for the schedule all show as a growing lag, wherever
the job runs (Celery, the embedded scheduler, a Lambda function).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import structlog

from invsim.core import emf
from invsim.core.emf import Metric
from invsim.extensions import stores

log = structlog.get_logger("invsim.job_metrics")

LAST_START_KEY = "jobs:last_start:"


def lag_seconds(name: str, interval: float, started: float) -> float:
    """Return how late this start is against the previous one, and remember this one."""
    key = LAST_START_KEY + name
    previous = stores.kv.get(key)
    # Kept long enough to measure a lag of many intervals, gone after a long pause.
    stores.kv.set(key, repr(started), ttl_seconds=max(600.0, 20 * interval))
    if previous is None:
        return 0.0
    return max(0.0, started - float(previous) - interval)


def record_run(name: str, interval: Callable[[], float], *, started: float, seconds: float,
               ok: bool) -> None:
    """Write one job run as EMF (no-op when METRICS_EMF is off; `interval` is read only then)."""
    if not emf.enabled():
        return
    metrics = {
        "JobRuns": Metric(1),
        "JobFailures": Metric(0 if ok else 1),
        "JobDuration": Metric(round(seconds * 1000, 3), "Milliseconds"),
    }
    try:
        metrics["JobLag"] = Metric(round(lag_seconds(name, interval(), started), 3), "Seconds")
    except Exception as error:  # a store outage must not turn a job that ran into a failure
        log.warning("job_lag_unmeasured", job=name, error=str(error))
    emf.emit(metrics, {"Job": name}, properties={"outcome": "ok" if ok else "failed"})


def wall_clock() -> float:
    """Return the epoch time in seconds (a start time comparable across processes)."""
    return time.time()


def settings_of(app: Any) -> Any:
    """Return the app's settings (what job intervals are read from)."""
    return app.config["INVSIM_SETTINGS"]
