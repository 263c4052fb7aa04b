"""Per-position performance from its fills, replayed through the FIFO lots.

Pure. The fills of one symbol in the current generation are replayed with the
trading ledger's own FIFO rules (`trading.lots`), so realised P&L here is the
ledger's to the cent. Commissions are separate cash entries: P&L figures
exclude them and `commissions` reports them (`net_pl` subtracts them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from invsim.core.money import ZERO, money, price, rate
from invsim.trading.engine import lots as fifo
from invsim.trading.engine.state import Side

SECONDS_PER_DAY = Decimal(86400)


@dataclass(frozen=True, slots=True)
class PositionFill:
    """One fill of the position (qty > 0; side says the direction)."""

    id: str
    at: datetime
    side: str
    qty: Decimal
    price: Decimal
    commission: Decimal


@dataclass(frozen=True, slots=True)
class PositionPerformance:
    """How one position has done (amounts to the cent, rates as fractions, days as decimals)."""

    symbol: str
    qty: Decimal
    side: str
    avg_entry_price: Decimal | None
    current_price: Decimal | None
    market_value: Decimal
    cost_basis: Decimal
    unrealized_pl: Decimal
    unrealized_plpc: Decimal | None
    realized_pl: Decimal
    total_pl: Decimal
    commissions: Decimal
    net_pl: Decimal
    cost_opened: Decimal
    return_on_cost: Decimal | None
    first_fill_at: datetime | None
    last_fill_at: datetime | None
    fills: int
    open_since: datetime | None
    holding_days: Decimal | None
    closed_holding_days: Decimal | None


@dataclass(slots=True)
class _Replay:
    """Running state of the FIFO replay."""

    lots: tuple[fifo.Lot, ...] = ()
    realized: Decimal = ZERO
    cost_opened: Decimal = ZERO
    closed_qty_days: Decimal = ZERO
    closed_qty: Decimal = ZERO


def days_between(start: datetime, end: datetime) -> Decimal:
    """Return the time from start to end in days (exact to the second)."""
    return Decimal(int((end - start).total_seconds())) / SECONDS_PER_DAY


def replay(fills: Sequence[PositionFill]) -> _Replay:
    """Apply the fills FIFO, collecting realised P&L, cost opened and closed-lot ages."""
    state = _Replay()
    opened_at = {fill.id: fill.at for fill in fills}
    for fill in fills:
        update = fifo.apply_fill(state.lots, Side(fill.side), fill.qty, fill.price, fill.id)
        state.realized += update.realized_pnl
        state.cost_opened += sum((abs(lot.qty * lot.price) for lot in update.lots
                                  if lot.fill_id == fill.id), ZERO)
        for closed in update.closed:
            size = abs(closed.qty)
            state.closed_qty += size
            state.closed_qty_days += size * days_between(opened_at[closed.open_fill_id], fill.at)
        state.lots = update.lots
    return state


def holding_days(
    lots: Sequence[fifo.Lot], opened_at: dict[str, datetime], now: datetime
) -> Decimal | None:
    """Return the quantity-weighted age of the open lots in days (None when flat)."""
    size = sum((abs(lot.qty) for lot in lots), ZERO)
    if size == ZERO:
        return None
    weighted = sum((abs(lot.qty) * days_between(opened_at[lot.fill_id], now) for lot in lots), ZERO)
    return (weighted / size).quantize(Decimal("0.01"))


def position_performance(
    symbol: str, fills: Sequence[PositionFill], current_price: Decimal | None, now: datetime
) -> PositionPerformance:
    """Replay the position's fills and value what is left at `current_price`."""
    state = replay(fills)
    qty = fifo.net_qty(state.lots)
    opened_at = {fill.id: fill.at for fill in fills}
    mark = current_price if current_price is not None else _last_price(fills)
    unrealized = fifo.unrealized_pnl(state.lots, mark) if mark is not None else ZERO
    cost = money(fifo.cost_basis(state.lots))
    commissions = money(sum((fill.commission for fill in fills), ZERO))
    total = money(state.realized + unrealized)
    return PositionPerformance(
        symbol=symbol, qty=qty, side="flat" if qty == ZERO else ("long" if qty > ZERO else "short"),
        avg_entry_price=fifo.average_entry_price(state.lots),
        current_price=price(mark) if mark is not None else None,
        market_value=money(qty * mark) if mark is not None else ZERO,
        cost_basis=cost, unrealized_pl=unrealized,
        unrealized_plpc=rate(unrealized / abs(cost)) if cost else None,
        realized_pl=money(state.realized), total_pl=total, commissions=commissions,
        net_pl=money(total - commissions), cost_opened=money(state.cost_opened),
        return_on_cost=rate(total / state.cost_opened) if state.cost_opened else None,
        first_fill_at=fills[0].at if fills else None,
        last_fill_at=fills[-1].at if fills else None, fills=len(fills),
        open_since=min((opened_at[lot.fill_id] for lot in state.lots), default=None),
        holding_days=holding_days(state.lots, opened_at, now),
        closed_holding_days=(state.closed_qty_days / state.closed_qty).quantize(Decimal("0.01"))
        if state.closed_qty else None,
    )


def _last_price(fills: Sequence[PositionFill]) -> Decimal | None:
    """Return the last fill price (the mark when no quote can be had)."""
    return fills[-1].price if fills else None
