"""Rejection codes beyond the engine's own, and the pure checks of a portfolio's restrictions.

`rejections.py` lists the codes of the pure pre-trade checks; this module adds the
ones the service decides (unknown or untradable symbols, idempotency clashes) and
the restrictions challenges put on their portfolios. `reject` builds the error
for any code of either list.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from invsim.core.errors import OrderRejected
from invsim.portfolios.rules import TradingWindow
from invsim.trading import rejections

UNKNOWN_SYMBOL = "unknown_symbol"
SYMBOL_NOT_TRADABLE = "symbol_not_tradable"
DUPLICATE_CLIENT_ORDER_ID = "duplicate_client_order_id"
ORDER_TYPE_NOT_ALLOWED = "order_type_not_allowed"
SYMBOL_NOT_ALLOWED = "symbol_not_allowed"
SECTOR_NOT_ALLOWED = "sector_not_allowed"
MAX_TRADES_PER_DAY_EXCEEDED = "max_trades_per_day_exceeded"
OUTSIDE_TRADING_WINDOW = "outside_trading_window"
NO_POSITION = "no_position"

MESSAGES: dict[str, str] = {
    **rejections.MESSAGES,
    UNKNOWN_SYMBOL: "no instrument is listed under this symbol",
    SYMBOL_NOT_TRADABLE: "this instrument cannot be traded",
    DUPLICATE_CLIENT_ORDER_ID: "client_order_id was already used for a different order",
    ORDER_TYPE_NOT_ALLOWED: "this portfolio's rules do not allow this order type",
    SYMBOL_NOT_ALLOWED: "this portfolio's rules do not allow trading this symbol",
    SECTOR_NOT_ALLOWED: "this portfolio's rules do not allow trading this sector",
    MAX_TRADES_PER_DAY_EXCEEDED: "this portfolio has placed its maximum number of orders today",
    OUTSIDE_TRADING_WINDOW: "orders may only be placed inside this portfolio's trading window",
    NO_POSITION: "there is no open position in this symbol",
}

CODES: frozenset[str] = frozenset(MESSAGES)


def reject(code: str, **details: Any) -> OrderRejected:
    """Build the OrderRejected error (HTTP 422) for any rejection code, ready to raise."""
    return OrderRejected(MESSAGES[code], code=code, details=details)


def check_order_type(order_type: str, allowed: Collection[str] | None) -> str | None:
    """Refuse an order type the rules do not list."""
    return None if allowed is None or order_type in allowed else ORDER_TYPE_NOT_ALLOWED


def check_symbol(symbol: str, allowed: Collection[str] | None) -> str | None:
    """Refuse a symbol the rules do not list."""
    return None if allowed is None or symbol in allowed else SYMBOL_NOT_ALLOWED


def check_sector(sector: str, allowed: Collection[str] | None) -> str | None:
    """Refuse an instrument whose sector the rules do not list (case-insensitive)."""
    if allowed is None or sector.casefold() in {s.casefold() for s in allowed}:
        return None
    return SECTOR_NOT_ALLOWED


def check_window(now: datetime, window: TradingWindow | None) -> str | None:
    """Refuse an order placed outside the trading window."""
    return None if window is None or window.contains(now) else OUTSIDE_TRADING_WINDOW


def check_trades_today(placed_today: int, maximum: int | None) -> str | None:
    """Refuse an order once the day's maximum number of orders has been placed."""
    return None if maximum is None or placed_today < maximum else MAX_TRADES_PER_DAY_EXCEEDED
