"""The matching job: evaluate every open order against the current prices, expire the overdue.

One pass reads the open book without locks (plain rows, no ORM objects) and
evaluates it with the pure engine. What it finds falls in two kinds:

- an order that only moves its stop state (a trailing stop's mark, a stop that
  fired but cannot trade yet) touches no balance: it is written by a guarded
  UPDATE that only applies while the order is still open with the state this
  pass read, so a concurrent fill, cancel or second job simply wins;
- anything that fills, cancels, rejects or expires an order is done under the
  portfolio's lock. Portfolios are locked in batches (PostgreSQL: FOR UPDATE
  SKIP LOCKED, so a second job skips what the first is working on), their open
  orders re-read and evaluated again inside the lock, and the batch committed
  once. If a batch fails it is rolled back whole and its portfolios are matched
  again one per transaction, so one bad portfolio never holds up the others (no
  savepoints: the retry is cheaper than a savepoint per portfolio on every pass).
  Re-reading inside the lock is what makes two concurrent jobs safe: an order
  one job filled is no longer open when the other looks.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import structlog
from sqlalchemy import Row, Table, bindparam, or_, select, update

from invsim.core.clock import utcnow
from invsim.core.money import ZERO
from invsim.extensions import db
from invsim.portfolios.models import Portfolio, Position
from invsim.portfolios.service import for_instrument, load_rules
from invsim.trading import marks as prices
from invsim.trading.engine import matcher
from invsim.trading.engine.outcome import Action, MatchResult
from invsim.trading.engine.rules import TradingRules
from invsim.trading.engine.snapshot import MarketSnapshot
from invsim.trading.engine.state import OrderStatus
from invsim.trading.engine.tif import is_expired
from invsim.trading.fills import FillContext, apply_result
from invsim.trading.marks import InstrumentFacts, Mark
from invsim.trading.models import Order
from invsim.trading.order_rows import OPEN_VALUES, filled_since, set_status, spec_of

log = structlog.get_logger("invsim.matching")

View = tuple[Mark, MarketSnapshot]
LOCK_BATCH = 50  # portfolios locked per transaction

_BOOK_COLUMNS = (
    Order.id, Order.portfolio_id, Order.symbol, Order.side, Order.type, Order.time_in_force,
    Order.created_at, Order.qty, Order.notional, Order.limit_price, Order.stop_price,
    Order.trail_percent, Order.trail_price, Order.filled_qty, Order.filled_notional, Order.hwm,
    Order.stop_triggered, Order.fill_count, Order.expires_at,
)


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

    def as_dict(self) -> dict[str, Any]:
        """Return the report as plain data (for logs and the CLI)."""
        return dict(vars(self))

    def add(self, other: MatchReport) -> None:
        """Add the counts of a committed batch (the book size is counted once, by the run)."""
        for name, value in vars(other).items():
            if name != "open_orders":
                setattr(self, name, getattr(self, name) + value)


class Book:
    """Per-run caches: the prices, each portfolio's rules, each symbol's instrument facts."""

    def __init__(self, now: datetime, views: Mapping[str, View],
                 stored: Mapping[int, dict[str, Any]]) -> None:
        self.now = now
        self.views = views
        self.stored = stored
        self._rules: dict[int, TradingRules] = {}
        self._facts: dict[str, InstrumentFacts | None] = {}

    def rules(self, portfolio_id: int, stored: dict[str, Any] | None = None) -> TradingRules:
        """Return a portfolio's engine rules, parsed once per run."""
        found = self._rules.get(portfolio_id)
        if found is None:
            found = engine_rules(stored or self.stored[portfolio_id])
            self._rules[portfolio_id] = found
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

    def evaluate(self, order: Any, rules: TradingRules, this_bar: Decimal) -> MatchResult | None:
        """Evaluate one order against its symbol's snapshot (None when no price is known)."""
        view = self.views.get(order.symbol)
        if view is None:
            return None
        return matcher.evaluate(spec_of(order, this_bar), view[1],
                               self.order_rules(rules, order.symbol))

    def marks(self) -> dict[str, Mark]:
        """Return the marks of every symbol priced this run."""
        return {symbol: view[0] for symbol, view in self.views.items()}


_PARSED_KEPT = 10_000
_parsed: dict[str, TradingRules] = {}


def engine_rules(stored: dict[str, Any]) -> TradingRules:
    """Parse stored rules into engine rules; identical rule sets are parsed once per process."""
    key = json.dumps(stored, sort_keys=True)
    found = _parsed.get(key)
    if found is None:
        if len(_parsed) >= _PARSED_KEPT:
            _parsed.clear()
        found = _parsed[key] = load_rules(stored).trading_rules()
    return found


