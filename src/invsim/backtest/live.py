"""Run live strategies: on each new daily bar, decide once and place the orders for real.

For each active live strategy the job loads its symbols' daily bars up to the
latest complete one (from the market service), lets the built-in strategy decide
on that bar (`live_decide`, the backtest's own classes), claims the bar with a
guarded UPDATE of `last_bar_at` and then places the orders through the trading
service with source "strategy" — the path of a user's order, so fills, ledger and
analytics are those of any portfolio. Idempotent: the claim lets one job decide a
bar (a second job, or a retried task, finds it taken and places nothing), and each
order's client_order_id names the strategy, the bar and the order's position
(`ls<id>-<YYYYMMDD>-<n>`), which the trading service never trades twice.

The claim comes before the placements: a crash between them skips that bar's
orders rather than risk placing them twice (at most once per bar).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import structlog
from sqlalchemy import or_, select, update

from invsim.backtest.bars import BarsError, Panel
from invsim.backtest.live_data import (
    CompleteBar,
    account_of,
    daily_panel,
    latest_complete_bar,
    sizing_for,
)
from invsim.backtest.live_decide import Decision, decide
from invsim.backtest.live_models import LiveStrategy
from invsim.backtest.live_orders import Skip, live_request, selling_first
from invsim.backtest.orders import OrderRequest as StrategyOrder
from invsim.backtest.params import ParamError
from invsim.backtest.strategies import BUILTINS
from invsim.core.clock import utcnow
from invsim.core.errors import DomainError, NotFound
from invsim.extensions import db
from invsim.portfolios import service as portfolios
from invsim.trading import service as trading

log = structlog.get_logger("invsim.backtest.live")

SOURCE = "strategy"
MAX_WARMUP_BARS = 1100
MIN_WARMUP_BARS = 30
CANCEL_REASON = "canceled_by_strategy"


@dataclass(slots=True)
class LiveReport:
    """What one run of the job did."""

    evaluated: int = 0
    placed: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Outcome:
    """What one strategy did on one bar: orders placed, and the problems met."""

    placed: int = 0
    problems: list[str] = field(default_factory=list)


def run_live_strategies(now: datetime | None = None) -> LiveReport:
    """Decide every active live strategy on the latest complete bar (the scheduled job)."""
    now = now or utcnow()
    report = LiveReport()
    bar = latest_complete_bar(now)
    if bar is None:
        return report
    for live_id in _active_due(bar):
        try:
            outcome = evaluate(live_id, bar, now)
        except Exception:  # one broken strategy must not stop the others
            log.exception("live_strategy_failed", live_strategy_id=live_id)
            db.session.rollback()
            _record(live_id, now, ["internal error: see the server log"], 0)
            report.errors.append(f"{live_id}: internal error")
            continue
        if outcome is None:
            report.skipped += 1
            continue
        report.evaluated += 1
        report.placed += outcome.placed
        report.errors += [f"{live_id}: {p}" for p in outcome.problems]
    return report


def _active_due(bar: CompleteBar) -> list[int]:
    """Return the ids of active strategies that have not decided this bar yet."""
    with db.read() as session:
        ls = LiveStrategy
        return [int(i) for i in session.scalars(
            select(ls.id).where(ls.status == "active",
                                or_(ls.last_bar_at.is_(None), ls.last_bar_at < bar.start))
            .order_by(ls.id))]


def evaluate(live_id: int, bar: CompleteBar, now: datetime) -> Outcome | None:
    """Decide one live strategy on `bar` and place its orders; None when nothing was due."""
    row = db.session.get(LiveStrategy, live_id)
    if row is None or row.status != "active":
        return None
    portfolio = _portfolio(row, now)
    if portfolio is None:
        return None
    try:
        decided = _decisions(row, portfolio, bar)
    except (ParamError, BarsError, DomainError) as error:
        db.end_read()
        _record(live_id, now, [_message(error)], 0)
        return Outcome(problems=[_message(error)])
    if decided is None:
        db.end_read()
        return None
    decisions, decided_bar = decided
    db.end_read()
    if not claim(live_id, decided_bar, now):
        return None
    outcome = _place_all(row.id, row.user_id, row.portfolio_id, decisions, decided_bar, now)
    _record(live_id, now, outcome.problems, outcome.placed)
    return outcome


def _portfolio(row: LiveStrategy, now: datetime) -> Any:
    """Return the strategy's portfolio, or stop the strategy when it is gone or forbids it."""
    try:
        portfolio = portfolios.get_portfolio(owner_id=row.user_id, portfolio_id=row.portfolio_id)
    except NotFound:
        _set_status(row.id, "stopped", now, "the portfolio was archived")
        return None
    if not portfolios.rules_of(portfolio).strategy_trading:
        _set_status(row.id, "error", now, "this portfolio's rules do not allow live strategies")
        return None
    return portfolio


def _decisions(row: LiveStrategy, portfolio: Any,
               bar: CompleteBar) -> tuple[list[Decision], datetime] | None:
    """Return the strategy's decisions on the last complete bar, and that bar's start."""
    strategy = BUILTINS.get(row.strategy)
    if strategy is None:
        raise ParamError(f"unknown strategy {row.strategy}")
    panel = daily_panel(list(row.symbols), row.start_bar_at - warmup_span(row.params), bar.start)
    if not panel.times or panel.times[-1] < row.start_bar_at:
        return None
    decided_bar = panel.times[-1]
    if row.last_bar_at is not None and decided_bar <= row.last_bar_at:
        return None
    start_step = _first_step_at(panel, row.start_bar_at)
    account = account_of(portfolio, own_prefix(row.id))
    return decide(strategy, row.params, panel, start_step, account), decided_bar


