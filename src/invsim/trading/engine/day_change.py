"""Today's P&L of one symbol: the one definition behind a position's day change and the day P&L.

    day change = value now − value at the previous close − net cash paid for today's trades
               = held since the previous close × (last − previous close)
                 + bought today × (last − fill price)
                 − sold today × (last − fill price)

Shares bought today therefore count from their fill price, not from the previous
close (they did not exist then), and shares sold today count from the previous
close to their fill price. Values are rounded to the cent per position, as the
one valuation arithmetic (`margin.exposure_of`) does, so summing the symbols'
day changes and today's other cash (fees, interest) gives exactly the account's
equity change less deposits. Pure: the caller reads fills and prices.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from invsim.core.money import ZERO, money


@dataclass(frozen=True, slots=True)
class TradeToday:
    """One of today's fills in the symbol: its side and the cash it moved (gross, before fees)."""

    side: str  # "buy" or "sell"
    qty: Decimal
    gross: Decimal

    @property
    def signed_qty(self) -> Decimal:
        """Return the quantity added to the position (negative for a sale)."""
        return self.qty if self.side == "buy" else -self.qty


def qty_at_open(qty_now: Decimal, trades: Iterable[TradeToday]) -> Decimal:
    """Return the quantity held before today's trades."""
    return qty_now - sum((t.signed_qty for t in trades), ZERO)


def day_change(
    *, qty_now: Decimal, price_now: Decimal, qty_before: Decimal, price_before: Decimal,
    trades: Iterable[TradeToday],
) -> Decimal:
    """Return the symbol's P&L since the previous close (signed quantities: shorts negative)."""
    paid = sum((t.gross if t.side == "buy" else -t.gross for t in trades), ZERO)
    return money(qty_now * price_now) - money(qty_before * price_before) - paid
