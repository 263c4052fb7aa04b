"""Performance and risk metrics of a portfolio history: one pure entry point.

`compute_metrics` takes the daily equity series (one point per trading
session, ascending dates) with the external cash flows of each day and returns
a frozen `Metrics` of floats or None. Amounts may be Decimal; they become
floats here, at the boundary, because these are statistics, not balances.
Every convention is explained with worked examples in docs/analytics.md.
"""

from __future__ import annotations

import calendar
import itertools
import math
import operator
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from invsim.analytics import distribution, drawdown, frequency, relative, returns, risk
from invsim.analytics.returns import DAYS_PER_YEAR, FloatArray

PERIODS = ("1D", "1W", "1M", "3M", "6M", "YTD", "1Y", "ALL")
CUSTOM = "CUSTOM"
VAR_CUTOFF = 0.05  # 95 % one-day VaR and CVaR

Amount = Decimal | float | int


@dataclass(frozen=True)
class Metrics:
    """Figures for one history. Rates are fractions (0.05 = 5 %); None = not defined."""

    start_on: date | None  # first observation used (the base of every return)
    end_on: date | None  # last observation used
    points: int  # equity observations used
    simple_return: float | None  # gain / (start + net flows), timing ignored
    twr: float | None  # time-weighted return over the whole history
    twr_annualized: float | None  # TWR compounded per year of periods; None under a year
    mwr: float | None  # money-weighted return (IRR) over the whole history
    mwr_annualized: float | None  # XIRR, 365-day year; None under 365 days
    volatility: float | None  # annualised sample std of period returns (ddof=1, √ppy)
    sharpe: float | None  # mean excess period return / its std × √ppy
    sortino: float | None  # ppy × mean excess / annualised downside deviation
    max_drawdown: float | None  # ≤ 0, deepest fall of the TWR index
    drawdown_peak_on: date | None
    drawdown_trough_on: date | None
    drawdown_recovery_on: date | None  # None while still under water
    drawdown_days: int | None  # peak → recovery, or peak → end_on
    calmar: float | None  # twr_annualized / |max_drawdown|
    beta: float | None  # against the benchmark, on common dates
    alpha: float | None  # Jensen's alpha, (1 + mean per period)^ppy − 1
    benchmark_return: float | None  # benchmark total return on the common dates
    var_95: float | None  # 5th percentile of daily returns (a return, usually < 0)
    cvar_95: float | None  # mean of the worst 5 % of daily returns
    best_day: float | None
    worst_day: float | None
    positive_days: float | None  # share of periods with a gain, 0–1
    hhi: float | None  # Herfindahl index of holding weights; None when all cash
    largest_weight: float | None  # weight of the largest holding, 0–1
    # Added with the quant figures (issue 13): keep new fields last, callers read by name.
    periods_per_year: float  # ppy: the annualisation factor used (252 trading days, 365...)
    tracking_error: float | None  # std(r − r_b, ddof=1) × √ppy on common dates
    information_ratio: float | None  # mean(r − r_b) / std(r − r_b) × √ppy
    r_squared: float | None  # squared correlation with the benchmark, 0–1
    skew: float | None  # sample skewness G1 of period returns
    kurtosis: float | None  # sample excess kurtosis G2 (0 for a normal distribution)
    omega: float | None  # Σ gains / Σ losses relative to the per-period risk-free rate
    tail_ratio: float | None  # |95th percentile| / |5th percentile| of period returns


