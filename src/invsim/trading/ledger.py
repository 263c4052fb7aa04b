"""Prove the cached balances equal what the facts say: rebuild every portfolio from its ledger.

The facts are fills, cash entries and applied splits (append-only). From them alone this module
recomputes each portfolio's cash, every position (quantity, cost basis, average
price, realized P&L), the open FIFO lots, and every order's filled quantity,
value and commission, and reports each difference from the cached rows.
`rebuild_portfolio` writes the recomputed values back (an operator's repair).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from invsim.core.money import ZERO, money, price
from invsim.extensions import db
from invsim.portfolios import service as portfolios
from invsim.portfolios.models import CashEntry, Portfolio, Position, TaxLot
from invsim.trading.corporate_models import SplitAdjustment
from invsim.trading.engine import lots as fifo
from invsim.trading.engine import splits as split_rule
from invsim.trading.engine.state import Side
from invsim.trading.models import Fill, Order

FILL_KINDS = frozenset({"trade", "commission", "liquidation"})


@dataclass(frozen=True, slots=True)
class Difference:
    """One cached value that disagrees with the facts."""

    portfolio_id: int
    what: str
    cached: str
    rebuilt: str

    def __str__(self) -> str:
        return (f"portfolio {self.portfolio_id}: {self.what}: cached {self.cached}, "
                f"rebuilt {self.rebuilt}")


@dataclass
class LedgerReport:
    """What a verification looked at and every difference it found."""

    portfolios: int = 0
    fills: int = 0
    cash_entries: int = 0
    differences: list[Difference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Say whether every cached value matched the facts."""
        return not self.differences

    def summary(self) -> str:
        """Return a one-line summary."""
        verdict = "OK" if self.ok else f"{len(self.differences)} difference(s)"
        return (f"ledger {verdict}: {self.portfolios} portfolios, {self.fills} fills, "
                f"{self.cash_entries} cash entries")


@dataclass
class Rebuilt:
    """A portfolio's state recomputed from its facts."""

    cash: Decimal
    positions: dict[tuple[int, str], tuple[Decimal, Decimal, Decimal | None, Decimal]]
    lots: dict[tuple[int, str], list[tuple[int, Decimal, Decimal]]]
    realized: dict[int, Decimal]
    orders: dict[int, tuple[Decimal, Decimal, Decimal, int]]
    differences: list[Difference]


def verify_ledger(portfolio_ids: Iterable[int] | None = None) -> LedgerReport:
    """Rebuild every portfolio (or the given ones) from its facts and report differences.

    Each portfolio is checked in its own short transaction holding a share lock on
    its row (PostgreSQL `FOR SHARE`; SQLite's transactions are serialized anyway),
    so a trade cannot commit between reading the cached balances and the facts —
    which would show a difference that is not there — and trading elsewhere is
    never held up for the whole run.
    """
    report = LedgerReport()
    ids = sorted(portfolio_ids) if portfolio_ids is not None else list(
        db.session.scalars(select(Portfolio.id).order_by(Portfolio.id)))
    db.end_read()
    for portfolio_id in ids:
        with db.transaction() as session:
            session.expire_all()  # read every cached value afresh
            portfolio = session.scalar(
                select(Portfolio).where(Portfolio.id == portfolio_id)
                .with_for_update(read=True).execution_options(populate_existing=True))
            if portfolio is not None:
                _verify_one(portfolio, report)
    return report


def _verify_one(portfolio: Portfolio, report: LedgerReport) -> None:
    """Rebuild one share-locked portfolio and add what differs to the report."""
    fills, entries = _facts(portfolio.id)
    report.portfolios += 1
    report.fills += len(fills)
    report.cash_entries += len(entries)
    rebuilt = rebuild(portfolio, fills, entries, _splits(portfolio.id))
    report.differences += rebuilt.differences + _compare(portfolio, rebuilt, fills)


def _facts(portfolio_id: int) -> tuple[list[Fill], list[CashEntry]]:
    """Read a portfolio's fills and cash entries in the order they were written."""
    session = db.session()
    fills = list(session.scalars(select(Fill).where(Fill.portfolio_id == portfolio_id)
                                 .order_by(Fill.id)))
    entries = list(session.scalars(select(CashEntry).where(CashEntry.portfolio_id == portfolio_id)
                                   .order_by(CashEntry.id)))
    return fills, entries


def _splits(portfolio_id: int) -> list[SplitAdjustment]:
    """Read the splits applied to a portfolio's positions, in the order they were applied."""
    return list(db.session.scalars(select(SplitAdjustment).where(
        SplitAdjustment.portfolio_id == portfolio_id).order_by(SplitAdjustment.id)))


