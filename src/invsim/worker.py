"""The Celery app for production: `celery -A invsim.worker worker` / `... beat`.

Tasks pass job names, never ORM objects; each runs inside a Flask app context
created on first use in the worker process (nothing connects at import).
"""

from __future__ import annotations

import importlib
import os
from typing import Any

import structlog
from celery import Celery, Task
from flask import Flask

from invsim.core import emf
from invsim.core.emf import Metric
from invsim.jobs import JOBS, run_job

log = structlog.get_logger("invsim.worker")
QUEUE = "invsim"
_flask_app: Flask | None = None


def flask_app() -> Flask:
    """Create this worker's Flask app once, on first use."""
    global _flask_app
    if _flask_app is None:
        from invsim.app import create_app

        _flask_app = create_app()
    return _flask_app


def beat_schedule() -> dict[str, dict[str, Any]]:
    """Translate the jobs table into Celery beat's schedule."""
    from invsim.config import load_settings

    settings = load_settings()
    return {
        job.name: {"task": "invsim.run_job", "schedule": job.interval(settings),
                   "args": (job.name,)}
        for job in JOBS
    }


def create_celery(broker_url: str | None = None) -> Celery:
    """Build the Celery app from REDIS_URL (broker and result backend)."""
    url = broker_url or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    celery = Celery("invsim", broker=url, backend=url, task_cls=Task)
    celery.conf.update(
        task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
        task_default_queue=QUEUE, broker_connection_retry_on_startup=True,
        timezone="UTC", enable_utc=True, result_expires=3600,
    )
    celery.conf.beat_schedule_factory = beat_schedule

    @celery.task(name="invsim.ping", shared=False)
    def ping() -> str:
        """Answer pong: the trivial health task."""
        return "pong"

    @celery.task(name="invsim.run_job", ignore_result=True, shared=False)
    def run_named_job(name: str) -> None:
        """Run one job of the jobs table (and report the queue's depth as it starts)."""
        app = flask_app()
        emit_queue_depth(celery)
        run_job(app, name)

    @celery.task(name="invsim.backtest.run", ignore_result=True, shared=False)
    def run_backtest(run_id: int) -> None:
        """Run one saved backtest (queued by POST /api/v1/backtests)."""
        # imported by name: the backtest domain sends this task, so it may not be imported here
        importlib.import_module("invsim.backtest.jobs").run_saved(flask_app(), run_id)

    # a sweep's chunks fan out over the workers (invsim.backtest.fanout)
    importlib.import_module("invsim.backtest.fanout").register_sweep_tasks(celery, url)

    @celery.on_after_configure.connect
    def _schedule(sender: Celery, **_: Any) -> None:
        sender.conf.beat_schedule = beat_schedule()

    return celery


def queue_depth(celery: Celery, queue: str = QUEUE) -> int:
    """Count the messages waiting in a queue (the length of its list in the Redis broker)."""
    with celery.connection_for_read() as connection:
        return int(connection.default_channel.client.llen(queue))


def emit_queue_depth(celery: Celery, queue: str = QUEUE) -> None:
    """Write the queue's depth as EMF; a broker that cannot answer only skips the metric."""
    if not emf.enabled():
        return
    try:
        depth = queue_depth(celery, queue)
    except Exception as error:  # the task itself must still run
        log.warning("queue_depth_unmeasured", queue=queue, error=str(error))
        return
    emf.emit({"QueueDepth": Metric(depth)}, {"Queue": queue})


celery = create_celery()
app = celery
