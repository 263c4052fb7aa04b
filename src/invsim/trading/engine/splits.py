"""A stock split applied to the book: lots, quantities and order prices (pure).

An r-for-1 split turns each share into r shares at 1/r the price. Quantities are
multiplied exactly (at the 1e-6 quantity scale); a lot's price is divided at the 1e-6
price scale, so for the simulated market's ratios (2, 4, 5, 10) and 4-decimal fill
prices the division is exact and every lot keeps its cost to the cent. An open order's
prices are divided and rounded to the price tick away from the market's side of it: a
buy limit and a sell stop down, a sell limit and a buy stop up (never more aggressive
than the order was).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal

from invsim.core.money import PRICE_TICK, SUBDOLLAR_PRICE_TICK, quantity
from invsim.trading.engine.lots import Lot

LOT_PRICE_STEP = Decimal("0.000001")
ONE = Decimal(1)


def split_qty(qty: Decimal, ratio: Decimal) -> Decimal:
    """Return `qty` shares after the split."""
    return quantity(qty * ratio)


def split_lots(lots: Sequence[Lot], ratio: Decimal) -> list[Lot]:
    """Return the lots after the split: r times the shares at 1/r the price each."""
    return [Lot(lot.fill_id, split_qty(lot.qty, ratio), split_lot_price(lot.price, ratio))
            for lot in lots]


def split_lot_price(value: Decimal, ratio: Decimal) -> Decimal:
    """Return a lot's price per share after the split (1e-6 scale, half to even)."""
    return (value / ratio).quantize(LOT_PRICE_STEP, rounding=ROUND_HALF_EVEN)


def split_order_price(value: Decimal, ratio: Decimal, *, round_down: bool) -> Decimal:
    """Return an order's price after the split, on the price tick, rounded one way."""
    exact = value / ratio
    tick = PRICE_TICK if exact >= ONE else SUBDOLLAR_PRICE_TICK
    return exact.quantize(tick, rounding=ROUND_FLOOR if round_down else ROUND_CEILING)


def split_remaining(qty: Decimal, filled: Decimal, ratio: Decimal) -> Decimal:
    """Return an order's total quantity after the split: filled shares plus r × the rest.

    The shares filled before the split stay as they were (they are facts in old shares);
    only what is still to fill is multiplied.
    """
    return filled + split_qty(qty - filled, ratio)
