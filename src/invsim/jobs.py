"""The one table of periodic jobs, and the embedded scheduler that runs it in-process.

Celery beat (production) and the embedded scheduler (make run) both read JOBS.
Jobs are thin and idempotent: they call one service function that is safe to run
twice, or on two workers at once.
"""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import structlog
from flask import Flask

from invsim import job_metrics
from invsim.extensions import db

log = structlog.get_logger("invsim.jobs")


@dataclass(frozen=True)
class Job:
    """A periodic job: a name, the dotted path of its function and how often it runs."""

    name: str
    function: str
    interval_seconds: float | str
    description: str = ""

    def interval(self, settings: Any) -> float:
        """Resolve the interval (a number, or the name of a setting)."""
        if isinstance(self.interval_seconds, str):
            return float(getattr(settings, self.interval_seconds))
        return float(self.interval_seconds)


JOBS: tuple[Job, ...] = (
    Job("health.heartbeat", "invsim.api.health_jobs:heartbeat", 60, "Prove the scheduler runs"),
    Job("market.tick", "invsim.market.jobs:tick", "market_tick_seconds",
        "Advance the simulated market and publish quotes of watched symbols"),
    Job("market.refresh_real_quotes", "invsim.market.jobs:refresh_real_quotes", 60,
        "Refresh real quotes within the provider's request budget (no-op when simulated)"),
    Job("market.backfill_daily_bars", "invsim.market.jobs:backfill_daily_bars", 86400,
        "Store daily bars of instruments in use (real provider; no-op when simulated)"),
    Job("trading.match_orders", "invsim.trading.jobs:match_orders", "market_tick_seconds",
        "Match open orders against the latest prices; expire day, opg and cls orders"),
    Job("backtest.run_live_strategies", "invsim.backtest.live_jobs:run_live_strategies", 60,
        "Let each live strategy decide once on a new daily bar and place its orders"),
    Job("trading.margin_check", "invsim.trading.jobs:check_margin", 60,
        "Liquidate margin portfolios below maintenance, largest position first"),
    Job("trading.margin_interest", "invsim.trading.jobs:charge_margin_interest", 3600,
        "Charge the day's interest on borrowed cash once per margin portfolio"),
    Job("trading.corporate_actions", "invsim.trading.jobs:apply_corporate_actions", 300,
        "Apply dividends (entitlements at the ex-date, cash on the pay date) and splits once"),
    Job("trading.ledger_verify", "invsim.trading.jobs:verify_ledger", 3600,
        "Rebuild every portfolio from its facts and log any difference"),
    Job("analytics.snapshot_equity", "invsim.analytics.jobs:snapshot_equity",
        "snapshot_interval_seconds",
        "Snapshot every portfolio's equity (intraday while open) and store missing closes"),
    Job("backtest.fail_stale", "invsim.backtest.jobs:fail_stale", 300,
        "Fail backtests that never finished (a lost worker) so they stop counting as running"),
    Job("challenges.open_started", "invsim.challenges.jobs:open_started",
        "standings_interval_seconds",
        "Open the portfolios of players whose challenge has started"),
    Job("challenges.refresh_standings", "invsim.challenges.jobs:refresh_standings",
        "standings_interval_seconds", "Rank every running challenge and keep the ranked run"),
    Job("challenges.close_finished", "invsim.challenges.jobs:close_finished", 60,
        "Freeze final standings of finished challenges, cancel their orders, archive portfolios"),
    Job("challenges.refresh_global_leaderboard",
        "invsim.challenges.jobs:refresh_global_leaderboard", 900,
        "Recompute the global 30-day leaderboard"),
)


def find_job(name: str) -> Job:
    """Return the job with this name."""
    for job in JOBS:
        if job.name == name:
            return job
    raise KeyError(name)


def resolve(job: Job) -> Callable[[], Any]:
    """Import the job's function."""
    module_name, _, attribute = job.function.partition(":")
    function: Callable[[], Any] = getattr(importlib.import_module(module_name), attribute)
    return function


def run_job(app: Flask, name: str) -> Any:
    """Run one job inside an app context, record its run (EMF) and release its session."""
    job = find_job(name)
    with app.app_context():
        started, clock, ok = job_metrics.wall_clock(), time.perf_counter(), False
        try:
            result = resolve(job)()
            ok = True
            return result
        finally:
            try:
                job_metrics.record_run(
                    job.name, lambda: job.interval(job_metrics.settings_of(app)),
                    started=started, seconds=time.perf_counter() - clock, ok=ok)
            finally:
                db.session.remove()


class EmbeddedScheduler:
    """A daemon thread that runs every job at its interval (the embedded stand-in for beat)."""

    def __init__(self, app: Flask, jobs: tuple[Job, ...] = JOBS) -> None:
        self._app = app
        self._jobs = jobs
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="invsim-scheduler", daemon=True)

    def start(self) -> None:
        """Start the scheduler thread."""
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the thread to stop and wait for it."""
        self._stop.set()
        self._thread.join(timeout)

    def _loop(self) -> None:
        settings = self._app.config["INVSIM_SETTINGS"]
        due = {job.name: time.monotonic() for job in self._jobs}
        while not self._stop.is_set():
            for job in self._jobs:
                if time.monotonic() >= due[job.name]:
                    self._run_safely(job)
                    due[job.name] = time.monotonic() + job.interval(settings)
            self._stop.wait(0.5)

    def _run_safely(self, job: Job) -> None:
        try:
            run_job(self._app, job.name)
        except Exception:
            log.exception("job_failed", job=job.name)
