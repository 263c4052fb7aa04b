"""Drawdowns measured on the time-weighted growth index, so deposits never fake a recovery.

Depths are negative fractions (−0.25 means 25 % below the running peak), as in
empyrical. Dates are the observation dates of the growth index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from invsim.analytics.returns import FloatArray, growth_index

# Falls shallower than this are rounding residue of the compounding, not losses.
DRAWDOWN_NOISE = 1e-12


@dataclass(frozen=True)
class Drawdown:
    """The deepest fall from a running peak of the growth index."""

    depth: float  # ≤ 0: trough / peak − 1
    peak_on: date  # last date at the peak before the trough
    trough_on: date  # first date at the lowest point
    recovery_on: date | None  # first date back at the peak; None while under water
    duration_days: int  # calendar days from peak to recovery, or to the last date


def drawdown_series(growth: FloatArray) -> FloatArray:
    """Return how far each point of a growth index sits below its running peak."""
    peaks = np.maximum.accumulate(growth)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(peaks > 0, growth / peaks - 1.0, 0.0)


def max_drawdown(returns: FloatArray) -> float | None:
    """Return the deepest peak-to-trough fall of compounded returns (≤ 0)."""
    if returns.size == 0:
        return None
    return float(drawdown_series(growth_index(returns)).min())


def worst_drawdown(dates: Sequence[date], growth: FloatArray) -> Drawdown | None:
    """Locate the deepest drawdown with its peak, trough and recovery dates."""
    if growth.size < 2:
        return None
    depths = drawdown_series(growth)
    trough = int(np.argmin(depths))
    if depths[trough] > -DRAWDOWN_NOISE:
        return None
    peak_value = float(growth[: trough + 1].max())
    peak = int(np.flatnonzero(growth[: trough + 1] >= peak_value)[-1])
    recovery = _recovery_index(growth, trough, peak_value)
    end_on = dates[recovery] if recovery is not None else dates[-1]
    return Drawdown(
        depth=float(depths[trough]),
        peak_on=dates[peak],
        trough_on=dates[trough],
        recovery_on=dates[recovery] if recovery is not None else None,
        duration_days=(end_on - dates[peak]).days,
    )


def _recovery_index(growth: FloatArray, trough: int, peak_value: float) -> int | None:
    """Return the first index after the trough that regains the peak, if any."""
    # A path that comes back to the exact same wealth may land one ulp short.
    regained = np.flatnonzero(growth[trough + 1 :] >= peak_value * (1.0 - DRAWDOWN_NOISE))
    return trough + 1 + int(regained[0]) if regained.size else None


def calmar_ratio(annual_return: float | None, max_drawdown: float | None) -> float | None:
    """Return annual return / |max drawdown|; None without a drawdown to divide by."""
    if annual_return is None or max_drawdown is None or max_drawdown > -DRAWDOWN_NOISE:
        return None
    return annual_return / abs(max_drawdown)


@dataclass(frozen=True)
class DrawdownPeriod:
    """One spell under water: from a peak of the growth index back to its level."""

    depth: float  # < 0: the lowest point of the spell / its peak − 1
    peak_on: date  # last date at the peak (the spell starts after its close)
    trough_on: date  # first date at the lowest point
    recovery_on: date | None  # first date back at the peak; None while under water
    days: int  # calendar days from peak to recovery, or to the last date
    periods: int  # observations from peak to recovery (or to the last one)


def drawdown_periods(
    dates: Sequence[date], growth: FloatArray, top: int | None = 5
) -> list[DrawdownPeriod]:
    """Return the `top` deepest spells under water, deepest first (all of them for None).

    A spell runs from the last point at a running peak to the first point back
    at that level; spells never overlap. Ties in depth: the earlier first.
    """
    if growth.size != len(dates):
        raise ValueError("one date per point of the growth index")
    if growth.size < 2:
        return []
    depths = drawdown_series(growth)
    spells = [_period(dates, depths, start, end) for start, end in _runs(depths < -DRAWDOWN_NOISE)]
    spells.sort(key=lambda spell: (spell.depth, spell.peak_on))
    return spells if top is None else spells[:top]


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """Return the [start, end) index ranges where flags are True."""
    edges = np.diff(np.concatenate(([0], flags.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return [(int(a), int(b)) for a, b in zip(starts, ends, strict=True)]


def _period(dates: Sequence[date], depths: FloatArray, start: int, end: int) -> DrawdownPeriod:
    """Describe the spell under water at indices [start, end) (point 0 is never under water)."""
    # The running peak does not move inside a spell, so the lowest depth is the trough.
    peak = start - 1
    trough = start + int(np.argmin(depths[start:end]))
    recovery = end if end < depths.size else None
    last = recovery if recovery is not None else depths.size - 1
    return DrawdownPeriod(
        depth=float(depths[trough]),
        peak_on=dates[peak],
        trough_on=dates[trough],
        recovery_on=dates[recovery] if recovery is not None else None,
        days=(dates[last] - dates[peak]).days,
        periods=last - peak,
    )
