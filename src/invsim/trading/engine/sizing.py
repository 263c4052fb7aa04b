"""How many shares one fill may take: remaining size, notional conversion, volume cap."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from invsim.core.money import ONE, QUANTITY_STEP, ZERO
from invsim.trading.engine.snapshot import Bar
from invsim.trading.engine.spec import OrderSpec


@dataclass(frozen=True, slots=True)
class FillSize:
    """The quantity a fill takes now, what the order still wanted, and whether volume capped it."""

    qty: Decimal
    wanted: Decimal
    volume_capped: bool


def lot_step(fractional: bool) -> Decimal:
    """Return the smallest tradable quantity: 1e-6 with fractional shares, else one share."""
    return QUANTITY_STEP if fractional else ONE


def floor_qty(value: Decimal, step: Decimal) -> Decimal:
    """Round a quantity down to `step`.

    Down, not half-even: a fill must never spend more than a notional order's
    cash nor take more than the volume cap allows.
    """
    return value.quantize(step, rounding=ROUND_DOWN) if value > ZERO else ZERO


def wanted_qty(order: OrderSpec, fill_price: Decimal, step: Decimal) -> Decimal:
    """Return the quantity the order still wants, converting notional at `fill_price`."""
    if order.remaining_qty is not None:
        return order.remaining_qty
    remaining = order.remaining_notional
    assert remaining is not None  # OrderSpec guarantees qty or notional
    return floor_qty(remaining / fill_price, step)


def volume_allowance(
    bar: Bar | None,
    max_share: Decimal | None,
    taken: Decimal,
    step: Decimal,
    minute_volume: Decimal | None = None,
) -> Decimal | None:
    """Return how much more this order may take in the current bar, or None if uncapped.

    The cap is a share of the bar's volume or of a typical minute's volume, whichever is
    larger: a bar that has only just started has traded little, but the market is as deep
    as usual, so an order small against a typical minute fills at once.
    """
    if bar is None or max_share is None:
        return None
    window = bar.volume if minute_volume is None else max(bar.volume, minute_volume)
    return floor_qty(window * max_share - taken, step)


def size_fill(
    order: OrderSpec,
    fill_price: Decimal,
    bar: Bar | None,
    max_share: Decimal | None,
    fractional: bool,
    minute_volume: Decimal | None = None,
) -> FillSize:
    """Decide the quantity of a fill at `fill_price` under the volume cap."""
    step = lot_step(fractional)
    wanted = wanted_qty(order, fill_price, step)
    allowance = volume_allowance(
        bar, max_share, order.filled_qty_this_bar, step, minute_volume
    )
    if allowance is None or allowance >= wanted:
        return FillSize(qty=wanted, wanted=wanted, volume_capped=False)
    return FillSize(qty=allowance, wanted=wanted, volume_capped=True)
