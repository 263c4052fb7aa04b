"""The shape of a return distribution: skew, kurtosis, Omega and the tail ratio.

Pure numpy, on float64 arrays of period returns without NaN. Every function
returns None where the figure is not defined (too few returns, nothing varies,
nothing to divide by). Conventions and the libraries each is checked against:
docs/analytics.md, "Distribution".
"""

from __future__ import annotations

import math

import numpy as np

from invsim.analytics.returns import FloatArray

_MIN_SKEW_POINTS = 3  # G1 divides by (n − 2)
_MIN_KURTOSIS_POINTS = 4  # G2 divides by (n − 2)(n − 3)


def _central_moments(returns: FloatArray) -> tuple[float, float, float] | None:
    """Return the population central moments m2, m3, m4; None when nothing varies."""
    if returns.max() == returns.min():
        return None
    deviations = returns - returns.mean()
    squared = deviations * deviations
    m2 = float(np.mean(squared))
    return m2, float(np.mean(squared * deviations)), float(np.mean(squared * squared))


def skewness(returns: FloatArray) -> float | None:
    """Return the sample skewness G1 = √(n(n − 1)) / (n − 2) × m3 / m2^1.5.

    The bias-corrected (adjusted Fisher–Pearson) estimator: pandas' `skew`,
    quantstats' `skew`, Excel's SKEW, scipy's `skew(bias=False)`.
    """
    n = returns.size
    if n < _MIN_SKEW_POINTS:
        return None
    moments = _central_moments(returns)
    if moments is None:
        return None
    m2, m3, _ = moments
    # numpy's power, not Python's: an absurd variance overflows to inf (the metrics turn it
    # into None) instead of raising OverflowError
    return float(math.sqrt(n * (n - 1)) / (n - 2) * m3 / np.power(np.float64(m2), 1.5))


def kurtosis(returns: FloatArray) -> float | None:
    """Return the sample excess kurtosis G2 (0 for a normal distribution).

    G2 = (n − 1) / ((n − 2)(n − 3)) × ((n + 1) × m4 / m2² − 3(n − 1)): pandas'
    `kurt`, quantstats' `kurtosis`, Excel's KURT, scipy's `kurtosis(bias=False)`.
    """
    n = returns.size
    if n < _MIN_KURTOSIS_POINTS:
        return None
    moments = _central_moments(returns)
    if moments is None:
        return None
    m2, _, m4 = moments
    return (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * m4 / (m2 * m2) - 3 * (n - 1))


def omega_ratio(returns: FloatArray, threshold: float = 0.0) -> float | None:
    """Return Σ gains above the threshold / Σ shortfalls below it (per period).

    empyrical's `omega_ratio` with `risk_free` = the threshold and no required
    return. None without returns or without a single period below the threshold.
    """
    if returns.size == 0:
        return None
    excess = returns - threshold
    shortfall = -float(np.sum(excess[excess < 0]))
    if not shortfall > 0:
        return None
    return float(np.sum(excess[excess > 0])) / shortfall


def tail_ratio(returns: FloatArray) -> float | None:
    """Return |95th percentile| / |5th percentile| of the returns (linear interpolation).

    empyrical's and quantstats' `tail_ratio`: above 1, the best days are larger
    than the worst are bad. None without returns or when the 5th percentile is 0.
    """
    if returns.size == 0:
        return None
    low, high = np.percentile(returns, [5.0, 95.0])
    if low == 0:
        return None
    return abs(float(high)) / abs(float(low))
