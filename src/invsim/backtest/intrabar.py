"""Where prices go inside a bar: the path a backtest walks, and the levels an order waits for.

Convention (stated in docs/backtesting.md): a bar opens at its open, then
visits the extreme nearer to the open first: a bar that closes at or above its
open goes open → low → high → close, one that closes below goes open → high →
low → close. Between two points the price moves through every level, so an
order whose limit or stop lies on a segment trades at that level, not at the
segment's end; at the open, a price beyond the level fills at the open (a gap).
"""

from __future__ import annotations

from decimal import Decimal

from invsim.backtest.bars import OHLCV
from invsim.trading.engine.spec import OrderSpec
from invsim.trading.engine.state import OrderType
from invsim.trading.engine.triggers import has_stop


def path(bar: OHLCV) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """Return the four points a bar visits in order."""
    if bar.close >= bar.open:
        return (bar.open, bar.low, bar.high, bar.close)
    return (bar.open, bar.high, bar.low, bar.close)


def waiting_level(spec: OrderSpec) -> Decimal | None:
    """Return the price an order waits for: its untriggered stop, else its limit (None: market)."""
    if has_stop(spec) and not spec.stop_triggered:
        return spec.stop_price
    if spec.type in (OrderType.LIMIT, OrderType.STOP_LIMIT):
        return spec.limit_price
    return None


def prices_to_try(spec: OrderSpec, start: Decimal, end: Decimal) -> tuple[Decimal, ...]:
    """Return the prices at which to evaluate an order on the segment start → end.

    The order's level first when the segment passes through it (strictly after the
    start: the start was tried already), then the segment's end.
    """
    level = waiting_level(spec)
    low, high = min(start, end), max(start, end)
    if level is not None and low <= level <= high and level != start and level != end:
        return (level, end)
    return (end,)
