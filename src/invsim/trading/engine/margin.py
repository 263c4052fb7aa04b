"""Equity, margin requirements and the liquidation plan for a margin call.

Short sale proceeds are credited to cash and the short's market value is a
liability, so at every instant `equity = cash + long value - short value`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from invsim.core.money import ONE, ZERO, money
from invsim.trading.engine.state import Side


@dataclass(frozen=True, slots=True)
class MarginRates:
    """Reg T style rates: initial margin, and maintenance for long and short positions."""

    initial: Decimal = Decimal("0.50")
    maintenance_long: Decimal = Decimal("0.25")
    maintenance_short: Decimal = Decimal("0.30")

    @property
    def multiplier(self) -> Decimal:
        """Return how many dollars of positions one dollar of excess equity supports."""
        return ONE / self.initial


DEFAULT_MARGIN_RATES = MarginRates()


@dataclass(frozen=True, slots=True)
class Holding:
    """A position by symbol; `qty` is signed (negative when short)."""

    symbol: str
    qty: Decimal


@dataclass(frozen=True, slots=True)
class Exposure:
    """Market value of the long and of the short positions, both positive, to the cent."""

    long_value: Decimal
    short_value: Decimal

    @property
    def gross(self) -> Decimal:
        """Return the total market value at risk, long plus short."""
        return self.long_value + self.short_value


@dataclass(frozen=True, slots=True)
class Liquidation:
    """One position to close in full: the order side and size, and its market value."""

    symbol: str
    side: Side
    qty: Decimal
    market_value: Decimal


def market_value(holding: Holding, prices: Mapping[str, Decimal]) -> Decimal:
    """Return a holding's signed market value at its price, to the cent."""
    return money(holding.qty * prices[holding.symbol])


def exposure(holdings: Iterable[Holding], prices: Mapping[str, Decimal]) -> Exposure:
    """Sum long and short market values."""
    return exposure_of({h.symbol: h.qty for h in holdings}, prices)


def exposure_of(quantities: Mapping[str, Decimal], prices: Mapping[str, Decimal]) -> Exposure:
    """Sum long and short market values of signed quantities, each position to the cent.

    The one valuation arithmetic (portfolios/valuation.py, analytics' history and
    snapshots call it); one pass, as the snapshot job runs it for every portfolio.
    """
    long_value = short_value = ZERO
    for symbol, qty in quantities.items():
        value = money(qty * prices[symbol])
        if value > ZERO:
            long_value += value
        elif value < ZERO:
            short_value -= value
    return Exposure(long_value, short_value)


def equity(cash: Decimal, book: Exposure) -> Decimal:
    """Return cash plus long value minus short value."""
    return money(cash + book.long_value - book.short_value)


def maintenance_requirement(book: Exposure, rates: MarginRates = DEFAULT_MARGIN_RATES) -> Decimal:
    """Return the equity the positions must keep: 25 % of longs plus 30 % of shorts by default."""
    required = book.long_value * rates.maintenance_long + book.short_value * rates.maintenance_short
    return money(required)


def margin_buying_power(
    equity_value: Decimal,
    book: Exposure,
    reserved: Decimal = ZERO,
    rates: MarginRates = DEFAULT_MARGIN_RATES,
) -> Decimal:
    """Return the new position value the account may open: (equity - initial * gross) / initial.

    With 50 % initial margin that is 2 x equity - gross exposure; `reserved` is
    the value held back for open orders. Never negative.
    """
    excess = equity_value - rates.initial * book.gross
    return money(max(ZERO, excess * rates.multiplier - reserved))


def is_margin_call(
    equity_value: Decimal, book: Exposure, rates: MarginRates = DEFAULT_MARGIN_RATES
) -> bool:
    """Say whether equity has fallen below the maintenance requirement."""
    return equity_value < maintenance_requirement(book, rates)


def liquidation_plan(
    holdings: Iterable[Holding],
    prices: Mapping[str, Decimal],
    equity_value: Decimal,
    rates: MarginRates = DEFAULT_MARGIN_RATES,
) -> list[Liquidation]:
    """List positions to close, largest market value first, until maintenance is met.

    Closing a position at its mark leaves equity unchanged and removes its
    requirement, so each close shrinks the shortfall by its requirement alone.
    Ties break by symbol so the plan is deterministic.
    """
    remaining = sorted(
        (h for h in holdings if h.qty != ZERO), key=lambda h: _largest_first(h, prices)
    )
    plan: list[Liquidation] = []
    while remaining and is_margin_call(equity_value, exposure(remaining, prices), rates):
        holding = remaining.pop(0)
        plan.append(_close_order(holding, market_value(holding, prices)))
    return plan


def _largest_first(holding: Holding, prices: Mapping[str, Decimal]) -> tuple[Decimal, str]:
    """Order holdings by absolute market value, descending, then by symbol."""
    return (-abs(holding.qty * prices[holding.symbol]), holding.symbol)


def _close_order(holding: Holding, value: Decimal) -> Liquidation:
    """Build the order that closes a holding: sell a long, buy back a short."""
    side = Side.SELL if holding.qty > ZERO else Side.BUY
    return Liquidation(holding.symbol, side, abs(holding.qty), abs(value))