def compute_metrics(
    dates: Sequence[date],
    equity: Sequence[Amount],
    flows: Sequence[Amount] | None = None,
    *,
    benchmark_dates: Sequence[date] = (),
    benchmark_levels: Sequence[Amount] = (),
    position_values: Sequence[Amount] = (),
    risk_free_rate: float = 0.0,
    periods_per_year: float | None = None,
) -> Metrics:
    """Compute every figure of a history; never raises on short or degenerate data.

    `flows[t]` is the net external flow booked at the end of day t (deposit > 0,
    withdrawal or reset-out < 0). `risk_free_rate` is an annual fraction.
    `periods_per_year` annualises; None reads it from the dates
    (`frequency.periods_per_year`: 365 when the series has weekend points, 252
    for trading days, 52 weekly, 12 monthly). Raises ValueError only for
    malformed input (lengths differ, dates unsorted, periods_per_year ≤ 0).
    """
    if periods_per_year is not None and not periods_per_year > 0:
        raise ValueError("periods_per_year must be positive")
    days, values, external = _clean_series(dates, equity, flows)
    # Absurd inputs (1e-300 of equity, say) may overflow: the figure becomes
    # None below instead of a warning and an infinity.
    with np.errstate(all="ignore"):
        found = _compute(
            days,
            values,
            external,
            benchmark=(benchmark_dates, benchmark_levels),
            position_values=position_values,
            risk_free_rate=risk_free_rate,
            periods_per_year=periods_per_year or frequency.periods_per_year(days),
        )
    return _none_if_not_finite(found)


@dataclass(frozen=True)
class ReturnSeries:
    """The clean series `compute_metrics` measures: dates, period returns, growth index."""

    days: list[date]  # observation dates used, the base first
    returns: FloatArray  # returns[i] spans days[i] → days[i + 1] (flows removed)
    growth: FloatArray  # wealth of 1 invested at days[0], one value per day
    periods_per_year: float  # the annualisation factor (given, or read from the dates)


def return_series(
    dates: Sequence[date],
    equity: Sequence[Amount],
    flows: Sequence[Amount] | None = None,
    *,
    periods_per_year: float | None = None,
) -> ReturnSeries:
    """Clean a history exactly as `compute_metrics` does and return its period returns."""
    if periods_per_year is not None and not periods_per_year > 0:
        raise ValueError("periods_per_year must be positive")
    days, values, external = _clean_series(dates, equity, flows)
    with np.errstate(all="ignore"):
        daily = returns.daily_returns(values, external)
    ppy = periods_per_year or frequency.periods_per_year(days)
    return ReturnSeries(days, daily, returns.growth_index(daily), ppy)


def _compute(
    days: list[date],
    values: FloatArray,
    external: FloatArray,
    *,
    benchmark: tuple[Sequence[date], Sequence[Amount]],
    position_values: Sequence[Amount],
    risk_free_rate: float,
    periods_per_year: float,
) -> Metrics:
    """Compute every figure of a clean, usable series."""
    ppy, rf = periods_per_year, risk_free_rate
    daily = returns.daily_returns(values, external)
    growth = returns.growth_index(daily)
    worst = drawdown.worst_drawdown(days, growth)
    depth = worst.depth if worst else (0.0 if daily.size else None)
    mwr = returns.money_weighted_return(days, values, external)
    mine, market, market_total = aligned_returns(days, growth, *benchmark)
    beta, alpha = risk.beta_alpha(mine, market, rf, ppy)
    held = risk.concentration(returns.as_float_array(position_values))
    annual = _annual_twr(daily, ppy)
    return Metrics(
        start_on=days[0] if days else None,
        end_on=days[-1] if days else None,
        points=len(days),
        simple_return=_simple_return(values, external),
        twr=returns.time_weighted_return(values, external),
        twr_annualized=annual,
        mwr=mwr,
        mwr_annualized=_annual_mwr(days, mwr),
        volatility=risk.annual_volatility(daily, ppy),
        sharpe=risk.sharpe_ratio(daily, rf, ppy),
        sortino=risk.sortino_ratio(daily, rf, ppy),
        max_drawdown=depth,
        drawdown_peak_on=worst.peak_on if worst else None,
        drawdown_trough_on=worst.trough_on if worst else None,
        drawdown_recovery_on=worst.recovery_on if worst else None,
        drawdown_days=worst.duration_days if worst else None,
        calmar=drawdown.calmar_ratio(annual, depth),
        beta=beta,
        alpha=alpha,
        benchmark_return=market_total,
        var_95=risk.value_at_risk(daily, VAR_CUTOFF),
        cvar_95=risk.conditional_value_at_risk(daily, VAR_CUTOFF),
        best_day=risk.best_day(daily),
        worst_day=risk.worst_day(daily),
        positive_days=risk.positive_share(daily),
        hhi=held.hhi if held else None,
        largest_weight=held.largest_weight if held else None,
        periods_per_year=ppy,
        tracking_error=relative.tracking_error(mine, market, ppy),
        information_ratio=relative.information_ratio(mine, market, ppy),
        r_squared=relative.r_squared(mine, market),
        skew=distribution.skewness(daily),
        kurtosis=distribution.kurtosis(daily),
        omega=distribution.omega_ratio(daily, risk.daily_risk_free(rf, ppy)),
        tail_ratio=distribution.tail_ratio(daily),
    )


