"""Stop triggers and trailing-stop water marks."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from invsim.core.money import HUNDRED, price
from invsim.trading.engine.spec import OrderSpec
from invsim.trading.engine.state import OrderType, Side

STOP_TYPES = frozenset({OrderType.STOP, OrderType.STOP_LIMIT, OrderType.TRAILING_STOP})


@dataclass(frozen=True, slots=True)
class Trigger:
    """Whether an order's stop has fired, and its (possibly moved) stop and water mark."""

    triggered: bool
    stop_price: Decimal | None
    water_mark: Decimal | None


def stop_crossed(side: Side, last: Decimal, stop: Decimal) -> bool:
    """Say whether the last trade reached the stop (buy: at or above; sell: at or below)."""
    return last >= stop if side is Side.BUY else last <= stop


def next_water_mark(side: Side, water_mark: Decimal | None, last: Decimal) -> Decimal:
    """Move the mark with the price: a sell keeps the highest last, a buy the lowest."""
    if water_mark is None:
        return last
    return max(water_mark, last) if side is Side.SELL else min(water_mark, last)


def trailing_stop_price(
    side: Side, water_mark: Decimal, trail_percent: Decimal | None, trail_price: Decimal | None
) -> Decimal:
    """Return the stop a trailing order keeps behind (sell) or above (buy) its mark."""
    if trail_percent is not None:
        offset = water_mark * trail_percent / HUNDRED
    else:
        assert trail_price is not None  # OrderSpec guarantees one trail
        offset = trail_price
    return price(water_mark - offset if side is Side.SELL else water_mark + offset)


def check_trigger(order: OrderSpec, last: Decimal) -> Trigger:
    """Update an order's stop state for the last trade price."""
    if order.type is OrderType.TRAILING_STOP:
        return _trailing_trigger(order, last)
    if order.type in (OrderType.STOP, OrderType.STOP_LIMIT):
        assert order.stop_price is not None
        fired = order.stop_triggered or stop_crossed(order.side, last, order.stop_price)
        return Trigger(fired, order.stop_price, order.water_mark)
    return Trigger(order.stop_triggered, order.stop_price, order.water_mark)


def has_stop(order: OrderSpec) -> bool:
    """Say whether the order waits for a stop to fire before it may trade."""
    return order.type in STOP_TYPES


def _trailing_trigger(order: OrderSpec, last: Decimal) -> Trigger:
    """Move a trailing stop's mark, then test the last price against the new stop."""
    if order.stop_triggered:
        # Once fired it trades as a market order; the stop no longer moves.
        return Trigger(True, order.stop_price, order.water_mark)
    mark = next_water_mark(order.side, order.water_mark, last)
    stop = trailing_stop_price(order.side, mark, order.trail_percent, order.trail_price)
    return Trigger(stop_crossed(order.side, last, stop), stop, mark)


def initial_trailing_stop(
    side: Side, last: Decimal, trail_percent: Decimal | None, trail_price: Decimal | None
) -> Trigger:
    """Return the mark and stop a new trailing order starts with at placement."""
    stop = trailing_stop_price(side, last, trail_percent, trail_price)
    return Trigger(False, stop, last)
