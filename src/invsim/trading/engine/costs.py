"""Trading costs: commission models and adverse slippage."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from invsim.core.money import HUNDRED, ONE, ZERO, bps, money, price
from invsim.trading.engine.state import Side


class CommissionKind(StrEnum):
    """The shape of a commission schedule."""

    NONE = "none"
    PER_TRADE = "per_trade"
    PER_SHARE = "per_share"
    PERCENT = "percent"


@dataclass(frozen=True, slots=True)
class CommissionModel:
    """A commission schedule, charged per order (not per partial fill).

    per_trade: `amount` once per order. per_share: `rate` dollars a share, at
    least `minimum`. percent: `rate` percent of the traded value (0.1 means
    0.1 %), at least `minimum`.
    """

    kind: CommissionKind = CommissionKind.NONE
    amount: Decimal = ZERO
    rate: Decimal = ZERO
    minimum: Decimal = ZERO

    @classmethod
    def none(cls) -> CommissionModel:
        """Build the free model."""
        return cls()

    @classmethod
    def per_trade(cls, amount: Decimal) -> CommissionModel:
        """Build a flat fee per order."""
        return cls(CommissionKind.PER_TRADE, amount=amount)

    @classmethod
    def per_share(cls, rate: Decimal, minimum: Decimal = ZERO) -> CommissionModel:
        """Build a fee per share with a minimum per order."""
        return cls(CommissionKind.PER_SHARE, rate=rate, minimum=minimum)

    @classmethod
    def percent(cls, rate: Decimal, minimum: Decimal = ZERO) -> CommissionModel:
        """Build a fee as a percentage of traded value with a minimum per order."""
        return cls(CommissionKind.PERCENT, rate=rate, minimum=minimum)


NO_COMMISSION = CommissionModel()


def commission_for(model: CommissionModel, qty: Decimal, gross: Decimal) -> Decimal:
    """Return the commission, to the cent, for an order that traded `qty` worth `gross`."""
    if qty <= ZERO or model.kind is CommissionKind.NONE:
        return money(ZERO)
    if model.kind is CommissionKind.PER_TRADE:
        return money(model.amount)
    if model.kind is CommissionKind.PER_SHARE:
        return money(max(model.rate * qty, model.minimum))
    return money(max(abs(gross) * model.rate / HUNDRED, model.minimum))


def commission(model: CommissionModel, qty: Decimal, fill_price: Decimal) -> Decimal:
    """Return the commission, to the cent, for trading `qty` at `fill_price` in one order."""
    return commission_for(model, qty, qty * fill_price)


def fill_commission(
    model: CommissionModel,
    prior_qty: Decimal,
    prior_gross: Decimal,
    qty: Decimal,
    gross: Decimal,
) -> Decimal:
    """Return what one fill adds to its order's commission.

    Charging the difference of the order's cumulative commission means a
    per-trade fee or a minimum is paid once per order even when volume caps
    split it into several fills, and the fills always add up to the order total.
    """
    before = commission_for(model, prior_qty, prior_gross)
    return commission_for(model, prior_qty + qty, prior_gross + gross) - before


def slippage_price(side: Side, quote: Decimal, slippage_bps: Decimal) -> Decimal:
    """Move a quote against the trader by `slippage_bps` basis points, rounded to the tick."""
    factor = ONE + bps(slippage_bps) if side is Side.BUY else ONE - bps(slippage_bps)
    return price(quote * factor)
