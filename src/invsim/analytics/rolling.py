"""Rolling volatility, Sharpe ratio and beta over a window of the last `window` returns.

Pure numpy. Value i covers returns[i − window + 1 .. i], so a series of n
returns gives n − window + 1 values, the first at the window's end; each is
None where the figure is not defined for that window (as in `risk`). The
windows themselves are chosen by the caller (`windows_for`: a quarter and a
year of the series' own periods). See docs/analytics.md, "Rolling figures".
"""

from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from invsim.analytics.returns import TRADING_DAYS_PER_YEAR, FloatArray
from invsim.analytics.risk import daily_risk_free

# Below this benchmark variance beta is a ratio of rounding errors (as risk.beta_alpha).
_MIN_VARIANCE = 1e-30

Values = list[float | None]


def windows_for(periods_per_year: float) -> tuple[tuple[str, int], tuple[str, int]]:
    """Return the quarter and year windows in periods: (("3M", 63), ("1Y", 252)) on trading days."""
    year = round(periods_per_year)
    return ("3M", round(periods_per_year / 4)), ("1Y", year)


def _windows(values: FloatArray, window: int) -> FloatArray | None:
    """Return the sliding windows as rows; None when the series is shorter than one window."""
    if window < 2 or values.size < window:
        return None
    rows: FloatArray = sliding_window_view(values, window)
    return rows


def _sample_std(rows: FloatArray) -> FloatArray:
    """Return each row's sample deviation (ddof=1), exactly 0 where the row does not vary."""
    flat = rows.max(axis=1) == rows.min(axis=1)
    deviation: FloatArray = np.where(flat, 0.0, np.std(rows, axis=1, ddof=1))
    return deviation


def _values(found: FloatArray, defined: np.ndarray) -> Values:
    """Turn an array into a list with None where the figure is undefined or not finite."""
    return [float(v) if ok and math.isfinite(v) else None
            for v, ok in zip(found.tolist(), defined.tolist(), strict=True)]


def rolling_volatility(
    returns: FloatArray, window: int, periods_per_year: float = TRADING_DAYS_PER_YEAR
) -> Values:
    """Return the annualised sample volatility of each window (empyrical roll_annual_volatility)."""
    rows = _windows(returns, window)
    if rows is None:
        return []
    found = _sample_std(rows) * math.sqrt(periods_per_year)
    return _values(found, np.ones(found.size, dtype=bool))


def rolling_sharpe(
    returns: FloatArray,
    window: int,
    risk_free_rate: float = 0.0,
    periods_per_year: float = TRADING_DAYS_PER_YEAR,
) -> Values:
    """Return each window's Sharpe ratio (empyrical's roll_sharpe_ratio); None if flat."""
    excess = returns - daily_risk_free(risk_free_rate, periods_per_year)
    rows = _windows(excess, window)
    if rows is None:
        return []
    deviation = _sample_std(rows)
    with np.errstate(divide="ignore", invalid="ignore"):
        found = rows.mean(axis=1) / deviation * math.sqrt(periods_per_year)
    return _values(found, deviation > 0)


def rolling_beta(returns: FloatArray, benchmark: FloatArray, window: int) -> Values:
    """Return each window's beta to the benchmark (empyrical's roll_beta), aligned returns.

    A window whose portfolio returns do not vary (all cash) has a beta of
    exactly 0; one whose benchmark does not move has none.
    """
    if returns.size != benchmark.size:
        raise ValueError("returns and benchmark must be aligned (same length)")
    mine, market = _windows(returns, window), _windows(benchmark, window)
    if mine is None or market is None:
        return []
    centred = market - market.mean(axis=1, keepdims=True)
    variance = np.mean(centred * centred, axis=1)
    covariance = np.mean(centred * mine, axis=1)
    flat = mine.max(axis=1) == mine.min(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        found = np.where(flat, 0.0, covariance / variance)
    return _values(found, variance >= _MIN_VARIANCE)
