"""Annualisation by the calendar the dates follow, and the degenerate cases made consistent.

A market open every day (the simulated `always_open` calendar) has 365
observations a year: its figures are checked against empyrical with
`annualization=365`. Trading-day series keep 252, so every earlier test holds.
"""

from datetime import date, timedelta
from decimal import Decimal

import empyrical
import numpy as np
import pytest

from invsim.analytics.frequency import calendar_periods_per_year, periods_per_year
from invsim.analytics.metrics import compute_metrics, return_series
from invsim.analytics.risk import daily_risk_free

REL = 1e-9
RF = 0.04


def _every_day(count, first=date(2020, 1, 1)):
    return [first + timedelta(days=i) for i in range(count)]


def _weekdays(count, first=date(2020, 1, 1)):
    days, day = [], first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


@pytest.fixture(scope="module")
def five_years():
    """Five years of a point every calendar day, with a benchmark."""
    rng = np.random.default_rng(365)
    size = 5 * 365
    market = rng.normal(0.0004, 0.011, size)
    mine = 0.0002 + 1.1 * market + rng.normal(0, 0.007, size)
    equity = 50_000.0 * np.concatenate([[1.0], np.cumprod(1 + mine)])
    levels = 300.0 * np.concatenate([[1.0], np.cumprod(1 + market)])
    return _every_day(size + 1), equity, levels, mine, market


@pytest.mark.parametrize(("dates", "expected"), [
    (_every_day(30), 365),
    (_weekdays(30), 252),
    ([date(2024, 1, 5) + timedelta(weeks=i) for i in range(20)], 52),
    ([date(2020, m, 28) for m in range(1, 13)], 12),
    ([date(2020, m, 28) for m in (1, 4, 7, 10)], 4),
    ([date(2020 + y, 12, 31) for y in range(5)], 1),
    ([date(2024, 3, 4), date(2024, 3, 5), date(2024, 3, 6)], 252),  # no weekend yet: trading days
    ([date(2024, 3, 4)], 252),
    ([], 252),
])
def test_periods_per_year_follows_the_dates(dates, expected):
    assert periods_per_year(dates) == expected


def test_the_market_calendars_have_their_own_years():
    assert calendar_periods_per_year("always_open") == 365
    assert calendar_periods_per_year("nyse") == 252


def test_a_daily_calendar_series_is_annualised_by_365(five_years):
    days, equity, levels, mine, market = five_years
    m = compute_metrics(days, equity, benchmark_dates=days, benchmark_levels=levels,
                        risk_free_rate=RF)
    rf_d = daily_risk_free(RF, 365)
    assert m.periods_per_year == 365
    assert m.volatility == pytest.approx(empyrical.annual_volatility(mine, annualization=365),
                                         rel=REL)
    assert m.sharpe == pytest.approx(
        empyrical.sharpe_ratio(mine, risk_free=rf_d, annualization=365), rel=REL)
    assert m.sortino == pytest.approx(
        empyrical.sortino_ratio(mine, required_return=rf_d, annualization=365), rel=REL)
    assert m.twr_annualized == pytest.approx(
        empyrical.annual_return(mine, annualization=365), rel=REL)
    assert m.calmar == pytest.approx(empyrical.calmar_ratio(mine, annualization=365), rel=REL)
    alpha, beta = empyrical.alpha_beta(mine, market, risk_free=rf_d, annualization=365)
    assert (m.alpha, m.beta) == (pytest.approx(alpha, rel=REL), pytest.approx(beta, rel=REL))
    # A point a day makes the annualised TWR the calendar CAGR (to the leap day).
    years = (days[-1] - days[0]).days / 365.25
    assert m.twr_annualized == pytest.approx((1 + m.twr) ** (1 / years) - 1, rel=1e-3)


