"""Round-trip trades: a position opened from flat and closed back to flat (or flipped).

Adding to a position grows the open trade; reducing it books part of the exit.
A fill that flips a position closes the trade and opens a new one with the rest,
its commission split by quantity. P&L is net of both sides' commissions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from invsim.core.money import ZERO, money, price


@dataclass(frozen=True, slots=True)
class Trade:
    """One closed (or, at the end, still open) round trip in one symbol."""

    symbol: str
    direction: str  # "long" or "short"
    qty: Decimal  # the largest size held
    entry_at: datetime
    entry_price: Decimal  # average price of the opening fills
    exit_at: datetime | None
    exit_price: Decimal | None  # average price of the closing fills (or the last close if open)
    pnl: Decimal
    commission: Decimal
    bars_held: int
    open: bool = False

    @property
    def return_pct(self) -> float:
        """Return the P&L as a fraction of the entry value."""
        cost = self.qty * self.entry_price
        return float(self.pnl / cost) if cost else 0.0


@dataclass(slots=True)
class _Open:
    """A trade in progress."""

    sign: int
    qty: Decimal  # currently held (positive)
    peak: Decimal
    entry_at: datetime
    entry_step: int
    entry_value: Decimal
    entry_qty: Decimal
    exit_value: Decimal
    exit_qty: Decimal
    commission: Decimal


class TradeBook:
    """Tracks open trades per symbol and collects closed ones."""

    def __init__(self) -> None:
        self._open: dict[str, _Open] = {}
        self.closed: list[Trade] = []

    def record(self, symbol: str, signed_qty: Decimal, fill_price: Decimal,
               commission: Decimal, at: datetime, step: int) -> None:
        """Apply one fill (signed: + bought, - sold)."""
        current = self._open.get(symbol)
        if current is None or (signed_qty > 0) == (current.sign > 0):
            self._grow(symbol, current, signed_qty, fill_price, commission, at, step)
            return
        closing = min(abs(signed_qty), current.qty)
        share = closing / abs(signed_qty)
        current.exit_value += closing * fill_price
        current.exit_qty += closing
        current.commission += commission * share
        current.qty -= closing
        if current.qty == ZERO:
            self.closed.append(_finish(symbol, current, at, step))
            del self._open[symbol]
        rest = abs(signed_qty) - closing
        if rest > ZERO:
            sign = 1 if signed_qty > 0 else -1
            self._grow(symbol, None, rest * sign, fill_price, commission - commission * share,
                       at, step)

    def _grow(self, symbol: str, current: _Open | None, signed_qty: Decimal,
              fill_price: Decimal, commission: Decimal, at: datetime, step: int) -> None:
        """Open a trade or add to the open one."""
        qty = abs(signed_qty)
        if current is None:
            current = _Open(1 if signed_qty > 0 else -1, ZERO, ZERO, at, step, ZERO, ZERO,
                            ZERO, ZERO, ZERO)
            self._open[symbol] = current
        current.qty += qty
        current.peak = max(current.peak, current.qty)
        current.entry_value += qty * fill_price
        current.entry_qty += qty
        current.commission += commission

    def open_trades(self, last_prices: dict[str, Decimal], at: datetime, step: int) -> list[Trade]:
        """Return the trades still open, valued as if closed at `last_prices` (no commission)."""
        found = []
        for symbol, current in self._open.items():
            mark = last_prices[symbol]
            found.append(_finish(symbol, current, at, step, still_open=(current.qty, mark)))
        return found


def _finish(symbol: str, trade: _Open, at: datetime, step: int,
            still_open: tuple[Decimal, Decimal] | None = None) -> Trade:
    """Build the Trade record of a finished (or still open) round trip."""
    exit_value, exit_qty = trade.exit_value, trade.exit_qty
    if still_open is not None:
        exit_value += still_open[0] * still_open[1]
        exit_qty += still_open[0]
    entry_price = trade.entry_value / trade.entry_qty
    exit_price = exit_value / exit_qty
    gross = (exit_value - exit_qty * entry_price) * trade.sign
    commission = money(trade.commission)
    return Trade(
        symbol=symbol, direction="long" if trade.sign > 0 else "short", qty=trade.peak,
        entry_at=trade.entry_at, entry_price=price(entry_price), exit_at=at,
        exit_price=price(exit_price), pnl=money(gross - trade.commission),
        commission=commission, bars_held=step - trade.entry_step,
        open=still_open is not None,
    )
