"""Turn an equity series into the figures the API shows: P&L arrays and normalised indices.

Pure. Every amount is a Decimal to the cent; percentages are fractions with six
decimals. Flows never count as profit: the P&L removes them and the return is
chain-linked (time-weighted) exactly as `analytics.returns` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from invsim.analytics.history import PriceBook
from invsim.core.money import HUNDRED, ZERO, money, rate


@dataclass(frozen=True, slots=True)
class Observed:
    """The part of a series point the reports need."""

    day: date
    at: datetime
    equity: Decimal
    net_cash_flow: Decimal


@dataclass(frozen=True, slots=True)
class HistoryArrays:
    """Alpaca's portfolio-history shape: parallel arrays and the base value."""

    timestamp: list[int]
    equity: list[Decimal]
    profit_loss: list[Decimal]
    profit_loss_pct: list[Decimal | None]
    cash_flow: list[Decimal]
    base_value: Decimal | None


def growth(points: Sequence[Observed]) -> list[Decimal | None]:
    """Return the wealth of 1 invested at the first point, after each point (TWR index).

    Each step multiplies by (E_t − F_t) / E_{t−1}, floored at 0 (a loss of
    everything, after which the index stays 0); a step from no capital at all
    (E_{t−1} ≤ 0 with the index still above 0) leaves it undefined (None).
    """
    index: list[Decimal | None] = []
    level: Decimal | None = Decimal(1)
    for i, point in enumerate(points):
        if i and level:  # a total loss stays a total loss; undefined stays undefined
            previous = points[i - 1].equity
            level = (level * max((point.equity - point.net_cash_flow) / previous, ZERO)
                     if previous > ZERO else None)
        index.append(level)
    return index


def history_arrays(points: Sequence[Observed]) -> HistoryArrays:
    """Return timestamps (epoch seconds), equity, P&L since the base, its % and flows."""
    if not points:
        return HistoryArrays([], [], [], [], [], None)
    base = points[0].equity
    flows = [money(ZERO)] + [p.net_cash_flow for p in points[1:]]
    running, profit = ZERO, []
    for point, flow in zip(points, flows, strict=True):
        running += flow
        profit.append(money(point.equity - base - running))
    return HistoryArrays(
        timestamp=[int(p.at.timestamp()) for p in points],
        equity=[p.equity for p in points], profit_loss=profit,
        profit_loss_pct=[None if g is None else rate(g - 1) for g in growth(points)],
        cash_flow=flows, base_value=base,
    )


def normalised(levels: Sequence[Decimal | None]) -> list[Decimal | None]:
    """Scale a series to 100 at its first defined value (4 decimals)."""
    base = next((level for level in levels if level), None)
    if base is None:
        return [None] * len(levels)
    return [None if level is None else (level * HUNDRED / base).quantize(Decimal("0.0001"))
            for level in levels]


def benchmark_levels(book: PriceBook, symbol: str, days: Sequence[date]) -> list[Decimal | None]:
    """Return the benchmark's close on each day (or its last close before it)."""
    return [book.price_on(symbol, day) for day in days]


def cumulative_returns(levels: Sequence[Decimal | None]) -> list[Decimal | None]:
    """Return each level's return since the first defined level, as a fraction."""
    return [None if level is None else rate(level / HUNDRED - 1) for level in normalised(levels)]