def _apply_splits(book: dict[tuple[int, str], list[fifo.Lot]], pending: list[SplitAdjustment],
                  before_fill: int | None) -> None:
    """Split the rebuilt lots for every pending split applied before fill `before_fill`."""
    while pending and (before_fill is None or pending[0].after_fill_id < before_fill):
        split = pending.pop(0)
        key = (split.generation, split.symbol)
        book[key] = split_rule.split_lots(book[key], split.ratio)


def rebuild(portfolio: Portfolio, fills: Sequence[Fill], entries: Sequence[CashEntry],
            splits: Sequence[SplitAdjustment] = ()) -> Rebuilt:
    """Recompute cash, positions, lots and order progress from the facts alone."""
    pid = portfolio.id
    problems = _check_entries(pid, fills, entries) + _check_generations(portfolio, entries)
    cash = portfolio.starting_cash + sum((e.amount for e in entries), ZERO)
    book: dict[tuple[int, str], list[fifo.Lot]] = defaultdict(list)
    realized_by_position: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    realized: dict[int, Decimal] = {}
    orders: dict[int, list[Any]] = {}
    pending = list(splits)
    for fill in fills:
        _apply_splits(book, pending, fill.id)
        key = (fill.generation, fill.symbol)
        update = fifo.apply_fill(book[key], Side(fill.side), fill.qty, fill.price, str(fill.id))
        book[key] = list(update.lots)
        realized[fill.id] = update.realized_pnl
        realized_by_position[key] += update.realized_pnl
        progress = orders.setdefault(fill.order_id, [ZERO, ZERO, ZERO, 0])
        progress[0] += fill.qty
        progress[1] += fill.gross
        progress[2] += fill.commission
        progress[3] += 1
        if fill.gross != money(fill.qty * fill.price):
            problems.append(Difference(pid, f"fill {fill.id} gross", str(fill.gross),
                                       str(money(fill.qty * fill.price))))
    _apply_splits(book, pending, None)
    positions = {
        key: (fifo.net_qty(lots), money(fifo.cost_basis(lots)), fifo.average_entry_price(lots),
              realized_by_position[key])
        for key, lots in book.items()
    }
    lot_rows = {key: [(int(lot.fill_id), lot.qty, lot.price) for lot in lots]
                for key, lots in book.items()}
    return Rebuilt(cash, positions, lot_rows, realized,
                   {k: (v[0], v[1], v[2], v[3]) for k, v in orders.items()}, problems)


def _check_entries(
    pid: int, fills: Sequence[Fill], entries: Sequence[CashEntry]
) -> list[Difference]:
    """Check that each fill's cash entries add up to its net cash and nothing else points at it."""
    problems: list[Difference] = []
    per_fill: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for entry in entries:
        if (entry.fill_id is None) == (entry.kind in FILL_KINDS):
            problems.append(Difference(pid, f"cash entry {entry.id} ({entry.kind}) fill link",
                                       str(entry.fill_id), "a fill exactly for trade, "
                                       "commission and liquidation entries"))
        if entry.fill_id is not None:
            per_fill[entry.fill_id] += entry.amount
    for fill in fills:
        net = -(fill.gross + fill.commission) if fill.side == Side.BUY.value else (
            fill.gross - fill.commission)
        if per_fill.pop(fill.id, ZERO) != net:
            problems.append(Difference(pid, f"fill {fill.id} cash entries", "", str(net)))
    for fill_id in per_fill:
        problems.append(Difference(pid, f"cash entries of unknown fill {fill_id}", "", "none"))
    return problems


def _check_generations(portfolio: Portfolio, entries: Sequence[CashEntry]) -> list[Difference]:
    """Check that every closed generation nets to zero (its reset entry balances it)."""
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for entry in entries:
        totals[entry.generation] += entry.amount
    return [Difference(portfolio.id, f"generation {g} net cash after its reset", str(total), "0.00")
            for g, total in sorted(totals.items()) if g < portfolio.generation and total != ZERO]


def _compare(portfolio: Portfolio, rebuilt: Rebuilt, fills: Sequence[Fill]) -> list[Difference]:
    """Compare the cached rows with the rebuilt state."""
    pid = portfolio.id
    problems: list[Difference] = []
    if portfolio.cash != rebuilt.cash:
        problems.append(Difference(pid, "cash", str(portfolio.cash), str(rebuilt.cash)))
    if portfolio.account_type == "cash" and portfolio.cash < ZERO:
        problems.append(Difference(pid, "cash account balance", str(portfolio.cash), ">= 0"))
    problems += _compare_positions(pid, rebuilt)
    problems += _compare_lots(pid, rebuilt)
    problems += _compare_orders(pid, rebuilt)
    for fill in fills:
        if fill.realized_pl != rebuilt.realized.get(fill.id):
            problems.append(Difference(pid, f"fill {fill.id} realized P&L", str(fill.realized_pl),
                                       str(rebuilt.realized.get(fill.id))))
    return problems


