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
