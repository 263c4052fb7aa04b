"""FIFO tax lots: apply fills to a position's open lots and realize P&L.

A lot's `qty` is signed: positive for a long lot, negative for a short lot. All
open lots of one position share a sign. Realized P&L excludes commissions,
which are cash entries of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from invsim.core.money import ZERO, money, price
from invsim.trading.engine.state import Side


@dataclass(frozen=True, slots=True)
class Lot:
    """Shares opened by one fill and not yet closed."""

    fill_id: str
    qty: Decimal
    price: Decimal


@dataclass(frozen=True, slots=True)
class ClosedLot:
    """The part of a lot that a later fill closed, and the P&L it realized.

    `qty` keeps the lot's sign. `realized_pnl` is rounded to the cent per lot;
    the fill's total in LotUpdate is rounded once from the exact sum.
    """

    open_fill_id: str
    close_fill_id: str
    qty: Decimal
    open_price: Decimal
    close_price: Decimal
    realized_pnl: Decimal


class LotUpdate(NamedTuple):
    """The lots after a fill, the P&L it realized (to the cent) and the lots it closed."""

    lots: tuple[Lot, ...]
    realized_pnl: Decimal
    closed: tuple[ClosedLot, ...]


def apply_fill(
    lots: Sequence[Lot], side: Side, qty: Decimal, fill_price: Decimal, fill_id: str
) -> LotUpdate:
    """Apply one fill FIFO: close opposite lots oldest first, open a lot with the rest.

    A sell larger than the long position closes every long lot and opens a short
    lot with the remainder (and a buy does the mirror). Whether that crossing is
    allowed is a rule checked before the order is accepted, not here.
    """
    if qty <= ZERO:
        raise ValueError("a fill quantity must be positive")
    signed = qty if side is Side.BUY else -qty
    remaining = list(lots)
    closed: list[ClosedLot] = []
    while remaining and signed != ZERO and _opposite(remaining[0].qty, signed):
        oldest = remaining[0]
        closing = min(abs(oldest.qty), abs(signed))
        closed.append(_close(oldest, closing, fill_price, fill_id))
        remaining[0:1] = _shrink(oldest, closing)
        signed += closing if signed < ZERO else -closing
    if signed != ZERO:
        remaining.append(Lot(fill_id, signed, fill_price))
    realized = money(sum((_exact_pnl(c) for c in closed), ZERO))
    return LotUpdate(tuple(remaining), realized, tuple(closed))


def net_qty(lots: Sequence[Lot]) -> Decimal:
    """Return the position's signed size: the sum of its open lots."""
    return sum((lot.qty for lot in lots), ZERO)


def cost_basis(lots: Sequence[Lot]) -> Decimal:
    """Return the signed cost of the open lots (negative for a short), exact."""
    return sum((lot.qty * lot.price for lot in lots), ZERO)


def average_entry_price(lots: Sequence[Lot]) -> Decimal | None:
    """Return the quantity-weighted entry price of the open lots, or None when flat."""
    size = net_qty(lots)
    return None if size == ZERO else price(cost_basis(lots) / size)


def unrealized_pnl(lots: Sequence[Lot], mark: Decimal) -> Decimal:
    """Return the open lots' P&L at `mark`, to the cent."""
    return money(sum((lot.qty * (mark - lot.price) for lot in lots), ZERO))


def _opposite(lot_qty: Decimal, signed_fill: Decimal) -> bool:
    """Say whether a fill trades against a lot (closes it) rather than adding to it."""
    return (lot_qty > ZERO) != (signed_fill > ZERO)


def _shrink(lot: Lot, closing: Decimal) -> list[Lot]:
    """Return what is left of a lot once `closing` of its shares are closed."""
    left = abs(lot.qty) - closing
    return [Lot(lot.fill_id, left.copy_sign(lot.qty), lot.price)] if left > ZERO else []


def _close(lot: Lot, closing: Decimal, fill_price: Decimal, fill_id: str) -> ClosedLot:
    """Record `closing` shares of `lot` closed at `fill_price`."""
    signed = closing if lot.qty > ZERO else -closing
    pnl = signed * (fill_price - lot.price)
    return ClosedLot(lot.fill_id, fill_id, signed, lot.price, fill_price, money(pnl))


def _exact_pnl(closed: ClosedLot) -> Decimal:
    """Return a closed lot's P&L before rounding, so a fill's total is rounded once."""
    return closed.qty * (closed.close_price - closed.open_price)
