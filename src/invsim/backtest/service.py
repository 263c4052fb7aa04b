"""The backtest domain's public entry point: built-in strategies, saved runs and their jobs.

A request is checked completely (strategy, parameters, dates, symbols with bars,
the sweep's size, the user's limits) before its row is written; the run itself
happens in a background job (see jobs.py) and records its progress and result
on the row. Another user's run is "not found".
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select, text

from invsim.backtest import ENGINE_VERSION, jobs, serialize
from invsim.backtest.market_bars import symbols_without_bars
from invsim.backtest.models import ACTIVE_STATUSES, BacktestRun
from invsim.backtest.plans import Plan, walkforward_module
from invsim.backtest.runner import execute, load_panel, plan_for, settings
from invsim.backtest.schemas import BacktestIn
from invsim.backtest.strategies import BUILTINS
from invsim.config import Settings
from invsim.core.clock import utcnow
from invsim.core.errors import NotFound, RateLimited, ServiceUnavailable, ValidationFailed
from invsim.extensions import db, stores

__all__ = ["builtin_strategies", "compare_runs", "create_run", "delete_run", "execute_run",
           "get_run", "limits", "list_runs"]

MAX_COMPARE = 10
DAILY_KEY = "backtest:daily:{user}:{day}"

execute_run = execute


def builtin_strategies() -> list[dict[str, Any]]:
    """Return every built-in strategy with its parameters (type, default, range, help)."""
    return [{"name": name, "summary": cls.summary,
             "description": " ".join((cls.__doc__ or "").split()),
             "params": [{"name": pname, **param.describe()}
                        for pname, param in cls.params.items()]}
            for name, cls in BUILTINS.items()]


def limits() -> dict[str, int]:
    """Return this server's per-user limits on backtests."""
    config = settings()
    return {"concurrent": config.backtest_max_concurrent, "daily": config.backtest_max_daily,
            "symbols": config.backtest_max_symbols}


def create_run(*, owner_id: int, body: BacktestIn) -> BacktestRun:
    """Check the request, save it as a queued run within the user's limits, and queue its job."""
    config = settings()
    plan = plan_for(body, config)
    missing = symbols_without_bars(plan.symbols, plan.start, plan.end)
    if missing:
        raise ValidationFailed(f"No daily bars for {', '.join(missing)} between "
                               f"{body.start} and {body.end}.", code="no_data",
                               details={"symbols": missing})
    if plan.walk_forward is not None:
        _check_windows(plan)
    with db.transaction() as session:
        _lock_user(session, owner_id)
        _check_limits(session, owner_id, config)
        row = BacktestRun(user_id=owner_id, status="queued", progress=0, kind=plan.kind,
                          request=body.model_dump(mode="json", exclude_none=True),
                          provenance=provenance(plan, body, config))
        session.add(row)
        session.flush()
        run_id = row.id
    try:
        jobs.dispatch(run_id)
    except Exception as error:  # the broker is down: say so, and do not leave it queued
        _mark_undispatched(run_id)
        raise ServiceUnavailable("The job queue is not reachable; try again shortly.",
                                 code="queue_unavailable") from error
    return get_run(owner_id=owner_id, run_id=run_id)


def provenance(plan: Plan, body: BacktestIn, config: Settings) -> dict[str, Any]:
    """Return where the data came from and everything the result depends on."""
    simulated = plan.source == "simulated"
    rules = plan.broker.rules
    return {
        "source": plan.source, "interval": "1d",
        "start": body.start.isoformat(), "end": body.end.isoformat(),
        "market_seed": config.market_seed if simulated else None,
        "market_calendar": config.market_calendar if simulated else None,
        "symbols": plan.symbols, "benchmark": plan.benchmark,
        "strategy": plan.strategy.name, "params": serialize.plain(plan.params),
        "engine_version": ENGINE_VERSION,
        "account": {"cash": str(plan.broker.cash),
                    "commission": serialize.plain(asdict(rules.commission)),
                    "slippage_bps": str(rules.slippage_bps),
                    "account_type": rules.account_type.value,
                    "allow_short": rules.allow_short,
                    "max_volume_share": serialize.plain(rules.max_volume_share),
                    "margin_interest_rate": str(plan.broker.margin_interest_rate)},
    }


def get_run(*, owner_id: int, run_id: int) -> BacktestRun:
    """Return one of the user's runs (another user's is not found)."""
    with db.read() as session:
        row = session.get(BacktestRun, run_id)
        if row is None or row.user_id != owner_id:
            raise NotFound("No such backtest.", code="backtest_not_found",
                           details={"id": run_id})
        return row