def _clean_series(
    dates: Sequence[date], equity: Sequence[Amount], flows: Sequence[Amount] | None
) -> tuple[list[date], FloatArray, FloatArray]:
    """Validate, drop missing points (moving their flows on) and keep the usable span."""
    values = returns.as_float_array(equity)
    external = returns.as_float_array(flows) if flows is not None else np.zeros_like(values)
    if not len(dates) == values.size == external.size:
        raise ValueError("dates, equity and flows must have the same length")
    # later <= earlier for some neighbours, compared in C (a generator costs ~0.3 ms a decade)
    if any(map(operator.ge, dates, itertools.islice(dates, 1, None))):
        raise ValueError("dates must be strictly increasing")
    kept = np.flatnonzero(np.isfinite(values))
    # A flow on a day without an equity figure is inside the next figure, so it
    # is booked on the next kept day rather than lost.
    carried = np.diff(np.cumsum(external)[kept], prepend=0.0)
    span = _usable_span(values[kept], carried)
    used = kept[span]
    # every date kept (the usual case): copy the list instead of indexing it point by point
    days = list(dates) if used.size == len(dates) else [dates[i] for i in used.tolist()]
    return days, values[kept][span], carried[span]


def _usable_span(values: FloatArray, flows: FloatArray) -> slice:
    """Return the points from the first with capital up to where returns stop.

    Returns stop at the first point with no capital left (equity ≤ 0) or at a
    total loss: nothing measured after either can change a chain-linked return.
    """
    funded = np.flatnonzero(values > 0)
    if funded.size == 0:
        return slice(0, 0)
    start = int(funded[0])
    end = values.size
    # Both searches start one point after `start`; the point found is kept.
    empty = np.flatnonzero(values[start + 1 :] <= 0)
    if empty.size:
        end = start + 2 + int(empty[0])
    wiped = np.flatnonzero(returns.daily_returns(values[start:end], flows[start:end]) <= -1.0)
    if wiped.size:
        end = start + 2 + int(wiped[0])
    return slice(start, end)


def _simple_return(values: FloatArray, external: FloatArray) -> float | None:
    """Return the gain on the money put in; flows[0] is already in the opening equity."""
    if values.size < 2:
        return None
    return returns.simple_return(float(values[0]), float(values[-1]), float(external[1:].sum()))


def _annual_twr(daily: FloatArray, periods_per_year: float) -> float | None:
    """Annualise the TWR, but never from less than a year of periods."""
    # Annualising a few weeks turns noise into absurd rates (GIPS forbids it).
    if daily.size < periods_per_year:
        return None
    return returns.annual_return(daily, periods_per_year)


def _annual_mwr(days: list[date], mwr: float | None) -> float | None:
    """Annualise the money-weighted return on a 365-day year, from a year of history."""
    if mwr is None or (days[-1] - days[0]).days < DAYS_PER_YEAR:
        return None
    return returns.annualize(mwr, (days[-1] - days[0]).days / DAYS_PER_YEAR)


def aligned_returns(
    days: Sequence[date],
    growth: FloatArray,
    benchmark_dates: Sequence[date],
    benchmark_levels: Sequence[Amount],
) -> tuple[FloatArray, FloatArray, float | None]:
    """Return portfolio and benchmark returns between the dates both have, and the benchmark total.

    Both returns of a pair span exactly the same interval: a day missing from
    either series merges into the next common interval instead of mismatching.
    """
    _, mine, market, total = _aligned(days, growth, benchmark_dates, benchmark_levels)
    return mine, market, total