def _compare_positions(pid: int, rebuilt: Rebuilt) -> list[Difference]:
    """Compare every cached position with the one rebuilt from fills."""
    problems: list[Difference] = []
    rows = db.session.scalars(select(Position).where(Position.portfolio_id == pid))
    seen = set()
    for row in rows:
        key = (row.generation, row.symbol)
        seen.add(key)
        expected = rebuilt.positions.get(key, (ZERO, ZERO, None, ZERO))
        cached = (row.qty, row.cost_basis, row.avg_entry_price, row.realized_pl)
        for name, have, want in zip(("qty", "cost_basis", "avg_entry_price", "realized_pl"),
                                    cached, expected, strict=True):
            if have != want:
                problems.append(Difference(pid, f"position {row.symbol} (generation "
                                           f"{row.generation}) {name}", str(have), str(want)))
    for key, (qty, *_) in rebuilt.positions.items():
        if key not in seen:
            problems.append(Difference(pid, f"position {key[1]} (generation {key[0]})", "missing",
                                       str(qty)))
    return problems


def _compare_lots(pid: int, rebuilt: Rebuilt) -> list[Difference]:
    """Compare the cached open lots with the rebuilt FIFO lots, position by position."""
    cached: dict[tuple[int, str], list[tuple[int, Decimal, Decimal]]] = defaultdict(list)
    for lot in db.session.scalars(select(TaxLot).where(TaxLot.portfolio_id == pid)
                                  .order_by(TaxLot.id)):
        cached[(lot.generation, lot.symbol)].append((lot.fill_id, lot.qty, lot.price))
    problems = []
    for key in sorted(set(cached) | {k for k, v in rebuilt.lots.items() if v}):
        if cached.get(key, []) != rebuilt.lots.get(key, []):
            problems.append(Difference(pid, f"lots of {key[1]} (generation {key[0]})",
                                       str(cached.get(key, [])), str(rebuilt.lots.get(key, []))))
    return problems


def _compare_orders(pid: int, rebuilt: Rebuilt) -> list[Difference]:
    """Compare each order's cached progress with the sum of its fills."""
    problems = []
    for order in db.session.scalars(select(Order).where(Order.portfolio_id == pid)):
        want = rebuilt.orders.get(order.id, (ZERO, ZERO, ZERO, 0))
        have = (order.filled_qty, order.filled_notional, order.commission, order.fill_count)
        if have != want:
            problems.append(Difference(pid, f"order {order.id} progress (qty, value, commission, "
                                       "fills)", str(have), str(want)))
    return problems


def rebuild_portfolio(portfolio_id: int) -> list[Difference]:
    """Write the facts' state over a portfolio's caches (an operator's repair); list the fixes."""
    with db.transaction() as session:
        portfolio = portfolios.lock_portfolio(portfolio_id)
        fills, entries = _facts(portfolio_id)
        rebuilt = rebuild(portfolio, fills, entries, _splits(portfolio_id))
        fixes = _compare(portfolio, rebuilt, fills)
        portfolio.cash = rebuilt.cash
        _rewrite_positions(session, portfolio, rebuilt, fills)
    return fixes


def _rewrite_positions(session: Any, portfolio: Portfolio, rebuilt: Rebuilt,
                       fills: Sequence[Fill]) -> None:
    """Replace a portfolio's positions, lots, fill P&L and order progress with rebuilt values."""
    pid = portfolio.id
    by_id = {f.id: f for f in fills}
    for row in session.scalars(select(TaxLot).where(TaxLot.portfolio_id == pid)):
        session.delete(row)
    for (generation, symbol), lots in rebuilt.lots.items():
        for fill_id, qty, lot_price in lots:
            session.add(TaxLot(portfolio_id=pid, generation=generation, symbol=symbol,
                               fill_id=fill_id, qty=qty, price=lot_price,
                               opened_at=by_id[fill_id].created_at))
    rows = {(p.generation, p.symbol): p for p in
            session.scalars(select(Position).where(Position.portfolio_id == pid))}
    for key, (qty, cost, avg, realized) in rebuilt.positions.items():
        row = rows.get(key) or Position(portfolio_id=pid, generation=key[0], symbol=key[1])
        row.qty, row.cost_basis, row.avg_entry_price, row.realized_pl = qty, cost, avg, realized
        session.add(row)
    for fill in fills:
        fill.realized_pl = rebuilt.realized[fill.id]
    for order in session.scalars(select(Order).where(Order.portfolio_id == pid)):
        qty, gross, fee, count = rebuilt.orders.get(order.id, (ZERO, ZERO, ZERO, 0))
        order.filled_qty, order.filled_notional, order.commission, order.fill_count = (
            qty, gross, fee, count)
        order.filled_avg_price = price(gross / qty) if qty else None
