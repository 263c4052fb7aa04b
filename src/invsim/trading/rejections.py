"""The one list of order rejection codes, with the message a client sees for each."""

from __future__ import annotations

from typing import Any

from invsim.core.errors import OrderRejected

INSUFFICIENT_BUYING_POWER = "insufficient_buying_power"
INSUFFICIENT_POSITION = "insufficient_position"
SHORT_SELLING_NOT_ALLOWED = "short_selling_not_allowed"
BELOW_MIN_PRICE = "below_min_price"
POSITION_LIMIT_EXCEEDED = "position_limit_exceeded"
FRACTIONAL_NOT_ALLOWED = "fractional_not_allowed"
STALE_PRICE = "stale_price"
MARKET_CLOSED = "market_closed"

MESSAGES: dict[str, str] = {
    INSUFFICIENT_BUYING_POWER: "not enough buying power for this order",
    INSUFFICIENT_POSITION: "you cannot sell more shares than you hold and have not already offered",
    SHORT_SELLING_NOT_ALLOWED: "short selling is not allowed in this portfolio",
    BELOW_MIN_PRICE: "the price is below the minimum price this portfolio may trade",
    POSITION_LIMIT_EXCEEDED: "the position would exceed the largest share of equity allowed",
    FRACTIONAL_NOT_ALLOWED: "this portfolio trades whole shares only",
    STALE_PRICE: "the price is stale, so an immediate order cannot trade now",
    MARKET_CLOSED: "the market is closed, so an immediate order cannot trade now",
}

CODES: frozenset[str] = frozenset(MESSAGES)


def order_rejected(code: str, **details: Any) -> OrderRejected:
    """Build the OrderRejected error for a rejection code, ready to raise."""
    return OrderRejected(MESSAGES[code], code=code, details=details)