def match_open_orders(now: datetime | None = None) -> MatchReport:
    """Run one matching pass over every open order; safe to run concurrently and twice."""
    now = now or utcnow()
    report = MatchReport()
    rows = _open_book()
    report.open_orders = len(rows)
    if not rows:
        return report
    stored = _stored_rules({row.portfolio_id for row in rows})
    db.end_read()
    book = Book(now, prices.market_views({row.symbol for row in rows}, now), stored)
    due, moved = _screen(book, rows)
    db.end_read()
    report.updated += _write_stop_moves(moved)
    ids = sorted(due)
    for start in range(0, len(ids), LOCK_BATCH):
        _match_batch(ids[start:start + LOCK_BATCH], book, report)
    return report


def _open_book() -> list[Row[Any]]:
    """Read every open order as plain rows (no lock: this pass only decides where to look)."""
    return list(db.session.execute(
        select(*_BOOK_COLUMNS).where(Order.status.in_(OPEN_VALUES)).order_by(Order.id)))


def _stored_rules(portfolio_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Read the stored rules of the portfolios that have open orders."""
    rows = db.session.execute(
        select(Portfolio.id, Portfolio.rules).where(Portfolio.id.in_(list(portfolio_ids))))
    return {pid: rules for pid, rules in rows}


def _bar_fills(book: Book, orders: Sequence[Any]) -> dict[int, Decimal]:
    """Return each partly filled order's quantity filled in its symbol's current bar."""
    totals: dict[int, Decimal] = {}
    by_start: dict[datetime, list[Any]] = defaultdict(list)
    for order in orders:
        view = book.views.get(order.symbol)
        if order.fill_count and view is not None and view[1].bar is not None:
            by_start[view[1].bar.start].append(order)
    for start, group in by_start.items():
        totals.update(filled_since(group, start))
    return totals


def _stop_moved(order: Any, result: MatchResult) -> bool:
    """Say whether an evaluation changed the order's stop state."""
    before = (order.stop_triggered, order.stop_price, order.hwm)
    return before != (result.stop_triggered, result.stop_price, result.water_mark)


def _screen(book: Book, rows: Sequence[Any]) -> tuple[set[int], list[tuple[Any, MatchResult]]]:
    """Find the portfolios with a trade, cancel or expiry, and the orders whose stop moved."""
    this_bar = _bar_fills(book, rows)
    due: set[int] = set()
    moved: list[tuple[Any, MatchResult]] = []
    for row in rows:
        if row.portfolio_id not in book.stored:
            continue
        if is_expired(row.expires_at, book.now):
            due.add(row.portfolio_id)
            continue
        result = book.evaluate(row, book.rules(row.portfolio_id), this_bar.get(row.id, ZERO))
        if result is None:
            continue
        if result.action is not Action.WAIT:
            due.add(row.portfolio_id)
        elif _stop_moved(row, result):
            moved.append((row, result))
    return due, [(row, result) for row, result in moved if row.portfolio_id not in due]


_ORDERS: Table = Order.__table__  # type: ignore[assignment]
_orders = _ORDERS.c
_MOVE_STOP = (
    update(_ORDERS)
    .where(_orders.id == bindparam("b_id"),
           or_(*(_orders.status == status for status in OPEN_VALUES)),  # no expanding IN
           _orders.fill_count == bindparam("b_fills"),
           _orders.stop_triggered == bindparam("b_triggered"),
           _orders.hwm.is_not_distinct_from(bindparam("b_hwm")),
           _orders.stop_price.is_not_distinct_from(bindparam("b_stop")))
    .values(stop_triggered=bindparam("triggered"), stop_price=bindparam("stop"),
            hwm=bindparam("hwm"))
)


def _write_stop_moves(moved: Sequence[tuple[Any, MatchResult]]) -> int:
    """Write moved stop states in one batch, each only if the order is as this pass read it."""
    if not moved:
        return 0
    params = [{"b_id": row.id, "b_fills": row.fill_count, "b_triggered": row.stop_triggered,
               "b_hwm": row.hwm, "b_stop": row.stop_price, "triggered": result.stop_triggered,
               "stop": result.stop_price, "hwm": result.water_mark} for row, result in moved]
    with db.transaction() as session:
        done = session.connection().execute(_MOVE_STOP, params)
    written = getattr(done, "rowcount", -1)
    return written if written >= 0 else len(moved)


def _match_batch(portfolio_ids: Sequence[int], book: Book, report: MatchReport) -> None:
    """Lock a batch of portfolios, match them all and commit once.

    If anything fails, the batch is rolled back and its portfolios are matched one
    at a time, so one bad portfolio never holds up the others.
    """
    tally = MatchReport()
    try:
        with db.transaction():
            _match_locked(portfolio_ids, book, tally)
    except Exception:
        if len(portfolio_ids) == 1:
            report.errors += 1
            log.exception("matching_failed", portfolio_id=portfolio_ids[0])
            return
        log.warning("matching_batch_failed_retrying_one_by_one", portfolios=list(portfolio_ids))
        for portfolio_id in portfolio_ids:
            _match_batch([portfolio_id], book, report)
        return
    report.add(tally)


def _match_locked(portfolio_ids: Sequence[int], book: Book, tally: MatchReport) -> None:
    """Match the portfolios of a batch that this transaction could lock."""
    locked = _lock(portfolio_ids)
    tally.skipped_locked += len(portfolio_ids) - len(locked)
    orders = _orders_of(locked)
    positions = _positions_of(locked)
    this_bar = _bar_fills(book, [o for group in orders.values() for o in group])
    for portfolio in locked:
        _match_portfolio(portfolio, orders.get(portfolio.id, []), positions[portfolio.id],
                         this_bar, book, tally)
        tally.portfolios += 1


def _lock(portfolio_ids: Sequence[int]) -> list[Portfolio]:
    """Lock the portfolios no other worker holds (PostgreSQL skips the held ones)."""
    session = db.session()
    session.expire_all()
    return list(session.scalars(
        select(Portfolio).where(Portfolio.id.in_(portfolio_ids)).order_by(Portfolio.id)
        .with_for_update(skip_locked=True).execution_options(populate_existing=True)))


def _orders_of(portfolios: Sequence[Portfolio]) -> dict[int, list[Order]]:
    """Read the locked portfolios' open orders afresh, oldest first."""
    grouped: dict[int, list[Order]] = defaultdict(list)
    if portfolios:
        for order in db.session.scalars(
                select(Order).where(Order.portfolio_id.in_([p.id for p in portfolios]),
                                    Order.status.in_(OPEN_VALUES)).order_by(Order.id)):
            grouped[order.portfolio_id].append(order)
    return grouped


def _positions_of(portfolios: Sequence[Portfolio]) -> dict[int, dict[str, Position]]:
    """Read the locked portfolios' current positions, by portfolio and symbol."""
    generation = {p.id: p.generation for p in portfolios}
    grouped: dict[int, dict[str, Position]] = defaultdict(dict)
    if portfolios:
        for position in db.session.scalars(
                select(Position).where(Position.portfolio_id.in_(list(generation)))):
            if position.generation == generation[position.portfolio_id]:
                grouped[position.portfolio_id][position.symbol] = position
    return grouped


def _match_portfolio(
    portfolio: Portfolio, orders: Sequence[Order], positions: dict[str, Position],
    this_bar: Mapping[int, Decimal], book: Book, report: MatchReport,
) -> None:
    """Evaluate and write one locked portfolio's open orders, oldest first."""
    rules = book.rules(portfolio.id, portfolio.rules)
    ctx = FillContext(portfolio=portfolio, rules=rules, open_orders=orders, marks=book.marks(),
                      positions={s: p.qty for s, p in positions.items()},
                      position_rows=positions, positions_complete=True)
    for order in orders:
        _match_order(order, book, rules, ctx, this_bar.get(order.id, ZERO), report)


def _match_order(
    order: Order, book: Book, rules: TradingRules, ctx: FillContext, this_bar: Decimal,
    report: MatchReport,
) -> None:
    """Evaluate one order inside the lock, write the result, then expire it if overdue."""
    if order.status not in OPEN_VALUES:
        return
    result = book.evaluate(order, rules, this_bar)
    if result is not None:
        before = (order.status, order.fill_count, order.stop_price, order.hwm)
        apply_result(order, result, ctx, book.now)
        _count(report, order, before)
    if order.status in OPEN_VALUES and is_expired(order.expires_at, book.now):
        set_status(order, OrderStatus.EXPIRED, book.now, "time_in_force_expired")
        report.expired += 1


def _count(report: MatchReport, order: Order, before: tuple[Any, ...]) -> None:
    """Add one evaluation's outcome to the report."""
    if order.fill_count > before[1]:
        report.fills += 1
    elif order.status == OrderStatus.CANCELED.value and before[0] != order.status:
        report.canceled += 1
    elif order.status == OrderStatus.REJECTED.value and before[0] != order.status:
        report.rejected += 1
    elif (order.stop_price, order.hwm) != before[2:]:
        report.updated += 1
