"""Run one saved backtest: claim it, load its bars, run it, store the result (or the error).

Called by the job (a Celery task in production, a thread when embedded). Each
step commits on its own so the status and progress are visible while it runs.
Safe to call twice: a run already finished is left alone, and a run deleted
meanwhile is simply not written.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import structlog
from flask import current_app

from invsim.backtest import serialize
from invsim.backtest.bars import BarsError, Panel
from invsim.backtest.data import load_panel as load_market_panel
from invsim.backtest.engine import RunSpec, run
from invsim.backtest.models import BacktestRun
from invsim.backtest.params import ParamError
from invsim.backtest.plans import (
    Plan,
    full_space,
    make_plan,
    sweep_module,
    walkforward_module,
)
from invsim.backtest.schemas import BacktestIn
from invsim.config import Settings
from invsim.core.clock import utcnow
from invsim.core.errors import DomainError
from invsim.extensions import db

log = structlog.get_logger("invsim.backtest")

Progress = Callable[[int], None]
MAX_ROWS = 500  # sweep rows kept on the run, best first
ROW_KEYS = frozenset({"final_equity", "total_return", "annualized_return", "volatility", "sharpe",
                      "sortino", "max_drawdown", "calmar", "trades", "win_rate",
                      "profit_factor", "exposure_time"})  # a row's figures kept (compact)
EXPECTED = (DomainError, BarsError, ParamError, ValueError, ArithmeticError)


def execute(run_id: int) -> None:
    """Run the saved request of `run_id` to the end; record `done` or `failed`."""
    request = _claim(run_id)
    if request is None:
        return
    try:
        plan = plan_for(BacktestIn.model_validate(request), settings())
        progress(run_id, 10)
        panel = load_panel(plan)
        progress(run_id, 40)
        summary, result = compute(plan, panel, lambda pct: progress(run_id, pct))
    except EXPECTED as error:
        _finish(run_id, status="failed", error=_one_line(error))
    except Exception as error:  # a bug must not leave the run "running" for ever
        log.exception("backtest_failed", run_id=run_id, error_type=type(error).__name__)
        _finish(run_id, status="failed", error="The run failed unexpectedly (see the server log).")
    else:
        _finish(run_id, status="done", summary=summary, result=result)


def settings() -> Settings:
    """Return the current app's settings."""
    value: Settings = current_app.config["INVSIM_SETTINGS"]
    return value


def plan_for(body: BacktestIn, config: Settings) -> Plan:
    """Check a request against this server's data and limits (see plans.make_plan)."""
    return make_plan(body, provider=config.market_data_provider,
                     margin_interest_rate=config.margin_interest_rate,
                     today=utcnow().date(), max_symbols=config.backtest_max_symbols)


def load_panel(plan: Plan) -> Panel:
    """Read the plan's daily bars from the market service (bt-cli's loader, as the CLI does)."""
    return load_market_panel(plan.symbols, plan.start, plan.end, plan.source)


def compute(plan: Plan, panel: Panel, report: Progress) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run the plan's kind; return (summary, result) as JSON-safe data."""
    if plan.kind == "run":
        outcome = run(RunSpec(plan.strategy, plan.params, plan.broker, plan.benchmark), panel)
        return serialize.summary_json(outcome), serialize.result_json(outcome)
    if plan.kind == "sweep":
        return _sweep(plan, panel, report)
    return _walk_forward(plan, panel, report)


def _sweep(plan: Plan, panel: Panel, report: Progress) -> tuple[dict[str, Any], dict[str, Any]]:
    """Search the space, then run the best parameters once more for their curves."""
    assert plan.sweep is not None and plan.space is not None
    core = sweep_module()

    def searched(done: int, total: int) -> None:
        # the search is 40 → 90 %; one commit per tenth of it at most
        percent = 40 + (50 * done) // max(total, 1)
        if percent // 5 != (40 + (50 * (done - 1)) // max(total, 1)) // 5:
            report(percent)

    found = core.run_sweep(plan.strategy, full_space(plan.params, plan.space), panel, plan.broker,
                           metric=plan.sweep.metric, mode=plan.sweep.mode,
                           samples=plan.sweep.samples, seed=plan.sweep.seed,
                           benchmark=plan.benchmark, progress=searched,
                           executor=sweep_executor())
    data: dict[str, Any] = serialize.plain(found.as_dict())
    data["rows"] = [{**row, "summary": {k: v for k, v in row["summary"].items() if k in ROW_KEYS}}
                    for row in data["rows"][:MAX_ROWS]]
    best_params = {**plan.params, **found.best_params}
    outcome = run(RunSpec(plan.strategy, best_params, plan.broker, plan.benchmark), panel)
    data["best_run"] = serialize.result_json(outcome)
    summary = {**serialize.summary_json(outcome), "metric": plan.sweep.metric,
               "combinations": found.combinations, "evaluated": len(found.rows),
               "skipped": found.skipped_count,
               "best_params": serialize.plain(found.best["params"])}
    return summary, data


