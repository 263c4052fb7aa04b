"""The matching job: evaluate every open order against the current prices, expire the overdue.

One pass reads the open book without locks and evaluates it with the pure engine
to find the portfolios with something to do (a fill, a cancel, a moved trailing
stop, an expiry). Each of those portfolios is then handled in its own
transaction: lock it (PostgreSQL: FOR UPDATE SKIP LOCKED, so a second job skips
what the first is working on), re-read its open orders, evaluate them again and
write the results. Re-reading inside the lock is what makes two concurrent jobs
safe: an order a job filled is no longer open when the other one looks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import structlog
from sqlalchemy import select

from invsim.core.clock import utcnow
from invsim.core.money import ZERO
from invsim.extensions import db
from invsim.portfolios.models import Portfolio, Position
from invsim.portfolios.rules import for_instrument, load_rules
from invsim.trading import engine, prices
from invsim.trading.fills import FillContext, apply_result
from invsim.trading.models import Order
from invsim.trading.order_book import OPEN_VALUES, filled_since, set_status, spec_of
from invsim.trading.outcome import Action, MatchResult
from invsim.trading.prices import InstrumentFacts, Mark
from invsim.trading.rules import TradingRules
from invsim.trading.snapshot import MarketSnapshot
from invsim.trading.state import OrderStatus
from invsim.trading.tif import is_expired

log = structlog.get_logger("invsim.matching")

View = tuple[Mark, MarketSnapshot]


@dataclass
class MatchReport:
    """What one matching run did."""

    open_orders: int = 0
    portfolios: int = 0
    fills: int = 0
    canceled: int = 0
    rejected: int = 0
    expired: int = 0
    updated: int = 0
    skipped_locked: int = 0
    errors: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Return the report as plain data (for logs and the CLI)."""
        return {k: v for k, v in vars(self).items() if k != "by_status"}


class Book:
    """Per-run caches: each portfolio's rules and each symbol's instrument facts."""

    def __init__(self, now: datetime, views: Mapping[str, View]) -> None:
        self.now = now
        self.views = views
        self._rules: dict[int, TradingRules] = {}
        self._facts: dict[str, InstrumentFacts | None] = {}

    def rules(self, portfolio_id: int, stored: dict[str, Any]) -> TradingRules:
        """Return a portfolio's engine rules, parsed once per run."""
        found = self._rules.get(portfolio_id)
        if found is None:
            found = self._rules[portfolio_id] = load_rules(stored).trading_rules()
        return found

    def order_rules(self, base: TradingRules, symbol: str) -> TradingRules:
        """Narrow a portfolio's rules to one instrument (whole shares where it cannot split)."""
        if symbol not in self._facts:
            try:
                self._facts[symbol] = prices.instrument(symbol)
            except Exception:  # an instrument the market no longer lists keeps the rules
                self._facts[symbol] = None
        facts = self._facts[symbol]
        return base if facts is None else for_instrument(base, fractionable=facts.fractionable)


def match_open_orders(now: datetime | None = None) -> MatchReport:
    """Run one matching pass over every open order; safe to run concurrently and twice."""
    now = now or utcnow()
    report = MatchReport()
    book_rows = _open_book()
    report.open_orders = len(book_rows)
    if not book_rows:
        return report
    stored = _stored_rules({o.portfolio_id for o in book_rows})
    _end_reads()
    book = Book(now, prices.market_views({o.symbol for o in book_rows}, now))
    due = _portfolios_to_visit(book, book_rows, stored)
    _end_reads()
    for portfolio_id in sorted(due):
        _match_portfolio_safely(portfolio_id, book, report)
    return report


def _end_reads() -> None:
    """End the read-only transaction (commit keeps the loaded rows usable; SQLite's lock goes)."""
    db.session.commit()


def _open_book() -> list[Order]:
    """Read every open order (no lock: this pass only decides where to look)."""
    return list(db.session.scalars(
        select(Order).where(Order.status.in_(OPEN_VALUES)).order_by(Order.id)
        .execution_options(populate_existing=True)
    ))


