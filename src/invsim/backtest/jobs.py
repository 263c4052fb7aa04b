"""Where a queued backtest runs: a Celery worker in production, a thread pool when embedded.

`dispatch` is called after the run's row is committed. Production sends the
task `invsim.backtest.run` (registered in invsim.worker) with the run's id;
embedded mode runs it on a small in-process pool inside an app context, the
way `invsim run` runs its periodic jobs. `fail_stale` (a periodic job) fails
runs that never finished (a worker or process lost), so they stop counting
against the user's concurrent-run limit.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta

import structlog
from flask import Flask, current_app
from sqlalchemy import select

from invsim.backtest.models import ACTIVE_STATUSES, BacktestRun
from invsim.backtest.runner import celery_app, execute, settings
from invsim.core.clock import utcnow
from invsim.extensions import db

log = structlog.get_logger("invsim.backtest")

TASK_NAME = "invsim.backtest.run"

_pool_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def dispatch(run_id: int) -> Future[None] | None:
    """Queue a committed run: Celery in production, the in-process pool when embedded."""
    config = settings()
    if config.production:
        celery_app(config.redis_url).send_task(TASK_NAME, args=[run_id])
        return None
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return _embedded_pool(config.backtest_embedded_workers).submit(run_saved, app, run_id)


def run_saved(app: Flask, run_id: int) -> None:
    """Run one saved backtest inside an app context and release the thread's session."""
    with app.app_context():
        try:
            execute(run_id)
        except Exception:
            # execute records failures itself; this is a database outage while recording
            log.exception("backtest_job_failed", run_id=run_id)
        finally:
            db.session.remove()


def fail_stale() -> int:
    """Fail runs queued or running for longer than BACKTEST_STALE_SECONDS; return how many."""
    limit = settings().backtest_stale_seconds
    cutoff = utcnow() - timedelta(seconds=limit)
    with db.transaction() as session:
        stale = list(session.scalars(select(BacktestRun).where(
            BacktestRun.status.in_(ACTIVE_STATUSES), BacktestRun.created_at < cutoff)))
        for row in stale:
            row.status, row.progress, row.finished_at = "failed", 100, utcnow()
            row.error = f"The run did not finish within {limit} s (its worker was lost)."
    return len(stale)


def _embedded_pool(workers: int) -> ThreadPoolExecutor:
    """Return this process's backtest pool, built on first use."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="invsim-backtest")
        return _pool
