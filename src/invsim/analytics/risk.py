"""Risk figures of a daily return series: volatility, ratios, beta/alpha, VaR, concentration.

Inputs are float64 arrays of daily returns (fractions) without NaN. The
risk-free rate is an annual fraction (0.04 = 4 %), turned into the daily rate
that compounds to it over a year of periods (252 trading days by default;
`frequency.periods_per_year` tells a series' own). Every function returns None instead
of NaN or infinity when the figure is not defined.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from invsim.analytics.returns import TRADING_DAYS_PER_YEAR, FloatArray

# Below this benchmark variance beta is a ratio of rounding errors (empyrical's cut-off).
_MIN_VARIANCE = 1e-30


@dataclass(frozen=True)
class Concentration:
    """How concentrated the holdings are, by gross market value."""

    hhi: float  # Herfindahl index Σ w_i², from 1/N (equal weights) to 1 (one holding)
    largest_weight: float  # weight of the largest holding, 0–1


def daily_risk_free(annual_rate: float, periods_per_year: float = TRADING_DAYS_PER_YEAR) -> float:
    """Convert an annual risk-free rate to the daily rate that compounds to it."""
    return float((1.0 + annual_rate) ** (1.0 / periods_per_year) - 1.0)


def sample_std(values: FloatArray) -> float:
    """Return the sample standard deviation (ddof=1), exactly 0 for equal values."""
    # np.std of identical values can leave a 1e-18 residue that would turn an
    # undefined ratio into a huge finite one.
    if values.max() == values.min():
        return 0.0
    return float(np.std(values, ddof=1))


def annual_volatility(
    returns: FloatArray, periods_per_year: float = TRADING_DAYS_PER_YEAR
) -> float | None:
    """Return the annualised sample standard deviation of daily returns."""
    if returns.size < 2:
        return None
    return sample_std(returns) * math.sqrt(periods_per_year)


def sharpe_ratio(
    returns: FloatArray,
    risk_free_rate: float = 0.0,
    periods_per_year: float = TRADING_DAYS_PER_YEAR,
) -> float | None:
    """Return mean excess daily return over its sample deviation, times √252."""
    if returns.size < 2:
        return None
    excess = returns - daily_risk_free(risk_free_rate, periods_per_year)
    deviation = sample_std(excess)
    if deviation == 0:
        return None
    return float(excess.mean()) / deviation * math.sqrt(periods_per_year)


def downside_deviation(
    returns: FloatArray,
    risk_free_rate: float = 0.0,
    periods_per_year: float = TRADING_DAYS_PER_YEAR,
) -> float | None:
    """Return the annualised root-mean-square shortfall below the risk-free rate."""
    if returns.size == 0:
        return None
    excess = returns - daily_risk_free(risk_free_rate, periods_per_year)
    # Every day counts in the mean (a good day is a shortfall of 0), which is
    # Sortino's target downside deviation, not the deviation of losing days.
    shortfall = np.minimum(excess, 0.0)
    return math.sqrt(float(np.mean(shortfall * shortfall))) * math.sqrt(periods_per_year)


def sortino_ratio(
    returns: FloatArray,
    risk_free_rate: float = 0.0,
    periods_per_year: float = TRADING_DAYS_PER_YEAR,
) -> float | None:
    """Return the annualised mean excess return over the annualised downside deviation.

    None where the Sharpe ratio is None too (excess returns that do not vary,
    e.g. all cash under a positive risk-free rate): a ratio of a constant
    shortfall to itself, −√252, would measure nothing but the rate.
    """
    if returns.size < 2:
        return None
    excess = returns - daily_risk_free(risk_free_rate, periods_per_year)
    downside = downside_deviation(returns, risk_free_rate, periods_per_year)
    if not downside or sample_std(excess) == 0:
        return None
    return float(excess.mean()) * periods_per_year / downside


def beta_alpha(
    returns: FloatArray,
    benchmark: FloatArray,
    risk_free_rate: float = 0.0,
    periods_per_year: float = TRADING_DAYS_PER_YEAR,
) -> tuple[float | None, float | None]:
    """Return (beta, annual alpha) of aligned daily returns against a benchmark."""
    if returns.size < 2 or returns.size != benchmark.size:
        return None, None
    daily_rf = daily_risk_free(risk_free_rate, periods_per_year)
    excess, market = returns - daily_rf, benchmark - daily_rf
    centred = market - market.mean()
    variance = float(np.mean(centred * centred))
    if variance < _MIN_VARIANCE:
        return None, None
    # Returns that never vary (all cash) have no covariance with anything: beta
    # is exactly 0, not the 1e-17 the rounding of the centred sums leaves.
    constant = returns.max() == returns.min()
    beta = 0.0 if constant else float(np.mean(centred * excess)) / variance
    daily_alpha = float(np.mean(excess - beta * market))
    return beta, _compound_daily(daily_alpha, periods_per_year)


def _compound_daily(daily_rate: float, periods_per_year: float) -> float | None:
    """Compound a mean daily rate over a year: (1 + r)^252 − 1."""
    if daily_rate <= -1.0:
        return None
    try:
        return math.exp(periods_per_year * math.log1p(daily_rate)) - 1.0
    except OverflowError:
        return None


def value_at_risk(returns: FloatArray, cutoff: float = 0.05) -> float | None:
    """Return the historical VaR as a return: the `cutoff` quantile of daily returns."""
    if returns.size == 0:
        return None
    return float(np.percentile(returns, 100 * cutoff))


def conditional_value_at_risk(returns: FloatArray, cutoff: float = 0.05) -> float | None:
    """Return the mean of the worst ⌊(n − 1)·cutoff⌋ + 1 daily returns."""
    if returns.size == 0:
        return None
    worst = int((returns.size - 1) * cutoff)
    return float(np.mean(np.partition(returns, worst)[: worst + 1]))


def best_day(returns: FloatArray) -> float | None:
    """Return the highest daily return."""
    return float(returns.max()) if returns.size else None


def worst_day(returns: FloatArray) -> float | None:
    """Return the lowest daily return."""
    return float(returns.min()) if returns.size else None


def positive_share(returns: FloatArray) -> float | None:
    """Return the share of periods with a gain (a flat day is not a gain)."""
    return float(np.count_nonzero(returns > 0)) / returns.size if returns.size else None


def concentration(position_values: FloatArray) -> Concentration | None:
    """Measure concentration by gross weight; None when nothing is held (all cash)."""
    gross = np.abs(position_values)
    total = float(gross.sum())
    if not total > 0 or not math.isfinite(total):
        return None
    weights = gross / total
    return Concentration(hhi=float(np.sum(weights * weights)), largest_weight=float(weights.max()))
