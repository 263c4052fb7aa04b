"""Margin upkeep: the maintenance check that liquidates, and the daily interest on borrowed cash.

Both visit margin portfolios one at a time, each in its own transaction with the
portfolio locked (skipping one another worker holds), so they are safe to run
twice or on two workers at once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

import structlog
from flask import current_app
from sqlalchemy import select

from invsim.core.clock import utcnow
from invsim.core.money import ZERO, money
from invsim.extensions import db
from invsim.portfolios import service as portfolios
from invsim.portfolios.models import CashEntry, Portfolio
from invsim.trading import marks as prices
from invsim.trading.account import account_state
from invsim.trading.amend import cancel_open_orders
from invsim.trading.engine import margin
from invsim.trading.engine.rules import TradingRules
from invsim.trading.engine.snapshot import MarketSnapshot
from invsim.trading.engine.state import OrderStatus, OrderType, TimeInForce
from invsim.trading.fills import FillContext, execute
from invsim.trading.models import Order
from invsim.trading.order_rows import record_new, set_status

log = structlog.get_logger("invsim.margin")

DAYS_PER_YEAR = Decimal(360)  # brokers accrue margin interest on a 360-day year


@dataclass
class MarginReport:
    """What one maintenance run found and did."""

    checked: int = 0
    margin_calls: int = 0
    liquidations: int = 0
    deferred: int = 0
    skipped_locked: int = 0
    portfolio_ids: list[int] = field(default_factory=list)


def _margin_portfolio_ids() -> list[int]:
    """Return the live margin portfolios."""
    ids = list(db.session.scalars(
        select(Portfolio.id).where(Portfolio.account_type == "margin",
                                   Portfolio.archived_at.is_(None)).order_by(Portfolio.id)))
    db.end_read()
    return ids


def _lock_skipping(portfolio_id: int) -> Portfolio | None:
    """Lock a portfolio, or return None when another worker holds it (PostgreSQL)."""
    session = db.session()
    session.expire_all()
    return session.scalar(select(Portfolio).where(Portfolio.id == portfolio_id)
                          .with_for_update(skip_locked=True)
                          .execution_options(populate_existing=True))


def check_margin(now: datetime | None = None) -> MarginReport:
    """Liquidate margin portfolios whose equity fell below maintenance, largest position first."""
    report = MarginReport()
    for portfolio_id in _margin_portfolio_ids():
        with db.transaction():
            portfolio = _lock_skipping(portfolio_id)
            if portfolio is None:
                report.skipped_locked += 1
                continue
            report.checked += 1
            _maintain(portfolio, now or utcnow(), report)
    return report


def _maintain(portfolio: Portfolio, now: datetime, report: MarginReport) -> None:
    """Check one locked portfolio and liquidate it if it is in a margin call."""
    rules = portfolios.rules_of(portfolio).trading_rules()
    state = account_state(portfolio, rules)
    book, used = margin.Exposure(state.long_value, state.short_value), state.prices
    if not margin.is_margin_call(state.equity, book):
        return
    report.margin_calls += 1
    report.portfolio_ids.append(portfolio.id)
    views = prices.market_views(used, now)
    if len(views) < len(used) or any(v[1].stale or not v[1].in_session for v in views.values()):
        report.deferred += 1  # no trustworthy price or a closed market: try again next run
        log.warning("margin_call_deferred", portfolio_id=portfolio.id, equity=str(state.equity))
        return
    cancel_open_orders(portfolio, "margin_call")
    holdings = [margin.Holding(p.symbol, p.qty) for p in state.positions]
    plan = margin.liquidation_plan(holdings, used, state.equity)
    ctx = FillContext(portfolio=portfolio, rules=rules, marks=state.marks,
                      positions={p.symbol: p.qty for p in state.positions}, liquidation=True)
    for step in plan:
        _liquidate(portfolio, step, views[step.symbol][1], rules, ctx, now)
        report.liquidations += 1
    log.warning("margin_call_liquidated", portfolio_id=portfolio.id, closed=len(plan))


def _liquidate(portfolio: Portfolio, step: margin.Liquidation, market: MarketSnapshot,
               rules: TradingRules, ctx: FillContext, now: datetime) -> None:
    """Close one position at market, whole (no volume cap), with `liquidation` cash entries."""
    order = Order(
        portfolio_id=portfolio.id, generation=portfolio.generation,
        client_order_id=f"liquidation-{uuid.uuid4().hex[:24]}", request_hash="liquidation",
        source="liquidation", symbol=step.symbol, side=step.side.value,
        type=OrderType.MARKET.value, time_in_force=TimeInForce.DAY.value, qty=step.qty,
        stop_triggered=False, filled_qty=ZERO, filled_notional=ZERO, commission=ZERO,
        fill_count=0,
    )
    record_new(order, now)
    set_status(order, OrderStatus.ACCEPTED, now, "margin_call")
    whole = replace(rules, max_volume_share=None, fractional=True)
    execute(order, market, whole, ctx, now)
    if order.status in (OrderStatus.ACCEPTED.value, OrderStatus.PARTIALLY_FILLED.value):
        set_status(order, OrderStatus.CANCELED, now, "liquidation_not_filled")


def _interest_rate() -> Decimal:
    """Return the yearly margin interest rate from the settings."""
    return Decimal(current_app.config["INVSIM_SETTINGS"].margin_interest_rate)


def charge_margin_interest(on: date | None = None) -> int:
    """Charge one day's interest on negative cash of every margin portfolio, once per day.

    The entry's idempotency key is the day, so a second run (or a second worker)
    charges nothing; a day the job never ran is not charged afterwards.
    """
    day = on or utcnow().date()
    yearly = _interest_rate()
    charged = 0
    for portfolio_id in _margin_portfolio_ids():
        with db.transaction():
            portfolio = _lock_skipping(portfolio_id)
            if portfolio is not None and _charge(portfolio, day, yearly):
                charged += 1
    return charged


def _charge(portfolio: Portfolio, day: date, yearly: Decimal) -> bool:
    """Post one day's interest on a locked portfolio's borrowed cash; False if nothing to do."""
    key = f"interest:{day.isoformat()}"
    if portfolio.cash >= ZERO or _already_posted(portfolio.id, key):
        return False
    amount = money(portfolio.cash * yearly / DAYS_PER_YEAR)
    if amount == ZERO:
        return False
    portfolios.post_cash_entry(
        portfolio=portfolio, kind="interest", amount=amount, idempotency_key=key,
        memo=f"margin interest for {day.isoformat()} on {-portfolio.cash:f} "
             f"at {(yearly * 100).normalize():f} % a year",
    )
    return True


def _already_posted(portfolio_id: int, key: str) -> bool:
    """Say whether a cash entry with this idempotency key exists."""
    return db.session.scalar(select(CashEntry.id).where(
        CashEntry.portfolio_id == portfolio_id, CashEntry.idempotency_key == key)) is not None
