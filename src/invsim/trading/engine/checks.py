"""Pure pre-trade checks: each returns a rejection code, or None when the order passes."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from invsim.core.money import HUNDRED, ZERO
from invsim.trading.engine import rejections
from invsim.trading.engine.state import Side


def signed_qty(side: Side, qty: Decimal) -> Decimal:
    """Return the order's quantity with the sign of its effect on the position."""
    return qty if side is Side.BUY else -qty


def opening_qty(side: Side, qty: Decimal, position_qty: Decimal) -> Decimal:
    """Return the part of an order that opens or grows a position (the rest closes one)."""
    adding = position_qty == ZERO or (side is Side.BUY) == (position_qty > ZERO)
    return qty if adding else max(ZERO, qty - abs(position_qty))


def check_fractional(qty: Decimal | None, fractional: bool) -> str | None:
    """Refuse a fractional share quantity in a whole-shares portfolio."""
    if fractional or qty is None or qty == qty.to_integral_value():
        return None
    return rejections.FRACTIONAL_NOT_ALLOWED


def check_min_price(
    reference_price: Decimal, min_price: Decimal | None, opening: bool
) -> str | None:
    """Refuse opening a position in a stock priced below the minimum (closing is always allowed)."""
    if not opening or min_price is None or reference_price >= min_price:
        return None
    return rejections.BELOW_MIN_PRICE


def check_buying_power(required: Decimal, buying_power: Decimal) -> str | None:
    """Refuse an order that needs more buying power than is left."""
    return rejections.INSUFFICIENT_BUYING_POWER if required > buying_power else None


def check_sell_position(
    side: Side,
    qty: Decimal,
    position_qty: Decimal,
    committed_sell_qty: Decimal,
    shorting_allowed: bool,
) -> str | None:
    """Refuse selling shares not held (or already offered by open sells) unless shorting is on.

    Selling with nothing held is a short sale (short_selling_not_allowed);
    selling more than an existing long is insufficient_position.
    """
    if side is Side.BUY or shorting_allowed:
        return None
    if qty <= position_qty - committed_sell_qty:
        return None
    if position_qty <= ZERO:
        return rejections.SHORT_SELLING_NOT_ALLOWED
    return rejections.INSUFFICIENT_POSITION


def check_position_limit(
    side: Side,
    qty: Decimal,
    position_qty: Decimal,
    reference_price: Decimal,
    equity: Decimal,
    max_position_pct: Decimal | None,
) -> str | None:
    """Refuse growing a position beyond `max_position_pct` percent of equity."""
    if max_position_pct is None or opening_qty(side, qty, position_qty) == ZERO:
        return None
    after = abs(position_qty + signed_qty(side, qty)) * reference_price
    if equity > ZERO and after <= equity * max_position_pct / HUNDRED:
        return None
    return rejections.POSITION_LIMIT_EXCEEDED


def first_rejection(*codes: str | None) -> str | None:
    """Return the first rejection code among check results, or None if all passed."""
    return next((code for code in codes if code is not None), None)


# --- A portfolio's restrictions (challenges set them) ----------------------------------------


class Window(Protocol):
    """A time-of-day window orders may be placed in (portfolios.rules.TradingWindow)."""

    def contains(self, instant: datetime) -> bool:
        """Say whether `instant` falls inside the window."""
        ...


def check_order_type(order_type: str, allowed: Collection[str] | None) -> str | None:
    """Refuse an order type the rules do not list."""
    return None if allowed is None or order_type in allowed else rejections.ORDER_TYPE_NOT_ALLOWED


def check_symbol(symbol: str, allowed: Collection[str] | None) -> str | None:
    """Refuse a symbol the rules do not list."""
    return None if allowed is None or symbol in allowed else rejections.SYMBOL_NOT_ALLOWED


def check_sector(sector: str, allowed: Collection[str] | None) -> str | None:
    """Refuse an instrument whose sector the rules do not list (case-insensitive)."""
    if allowed is None or sector.casefold() in {s.casefold() for s in allowed}:
        return None
    return rejections.SECTOR_NOT_ALLOWED


def check_window(now: datetime, window: Window | None) -> str | None:
    """Refuse an order placed outside the trading window."""
    return None if window is None or window.contains(now) else rejections.OUTSIDE_TRADING_WINDOW


def check_trades_today(placed_today: int, maximum: int | None) -> str | None:
    """Refuse an order once the day's maximum number of orders has been placed."""
    if maximum is None or placed_today < maximum:
        return None
    return rejections.MAX_TRADES_PER_DAY_EXCEEDED