def test_252_on_calendar_days_understates_volatility_by_the_root_of_252_over_365(five_years):
    days, equity, *_ = five_years
    by_dates = compute_metrics(days, equity)
    forced = compute_metrics(days, equity, periods_per_year=252)
    assert forced.periods_per_year == 252
    assert forced.volatility == pytest.approx(by_dates.volatility * np.sqrt(252 / 365), rel=REL)
    assert forced.twr == by_dates.twr and forced.max_drawdown == by_dates.max_drawdown
    # Five years of points read as 1,825 / 252 = 7.2 years: the growth is spread too thin.
    assert forced.twr_annualized < by_dates.twr_annualized
    assert forced.twr_annualized == pytest.approx((1 + forced.twr) ** (252 / 1825) - 1, rel=REL)


def test_trading_day_series_keep_252():
    rng = np.random.default_rng(252)
    returns = rng.normal(0.0003, 0.01, 300)
    days = _weekdays(301)
    m = compute_metrics(days, 1_000.0 * np.concatenate([[1.0], np.cumprod(1 + returns)]))
    assert m.periods_per_year == 252
    assert m.volatility == pytest.approx(empyrical.annual_volatility(returns), rel=REL)
    assert m.twr_annualized == pytest.approx(empyrical.annual_return(returns), rel=REL)


def test_the_annualised_return_needs_a_year_of_the_series_own_periods(five_years):
    days, equity, *_ = five_years
    assert compute_metrics(days[:365], equity[:365]).twr_annualized is None  # 364 returns
    assert compute_metrics(days[:366], equity[:366]).twr_annualized is not None
    assert compute_metrics(days[:366], equity[:366]).calmar is not None
    assert compute_metrics(days[:253], equity[:253], periods_per_year=252).twr_annualized


def test_periods_per_year_must_be_positive(five_years):
    days, equity, *_ = five_years
    for bad in (0, -1.0):
        with pytest.raises(ValueError):
            compute_metrics(days, equity, periods_per_year=bad)
        with pytest.raises(ValueError):
            return_series(days, equity, periods_per_year=bad)


def test_the_backtest_call_shape_still_works(five_years):
    """The positional history plus benchmark keywords, as the backtest module calls it."""
    days, equity, levels, *_ = five_years
    flows = [0.0] * len(days)
    m = compute_metrics(days, equity, flows, benchmark_dates=days, benchmark_levels=levels)
    assert m.beta is not None and m.information_ratio is not None and m.periods_per_year == 365


def test_all_cash_has_no_sortino_and_exactly_zero_beta():
    days = _weekdays(60)
    rng = np.random.default_rng(0)
    levels = 400.0 * np.cumprod(1 + rng.normal(0, 0.01, 60))
    m = compute_metrics(days, [Decimal("100000.00")] * 60, benchmark_dates=days,
                        benchmark_levels=levels, risk_free_rate=RF)
    assert m.sharpe is None and m.sortino is None  # was −√252 = −15.87 with a positive rate
    assert m.beta == 0.0 and m.volatility == 0.0
    assert m.r_squared is None and m.skew is None and m.kurtosis is None
    assert m.omega == 0.0  # every day falls short of the risk-free rate, none gains
    assert m.tracking_error is not None and m.information_ratio is not None
    # Jensen's alpha of cash is the risk-free rate forgone, compounded over a year.
    assert m.alpha == pytest.approx((1 - daily_risk_free(RF)) ** 252 - 1, rel=REL)
    no_rate = compute_metrics(days, [Decimal("100000.00")] * 60)
    assert no_rate.sortino is None and no_rate.omega is None and no_rate.tail_ratio is None


def test_the_new_figures_appear_in_compute_metrics(five_years):
    days, equity, levels, mine, market = five_years
    m = compute_metrics(days, equity, benchmark_dates=days, benchmark_levels=levels,
                        risk_free_rate=RF)
    rf_d = daily_risk_free(RF, 365)
    assert m.information_ratio == pytest.approx(
        empyrical.excess_sharpe(mine, market) * np.sqrt(365), rel=REL)
    assert m.tracking_error == pytest.approx(
        empyrical.annual_volatility(mine - market, annualization=365), rel=REL)
    assert m.omega == pytest.approx(empyrical.omega_ratio(mine, risk_free=rf_d), rel=REL)
    assert m.tail_ratio == pytest.approx(empyrical.tail_ratio(mine), rel=REL)
    assert 0 < m.r_squared < 1 and m.skew is not None and m.kurtosis is not None