def _stored_rules(portfolio_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Read the stored rules of the portfolios that have open orders."""
    rows = db.session.execute(
        select(Portfolio.id, Portfolio.rules).where(Portfolio.id.in_(list(portfolio_ids)))
    )
    return {pid: rules for pid, rules in rows}


def _bar_fills(book: Book, orders: Sequence[Order]) -> dict[int, Decimal]:
    """Return each partly filled order's quantity filled in its symbol's current bar."""
    totals: dict[int, Decimal] = {}
    by_start: dict[datetime, list[Order]] = defaultdict(list)
    for order in orders:
        view = book.views.get(order.symbol)
        if order.fill_count and view is not None and view[1].bar is not None:
            by_start[view[1].bar.start].append(order)
    for start, group in by_start.items():
        totals.update(filled_since(group, start))
    return totals


def _evaluate(
    book: Book, order: Order, rules: TradingRules, this_bar: Decimal
) -> MatchResult | None:
    """Evaluate one order against its symbol's snapshot (None when no price is known)."""
    view = book.views.get(order.symbol)
    if view is None:
        return None
    return engine.evaluate(spec_of(order, this_bar), view[1], book.order_rules(rules, order.symbol))


def _needs_visit(order: Order, result: MatchResult | None, now: datetime) -> bool:
    """Say whether an order has something to write: a trade, a status, a moved stop, an expiry."""
    if is_expired(order.expires_at, now):
        return True
    if result is None:
        return False
    if result.action is not Action.WAIT:
        return True
    return (result.stop_triggered != order.stop_triggered or result.stop_price != order.stop_price
            or result.water_mark != order.hwm)


def _portfolios_to_visit(
    book: Book, orders: Sequence[Order], stored: Mapping[int, dict[str, Any]]
) -> set[int]:
    """Return the portfolios where at least one open order has something to write."""
    this_bar = _bar_fills(book, orders)
    due: set[int] = set()
    for order in orders:
        if order.portfolio_id in due or order.portfolio_id not in stored:
            continue
        rules = book.rules(order.portfolio_id, stored[order.portfolio_id])
        result = _evaluate(book, order, rules, this_bar.get(order.id, ZERO))
        if _needs_visit(order, result, book.now):
            due.add(order.portfolio_id)
    return due


def _match_portfolio_safely(portfolio_id: int, book: Book, report: MatchReport) -> None:
    """Match one portfolio; a failure is logged and rolled back, never stops the run."""
    try:
        with db.transaction():
            _match_portfolio(portfolio_id, book, report)
    except Exception:
        report.errors += 1
        log.exception("matching_failed", portfolio_id=portfolio_id)


def _lock(portfolio_id: int) -> Portfolio | None:
    """Lock the portfolio, or return None if another worker holds it (PostgreSQL)."""
    session = db.session()
    session.expire_all()
    return session.scalar(
        select(Portfolio).where(Portfolio.id == portfolio_id)
        .with_for_update(skip_locked=True).execution_options(populate_existing=True)
    )


def _match_portfolio(portfolio_id: int, book: Book, report: MatchReport) -> None:
    """Evaluate and write one locked portfolio's open orders, oldest first."""
    portfolio = _lock(portfolio_id)
    if portfolio is None:
        report.skipped_locked += 1
        return
    report.portfolios += 1
    orders = list(db.session.scalars(
        select(Order).where(Order.portfolio_id == portfolio_id, Order.status.in_(OPEN_VALUES))
        .order_by(Order.id).execution_options(populate_existing=True)
    ))
    rules = book.rules(portfolio.id, portfolio.rules)
    ctx = FillContext(portfolio=portfolio, rules=rules, open_orders=orders,
                      marks={s: v[0] for s, v in book.views.items()},
                      positions=_positions(portfolio))
    this_bar = _bar_fills(book, orders)
    for order in orders:
        _match_order(order, book, rules, ctx, this_bar.get(order.id, ZERO), report)


def _positions(portfolio: Portfolio) -> dict[str, Decimal]:
    """Return the portfolio's current signed quantities by symbol."""
    rows = db.session.execute(
        select(Position.symbol, Position.qty).where(Position.portfolio_id == portfolio.id,
                                                    Position.generation == portfolio.generation)
    )
    return {symbol: qty for symbol, qty in rows}


def _match_order(
    order: Order, book: Book, rules: TradingRules, ctx: FillContext, this_bar: Decimal,
    report: MatchReport,
) -> None:
    """Evaluate one order inside the lock, write the result, then expire it if overdue."""
    if order.status not in OPEN_VALUES:
        return
    result = _evaluate(book, order, rules, this_bar)
    if result is not None:
        before = (order.status, order.fill_count, order.stop_price, order.hwm)
        apply_result(order, result, ctx, book.now)
        _count(report, order, result, before)
    if order.status in OPEN_VALUES and is_expired(order.expires_at, book.now):
        set_status(order, OrderStatus.EXPIRED, book.now, "time_in_force_expired")
        report.expired += 1


def _count(report: MatchReport, order: Order, result: MatchResult, before: tuple[Any, ...]) -> None:
    """Add one evaluation's outcome to the report."""
    if order.fill_count > before[1]:
        report.fills += 1
    elif order.status == OrderStatus.CANCELED.value and before[0] != order.status:
        report.canceled += 1
    elif order.status == OrderStatus.REJECTED.value:
        report.rejected += 1
    elif (order.stop_price, order.hwm) != before[2:]:
        report.updated += 1