def run_state(run_id: int) -> dict[str, Any]:
    """Return a run's status and summary by id, for the job runners (no owner check)."""
    with db.read() as session:
        row = session.get(BacktestRun, run_id)
        if row is None:
            raise NotFound("No such backtest.", code="backtest_not_found",
                           details={"id": run_id})
        return {"run_id": run_id, "status": row.status, "error": row.error,
                "summary": row.summary}


def list_runs(*, owner_id: int, limit: int, offset: int) -> tuple[list[BacktestRun], int]:
    """Return a page of the user's runs, newest first, and how many there are."""
    with db.read() as session:
        total = session.scalar(select(func.count()).select_from(BacktestRun)
                               .where(BacktestRun.user_id == owner_id)) or 0
        rows = list(session.scalars(
            select(BacktestRun).where(BacktestRun.user_id == owner_id)
            .order_by(BacktestRun.id.desc()).limit(limit).offset(offset)))
        return rows, int(total)


def delete_run(*, owner_id: int, run_id: int) -> None:
    """Delete one of the user's runs (a running job finishes without writing)."""
    with db.transaction() as session:
        row = session.get(BacktestRun, run_id)
        if row is None or row.user_id != owner_id:
            raise NotFound("No such backtest.", code="backtest_not_found",
                           details={"id": run_id})
        session.delete(row)


def compare_runs(*, owner_id: int, ids: list[int]) -> list[BacktestRun]:
    """Return the user's runs in the order asked; any id not theirs is not found."""
    wanted = list(dict.fromkeys(ids))
    if not 1 <= len(wanted) <= MAX_COMPARE:
        raise ValidationFailed(f"Compare 1 to {MAX_COMPARE} runs.", code="invalid_compare",
                               details={"limit": MAX_COMPARE})
    with db.read() as session:
        rows = {row.id: row for row in session.scalars(
            select(BacktestRun).where(BacktestRun.user_id == owner_id,
                                      BacktestRun.id.in_(wanted)))}
    missing = [i for i in wanted if i not in rows]
    if missing:
        raise NotFound("No such backtest.", code="backtest_not_found",
                       details={"ids": missing})
    return [rows[i] for i in wanted]


def _check_windows(plan: Plan) -> None:
    """Refuse a walk-forward whose windows do not fit the data (it needs the bars counted)."""
    assert plan.walk_forward is not None
    try:
        steps = len(load_panel(plan).times)
        walkforward_module().windows(steps, plan.walk_forward.train_bars,
                                     plan.walk_forward.test_bars)
    except ValueError as error:  # BarsError and SweepError are ValueErrors with one line
        raise ValidationFailed(str(error), code="invalid_walk_forward") from None


def _lock_user(session: Any, owner_id: int) -> None:
    """Serialise one user's submissions so two at once cannot both pass the limits.

    SQLite's use-case transaction already holds the write lock (BEGIN IMMEDIATE);
    PostgreSQL locks the user's row (a lock only: nothing of users is read or written).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT id FROM users WHERE id = :id FOR UPDATE"), {"id": owner_id})


def _check_limits(session: Any, owner_id: int, config: Settings) -> None:
    """Refuse a run over the concurrent or daily limit (429 with Retry-After)."""
    active = session.scalar(select(func.count()).select_from(BacktestRun).where(
        BacktestRun.user_id == owner_id, BacktestRun.status.in_(ACTIVE_STATUSES))) or 0
    if active >= config.backtest_max_concurrent:
        raise RateLimited(f"At most {config.backtest_max_concurrent} backtests run at once; "
                          "wait for one to finish.", retry_after=10,
                          code="too_many_running",
                          details={"limit": config.backtest_max_concurrent})
    now = utcnow()
    midnight = datetime.combine(now.date() + timedelta(days=1), time.min, UTC)
    # Counted in the key-value store so deleting runs does not give the day's runs back.
    key = DAILY_KEY.format(user=owner_id, day=now.date().isoformat())
    used = stores.kv.incr(key, ttl_seconds=2 * 86400)
    if used > config.backtest_max_daily:
        raise RateLimited(f"At most {config.backtest_max_daily} backtests a day; the count "
                          "starts again at 00:00 UTC.",
                          retry_after=int((midnight - now).total_seconds()) + 1,
                          code="daily_limit", details={"limit": config.backtest_max_daily})


def _mark_undispatched(run_id: int) -> None:
    """Fail a run whose job could not be queued."""
    with db.transaction() as session:
        row = session.get(BacktestRun, run_id)
        if row is not None:
            row.status, row.progress, row.finished_at = "failed", 100, utcnow()
            row.error = "The job queue was not reachable."
