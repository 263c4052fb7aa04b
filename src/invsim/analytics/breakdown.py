"""Rolling, calendar and drawdown breakdowns of a history: the quant's second page.

Pure. `compute_breakdown` cleans the history exactly as `compute_metrics`
(same returns, same annualisation) and returns the rolling volatility, Sharpe
and beta over a quarter and a year of periods, the monthly and yearly returns
and the deepest drawdown spells. docs/analytics.md explains each figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from invsim.analytics import drawdown, periodic, rolling
from invsim.analytics.drawdown import DrawdownPeriod
from invsim.analytics.metrics import Amount, ReturnSeries, aligned_series, return_series
from invsim.analytics.periodic import PeriodReturn

TOP_DRAWDOWNS = 5


@dataclass(frozen=True)
class RollingWindow:
    """Rolling figures over the last `size` periods, one value per window end."""

    label: str  # "3M" or "1Y"
    size: int  # periods in the window (63 and 252 on trading days, 91 and 365 daily)
    ends: list[date]  # end date of each window of the portfolio's returns
    volatility: rolling.Values
    sharpe: rolling.Values
    beta_ends: list[date]  # end date of each window of the common-date returns
    beta: rolling.Values


@dataclass(frozen=True)
class Breakdown:
    """Everything beyond the headline figures, for one window of history."""

    series: ReturnSeries
    rolling: tuple[RollingWindow, ...]
    monthly: list[PeriodReturn]
    yearly: list[PeriodReturn]
    drawdowns: list[DrawdownPeriod]


def compute_breakdown(
    dates: Sequence[date],
    equity: Sequence[Amount],
    flows: Sequence[Amount] | None = None,
    *,
    benchmark_dates: Sequence[date] = (),
    benchmark_levels: Sequence[Amount] = (),
    risk_free_rate: float = 0.0,
    periods_per_year: float | None = None,
    top_drawdowns: int | None = TOP_DRAWDOWNS,
) -> Breakdown:
    """Compute the rolling figures, calendar returns and drawdown spells of a history."""
    series = return_series(dates, equity, flows, periods_per_year=periods_per_year)
    ends = series.days[1:]
    windows = tuple(
        _rolling(series, label, size, (benchmark_dates, benchmark_levels), risk_free_rate)
        for label, size in rolling.windows_for(series.periods_per_year)
    )
    return Breakdown(
        series=series,
        rolling=windows,
        monthly=periodic.monthly_returns(ends, series.returns),
        yearly=periodic.yearly_returns(ends, series.returns),
        drawdowns=drawdown.drawdown_periods(series.days, series.growth, top_drawdowns)
        if series.days else [],
    )


def _rolling(
    series: ReturnSeries,
    label: str,
    size: int,
    benchmark: tuple[Sequence[date], Sequence[Amount]],
    risk_free_rate: float,
) -> RollingWindow:
    """Compute one window's rolling volatility, Sharpe and beta."""
    ppy, daily = series.periods_per_year, series.returns
    common, mine, market, _ = aligned_series(series.days, series.growth, *benchmark)
    beta = rolling.rolling_beta(mine, market, size)
    volatility = rolling.rolling_volatility(daily, size, ppy)
    return RollingWindow(
        label=label,
        size=size,
        ends=series.days[size:] if volatility else [],
        volatility=volatility,
        sharpe=rolling.rolling_sharpe(daily, size, risk_free_rate, ppy),
        beta_ends=common[size - 1 :] if beta else [],
        beta=beta,
    )