def _walk_forward(plan: Plan, panel: Panel, report: Progress
                  ) -> tuple[dict[str, Any], dict[str, Any]]:
    """Optimise on each training window, test on the next; report both side by side."""
    assert plan.sweep is not None and plan.space is not None and plan.walk_forward is not None
    core = walkforward_module()
    space = full_space(plan.params, plan.space)
    found = core.walk_forward(plan.strategy, space, panel, plan.broker,
                              metric=plan.sweep.metric, mode=plan.sweep.mode,
                              samples=plan.sweep.samples, seed=plan.sweep.seed,
                              train_bars=plan.walk_forward.train_bars,
                              test_bars=plan.walk_forward.test_bars, benchmark=plan.benchmark,
                              executor=sweep_executor(),
                              progress=lambda done, total: report(40 + 55 * done // total))
    data: dict[str, Any] = serialize.plain(found.as_dict())
    aggregate = data.get("aggregate") or {}
    summary = {"metric": plan.sweep.metric, "windows": len(found.windows),
               "warning": found.warning,
               "in_sample_mean": aggregate.get("in_sample_mean"),
               "out_of_sample_mean": aggregate.get("out_of_sample_mean"),
               **{k: v for k, v in (aggregate.get("out_of_sample") or {}).items()
                  if k in ("final_equity", "total_return", "sharpe", "max_drawdown")}}
    return summary, data


def sweep_executor() -> Any:
    """Where a sweep's chunks run: the Celery workers in production, this process embedded."""
    config = settings()
    if not config.production:
        return None
    import redis

    fanout = importlib.import_module("invsim.backtest.fanout")
    return fanout.CeleryExecutor(celery_app(config.redis_url),
                                 redis.Redis.from_url(config.redis_url))


_celery_apps: dict[str, Any] = {}


def celery_app(redis_url: str) -> Any:
    """Return a Celery client on this app's REDIS_URL (built once per URL), to send tasks."""
    if redis_url not in _celery_apps:
        # imported by name: invsim.worker registers this domain's tasks, so no import cycle
        _celery_apps[redis_url] = importlib.import_module("invsim.worker").create_celery(redis_url)
    return _celery_apps[redis_url]


def progress(run_id: int, percent: int) -> None:
    """Record how far the run is (0–100), in its own short transaction."""
    with db.transaction() as session:
        row = session.get(BacktestRun, run_id)
        if row is not None and row.status == "running":
            row.progress = max(row.progress, min(100, percent))


def _claim(run_id: int) -> dict[str, Any] | None:
    """Mark the run running and return its request; None if it is gone or already finished."""
    with db.transaction() as session:
        row = session.get(BacktestRun, run_id)
        if row is None or row.status in ("done", "failed"):
            return None
        # a redelivered task (its worker died) starts the run again from the beginning
        row.status, row.progress, row.started_at = "running", 5, utcnow()
        return dict(row.request)


def _finish(run_id: int, *, status: str, summary: dict[str, Any] | None = None,
            result: dict[str, Any] | None = None, error: str | None = None) -> None:
    """Store the outcome; a run deleted meanwhile stays deleted."""
    with db.transaction() as session:
        row = session.get(BacktestRun, run_id)
        if row is None:
            return
        row.status, row.summary, row.result, row.error = status, summary, result, error
        row.progress = 100
        row.finished_at = utcnow()


def _one_line(error: Exception) -> str:
    """Return an error's message on one line, bounded."""
    message = error.message if isinstance(error, DomainError) else str(error)
    return " ".join(message.split())[:500] or type(error).__name__
