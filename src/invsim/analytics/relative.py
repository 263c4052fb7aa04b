"""Figures of a portfolio relative to its benchmark: tracking error, information ratio, R².

Pure numpy. Inputs are aligned period returns (`metrics.aligned_returns`: both
returns of a pair span the same interval). None where a figure is not defined.
See docs/analytics.md, "Against the benchmark".
"""

from __future__ import annotations

import math

import numpy as np

from invsim.analytics.returns import TRADING_DAYS_PER_YEAR, FloatArray
from invsim.analytics.risk import sample_std


def _active(returns: FloatArray, benchmark: FloatArray) -> FloatArray | None:
    """Return the active returns r − r_b; None with fewer than 2 pairs or mismatched lengths."""
    if returns.size < 2 or returns.size != benchmark.size:
        return None
    active: FloatArray = returns - benchmark
    return active


def tracking_error(
    returns: FloatArray, benchmark: FloatArray, periods_per_year: float = TRADING_DAYS_PER_YEAR
) -> float | None:
    """Return the annualised sample deviation of the active returns, std(r − r_b) × √ppy."""
    active = _active(returns, benchmark)
    if active is None:
        return None
    return sample_std(active) * math.sqrt(periods_per_year)


def information_ratio(
    returns: FloatArray, benchmark: FloatArray, periods_per_year: float = TRADING_DAYS_PER_YEAR
) -> float | None:
    """Return mean(r − r_b) / std(r − r_b, ddof=1) × √ppy: the annualised active Sharpe.

    empyrical's `excess_sharpe` and quantstats' `information_ratio` (both per
    period) times √ppy. None when the active returns do not vary.
    """
    active = _active(returns, benchmark)
    if active is None:
        return None
    deviation = sample_std(active)
    if deviation == 0:
        return None
    return float(active.mean()) / deviation * math.sqrt(periods_per_year)


def r_squared(returns: FloatArray, benchmark: FloatArray) -> float | None:
    """Return the squared correlation of the returns with the benchmark's (OLS R²).

    The share of the portfolio's variance its beta to the benchmark explains,
    from 0 to 1. None when either series does not vary. quantstats' `r_squared`.
    """
    if _active(returns, benchmark) is None:
        return None
    if returns.max() == returns.min() or benchmark.max() == benchmark.min():
        return None
    mine, market = returns - returns.mean(), benchmark - benchmark.mean()
    covariance = float(np.mean(mine * market))
    return covariance * covariance / (float(np.mean(mine * mine)) * float(np.mean(market * market)))