def aligned_series(
    days: Sequence[date],
    growth: FloatArray,
    benchmark_dates: Sequence[date],
    benchmark_levels: Sequence[Amount],
) -> tuple[list[date], FloatArray, FloatArray, float | None]:
    """Return `aligned_returns` with the end date of each pair of returns first."""
    at, mine, market, total = _aligned(days, growth, benchmark_dates, benchmark_levels)
    return [days[i] for i in at[1:].tolist()], mine, market, total


def _aligned(
    days: Sequence[date],
    growth: FloatArray,
    benchmark_dates: Sequence[date],
    benchmark_levels: Sequence[Amount],
) -> tuple[npt.NDArray[np.intp], FloatArray, FloatArray, float | None]:
    """Return the common positions in `days` and the returns `aligned_returns` describes."""
    if len(benchmark_dates) != len(benchmark_levels):
        raise ValueError("benchmark dates and levels must have the same length")
    at, level = _common_levels(days, benchmark_dates, benchmark_levels)
    if at.size < 2:
        return at[:0], np.empty(0), np.empty(0), None
    wealth = growth[at]
    return (at, wealth[1:] / wealth[:-1] - 1.0, level[1:] / level[:-1] - 1.0,
            level[-1] / level[0] - 1.0)


def _common_levels(
    days: Sequence[date], benchmark_dates: Sequence[date], benchmark_levels: Sequence[Amount]
) -> tuple[npt.NDArray[np.intp], FloatArray]:
    """Return the positions in `days` that have a usable benchmark level, and those levels.

    A level is usable when it can be divided by (finite and positive); a day the
    benchmark lacks reads NaN, which is not. One dictionary pass, then numpy.
    """
    levels = dict(zip(benchmark_dates, returns.as_float_array(benchmark_levels), strict=True))
    found = np.fromiter(map(levels.get, days, itertools.repeat(math.nan)), dtype=np.float64,
                        count=len(days))
    at = np.flatnonzero(np.isfinite(found) & (found > 0))
    return at, found[at]


_METRIC_FIELDS = tuple(field.name for field in fields(Metrics))
_METRIC_VALUES = operator.attrgetter(*_METRIC_FIELDS)


def _none_if_not_finite(metrics: Metrics) -> Metrics:
    """Replace any NaN or infinity left by extreme inputs with None."""
    bad: dict[str, Any] = {
        name: None
        for name, value in zip(_METRIC_FIELDS, _METRIC_VALUES(metrics), strict=True)
        if isinstance(value, float) and not math.isfinite(value)
    }
    return replace(metrics, **bad) if bad else metrics


def add_months(day: date, months: int) -> date:
    """Shift a date by whole months, clamping the day to the end of the target month."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(day.day, last_day))


def period_bounds(
    period: str,
    today: date,
    *,
    inception: date | None = None,
    start: date | None = None,
    end: date | None = None,
) -> tuple[date, date]:
    """Return the (start, end) dates of a named period or of CUSTOM start/end.

    The start is the base date: returns are measured from its close (or the
    last close before it). It never precedes `inception` when that is given.
    """
    name = period.upper()
    if name == CUSTOM:
        if start is None:
            raise ValueError("a custom period needs a start date")
        first, last = start, end or today
    elif name in PERIODS:
        first, last = _named_start(name, today, inception), today
    else:
        raise ValueError(f"unknown period {period!r}; use one of {', '.join(PERIODS)} or CUSTOM")
    if first > last:
        raise ValueError("the period starts after it ends")
    return (max(first, inception) if inception and inception <= last else first), last


def _named_start(period: str, today: date, inception: date | None) -> date:
    """Return the base date of a named period ending today."""
    if period == "ALL":
        return inception or today
    if period == "YTD":
        return date(today.year - 1, 12, 31)  # the last close of the previous year
    if period in ("1D", "1W"):
        return today - timedelta(days=1 if period == "1D" else 7)
    months = {"1M": 1, "3M": 3, "6M": 6, "1Y": 12}[period]
    return add_months(today, -months)


def period_slice(dates: Sequence[date], start: date, end: date) -> slice:
    """Return the observations measuring [start, end]: the last on or before start to end."""
    base = max(bisect_right(dates, start) - 1, 0)
    return slice(base, max(bisect_right(dates, end), base))
