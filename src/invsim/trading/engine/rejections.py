"""The one list of order rejection codes, with the message a client sees for each.

The pure pre-trade checks (`checks.py`) return the first group; the service
decides the second (unknown or untradable symbols, idempotency clashes, the
restrictions challenges put on their portfolios). `reject` builds the error
for any of them.
"""

from __future__ import annotations

from typing import Any

from invsim.core.errors import OrderRejected

# Decided by the pure checks on the account's figures.
INSUFFICIENT_BUYING_POWER = "insufficient_buying_power"
INSUFFICIENT_POSITION = "insufficient_position"
SHORT_SELLING_NOT_ALLOWED = "short_selling_not_allowed"
BELOW_MIN_PRICE = "below_min_price"
POSITION_LIMIT_EXCEEDED = "position_limit_exceeded"
FRACTIONAL_NOT_ALLOWED = "fractional_not_allowed"
STALE_PRICE = "stale_price"
MARKET_CLOSED = "market_closed"
# Decided by the service or a portfolio's restrictions.
UNKNOWN_SYMBOL = "unknown_symbol"
SYMBOL_NOT_TRADABLE = "symbol_not_tradable"
DUPLICATE_CLIENT_ORDER_ID = "duplicate_client_order_id"
ORDER_TYPE_NOT_ALLOWED = "order_type_not_allowed"
SYMBOL_NOT_ALLOWED = "symbol_not_allowed"
SECTOR_NOT_ALLOWED = "sector_not_allowed"
MAX_TRADES_PER_DAY_EXCEEDED = "max_trades_per_day_exceeded"
OUTSIDE_TRADING_WINDOW = "outside_trading_window"
NO_POSITION = "no_position"
MANUAL_TRADING_NOT_ALLOWED = "manual_trading_not_allowed"

MESSAGES: dict[str, str] = {
    INSUFFICIENT_BUYING_POWER: "not enough buying power for this order",
    INSUFFICIENT_POSITION: "you cannot sell more shares than you hold and have not already offered",
    SHORT_SELLING_NOT_ALLOWED: "short selling is not allowed in this portfolio",
    BELOW_MIN_PRICE: "the price is below the minimum price this portfolio may trade",
    POSITION_LIMIT_EXCEEDED: "the position would exceed the largest share of equity allowed",
    FRACTIONAL_NOT_ALLOWED: "this portfolio trades whole shares only",
    STALE_PRICE: "the price is stale, so an immediate order cannot trade now",
    MARKET_CLOSED: "the market is closed, so an immediate order cannot trade now",
    UNKNOWN_SYMBOL: "no instrument is listed under this symbol",
    SYMBOL_NOT_TRADABLE: "this instrument cannot be traded",
    DUPLICATE_CLIENT_ORDER_ID: "client_order_id was already used for a different order",
    ORDER_TYPE_NOT_ALLOWED: "this portfolio's rules do not allow this order type",
    SYMBOL_NOT_ALLOWED: "this portfolio's rules do not allow trading this symbol",
    SECTOR_NOT_ALLOWED: "this portfolio's rules do not allow trading this sector",
    MAX_TRADES_PER_DAY_EXCEEDED: "this portfolio has placed its maximum number of orders today",
    OUTSIDE_TRADING_WINDOW: "orders may only be placed inside this portfolio's trading window",
    NO_POSITION: "there is no open position in this symbol",
    MANUAL_TRADING_NOT_ALLOWED: "only this portfolio's live strategies may place orders",
}

CODES: frozenset[str] = frozenset(MESSAGES)


def reject(code: str, **details: Any) -> OrderRejected:
    """Build the OrderRejected error (HTTP 422) for any rejection code, ready to raise."""
    return OrderRejected(MESSAGES[code], code=code, details=details)
