"""Allocation of a portfolio's equity by symbol, sector, asset class, side and cash.

Pure. Amounts are signed market values (a short is negative), so every grouping
plus cash sums to the equity exactly: `cash + Σ long − Σ short = equity`.
Weights are those amounts divided by the equity (net weights: they sum to 1,
a short has a negative weight, and a leveraged book can exceed 1). With no
positive equity every weight is None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from invsim.core.money import ZERO, money, rate

CASH = "cash"


@dataclass(frozen=True, slots=True)
class Holding:
    """One open position valued at its current price (market_value signed)."""

    symbol: str
    qty: Decimal
    market_value: Decimal
    sector: str
    asset_class: str


@dataclass(frozen=True, slots=True)
class Slice:
    """One group of the allocation: its amount and its weight of equity (None: no equity)."""

    key: str
    value: Decimal
    weight: Decimal | None
    long_value: Decimal
    short_value: Decimal


@dataclass(frozen=True, slots=True)
class Allocation:
    """Equity split every way the allocation page shows it."""

    equity: Decimal
    cash: Decimal
    cash_weight: Decimal | None
    long_market_value: Decimal
    short_market_value: Decimal
    by_symbol: list[Slice]
    by_sector: list[Slice]
    by_asset_class: list[Slice]
    by_side: list[Slice]


def weight(part: Decimal, equity: Decimal) -> Decimal | None:
    """Return part / equity to six decimals, or None without positive equity."""
    return rate(part / equity) if equity > ZERO else None


def group(
    holdings: Iterable[Holding], key: Callable[[Holding], str], equity: Decimal
) -> list[Slice]:
    """Sum holdings by `key`, largest gross exposure first (ties by key)."""
    sums: dict[str, tuple[Decimal, Decimal]] = {}
    for holding in holdings:
        long_value, short_value = sums.get(key(holding), (ZERO, ZERO))
        if holding.market_value >= ZERO:
            long_value += holding.market_value
        else:
            short_value -= holding.market_value
        sums[key(holding)] = (long_value, short_value)
    slices = [Slice(k, money(lv - sv), weight(lv - sv, equity), money(lv), money(sv))
              for k, (lv, sv) in sums.items()]
    return sorted(slices, key=lambda s: (-(s.long_value + s.short_value), s.key))


def side_of(holding: Holding) -> str:
    """Return "long" or "short"."""
    return "long" if holding.qty > ZERO else "short"


def allocate(cash: Decimal, holdings: Sequence[Holding]) -> Allocation:
    """Split the equity (cash plus signed market values) by every grouping."""
    long_value = sum((h.market_value for h in holdings if h.market_value > ZERO), ZERO)
    short_value = -sum((h.market_value for h in holdings if h.market_value < ZERO), ZERO)
    equity = money(cash + long_value - short_value)
    return Allocation(
        equity=equity, cash=money(cash), cash_weight=weight(cash, equity),
        long_market_value=money(long_value), short_market_value=money(short_value),
        by_symbol=group(holdings, lambda h: h.symbol, equity),
        by_sector=group(holdings, lambda h: h.sector, equity),
        by_asset_class=group(holdings, lambda h: h.asset_class, equity),
        by_side=group(holdings, side_of, equity),
    )