def warmup_span(params: dict[str, Any]) -> timedelta:
    """Return how much history before the first live bar feeds the indicators.

    The longest look-back a built-in strategy takes is one of its integer
    parameters; 7 calendar days hold 5 sessions, and holidays take a few more.
    """
    lengths = [v for v in params.values() if isinstance(v, int) and not isinstance(v, bool)]
    bars = min(MAX_WARMUP_BARS, max([MIN_WARMUP_BARS, *lengths]) + 2)
    return timedelta(days=bars * 7 // 5 + 15)


def _first_step_at(panel: Panel, at: datetime) -> int:
    """Return the first calendar step at or after `at`."""
    return next(step for step, time in enumerate(panel.times) if time >= at)


def own_prefix(live_id: int) -> str:
    """Return the client_order_id prefix of a live strategy's orders."""
    return f"ls{live_id}-"


def client_order_id(live_id: int, bar: datetime, position: int) -> str:
    """Return the one client_order_id of a strategy's `position`-th order on `bar`."""
    return f"{own_prefix(live_id)}{bar:%Y%m%d}-{position}"


def claim(live_id: int, bar: datetime, now: datetime) -> bool:
    """Take `bar` for this run: True for exactly one caller, however many race for it."""
    ls = LiveStrategy
    with db.transaction() as session:
        result = session.execute(
            update(ls).where(ls.id == live_id, ls.status == "active",
                             or_(ls.last_bar_at.is_(None), ls.last_bar_at < bar))
            .values(last_bar_at=bar, last_run_at=now, updated_at=now)
            .execution_options(synchronize_session=False))
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _place_all(live_id: int, user_id: int, portfolio_id: int, decisions: list[Decision],
               bar: datetime, now: datetime) -> Outcome:
    """Carry out the bar's cancels, then its orders in turn (sells first, as the backtest)."""
    outcome = Outcome()
    portfolio = portfolios.get_portfolio(owner_id=user_id, portfolio_id=portfolio_id)
    for order_id in [d.cancel_order_id for d in decisions if d.cancel_order_id is not None]:
        _attempt(outcome, f"cancel {order_id}", partial(
            trading.cancel_order, owner_id=user_id, order_id=order_id, reason=CANCEL_REASON))
    orders = [d.request for d in decisions if d.request is not None]
    for position, order in _sells_first(portfolio, orders, now):
        label = f"{order.symbol} {order.side.value}"
        cid = client_order_id(live_id, bar, position)
        if _attempt(outcome, label, partial(_place_one, portfolio, order, cid, now)):
            outcome.placed += 1
    return outcome


def _sells_first(portfolio: Any, orders: list[StrategyOrder],
                 now: datetime) -> list[tuple[int, StrategyOrder]]:
    """Return the orders with their positions in the strategy's list, the sells first."""
    def sells(order: StrategyOrder) -> bool:
        if order.target_weight is None:
            return selling_first(order, None)
        try:
            return selling_first(order, sizing_for(portfolio, order.symbol, now))
        except DomainError:
            return False  # no quote now: placing it will say so

    ranked = sorted(enumerate(orders), key=lambda pair: not sells(pair[1]))
    db.end_read()
    return ranked


def _place_one(portfolio: Any, order: StrategyOrder, cid: str, now: datetime) -> bool:
    """Size one order on the account as it is now and place it; False when nothing trades."""
    sizing = sizing_for(portfolio, order.symbol, now)
    db.end_read()
    try:
        request = live_request(order, sizing, cid)
    except Skip as skipped:
        log.info("live_order_skipped", client_order_id=cid, reason=str(skipped))
        return False
    trading.place_order(owner_id=portfolio.user_id, portfolio_id=portfolio.id,
                        request=request, source=SOURCE)
    return True


def _attempt(outcome: Outcome, label: str, action: Callable[[], Any]) -> bool:
    """Run one trading call; a refusal is noted on the strategy, never raised."""
    try:
        done = action()
    except DomainError as error:
        db.session.rollback()
        outcome.problems.append(f"{label}: {error.code}")
        return False
    return done is not False


def _message(error: Exception) -> str:
    """Return an error's one-line message."""
    return getattr(error, "message", None) or str(error)


def _record(live_id: int, now: datetime, problems: list[str], placed: int) -> None:
    """Store the run's problems (None when it went well) and count the orders placed."""
    with db.transaction() as session:
        row = session.get(LiveStrategy, live_id)
        if row is None:
            return
        row.last_run_at = row.updated_at = now
        row.last_error = "; ".join(problems)[:500] or None
        row.orders_placed += placed


def _set_status(live_id: int, status: str, now: datetime, reason: str) -> None:
    """Move a strategy to `status` with the reason as its last error."""
    db.end_read()
    with db.transaction() as session:
        row = session.get(LiveStrategy, live_id)
        if row is not None:
            row.status, row.last_error = status, reason
            row.last_run_at = row.updated_at = now
