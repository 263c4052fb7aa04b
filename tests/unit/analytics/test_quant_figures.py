"""The quant figures (issue 13) against empyrical and quantstats, relative 1e-9.

Each figure is computed by invsim's pure functions and by the libraries on the
same return series. Where a library's convention differs (quantstats'
information ratio is per period, its drawdown periods start on the first day
under water), the test converts explicitly and docs/analytics.md says why.
"""

import warnings
from datetime import date, timedelta

import empyrical
import numpy as np
import pandas as pd
import pytest
import scipy.stats

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import quantstats as qs

from invsim.analytics.distribution import kurtosis, omega_ratio, skewness, tail_ratio
from invsim.analytics.drawdown import drawdown_periods
from invsim.analytics.periodic import monthly_returns, yearly_returns
from invsim.analytics.relative import information_ratio, r_squared, tracking_error
from invsim.analytics.returns import growth_index
from invsim.analytics.risk import daily_risk_free
from invsim.analytics.rolling import (
    rolling_beta,
    rolling_sharpe,
    rolling_volatility,
    windows_for,
)

REL = 1e-9
RISK_FREE = 0.04
DAILY = 365  # the always_open calendar: a point every calendar day


@pytest.fixture(scope="module")
def calendar_days():
    """Four years of returns on a market open every day, and a benchmark (beta ≈ 0.8)."""
    rng = np.random.default_rng(20261203)
    size = 4 * 365
    market = rng.normal(0.0004, 0.012, size)
    mine = 0.0001 + 0.8 * market + rng.normal(0, 0.008, size)
    mine[100:130] -= 0.004  # one long slide, so drawdowns have some shape
    ends = [date(2021, 1, 2) + timedelta(days=i) for i in range(size)]
    return ends, mine, market


def _series(ends, values):
    return pd.Series(values, index=pd.DatetimeIndex(ends))


def _none_to_nan(values):
    return np.array([np.nan if v is None else v for v in values], dtype=float)


# ---- distribution ---------------------------------------------------------------------------

def test_skew_and_kurtosis_match_quantstats_pandas_and_scipy(calendar_days):
    ends, mine, _ = calendar_days
    series = _series(ends, mine)
    assert skewness(mine) == pytest.approx(qs.stats.skew(series), rel=REL)
    assert skewness(mine) == pytest.approx(scipy.stats.skew(mine, bias=False), rel=REL)
    assert kurtosis(mine) == pytest.approx(qs.stats.kurtosis(series), rel=REL)
    assert kurtosis(mine) == pytest.approx(scipy.stats.kurtosis(mine, bias=False), rel=REL)


def test_skew_and_kurtosis_by_hand_and_undefined():
    # docs/analytics.md, "Skew and kurtosis": 1 %, 2 %, 3 %, 10 % → G1 1.76363, G2 3.228.
    values = np.array([0.01, 0.02, 0.03, 0.10])
    assert skewness(values) == pytest.approx(1.7636326, rel=1e-7)
    assert kurtosis(values) == pytest.approx(3.228, rel=REL)
    assert skewness(np.array([0.01, 0.02])) is None and kurtosis(values[:3]) is None
    assert skewness(np.zeros(30)) is None and kurtosis(np.zeros(30)) is None


@pytest.mark.parametrize("risk_free", [0.0, RISK_FREE])
def test_omega_matches_empyrical_and_quantstats(calendar_days, risk_free):
    ends, mine, _ = calendar_days
    threshold = daily_risk_free(risk_free, DAILY)
    ours = omega_ratio(mine, threshold)
    assert ours == pytest.approx(empyrical.omega_ratio(mine, risk_free=threshold), rel=REL)
    assert ours == pytest.approx(qs.stats.omega(_series(ends, mine - threshold)), rel=REL)


def test_omega_is_none_without_a_loss():
    assert omega_ratio(np.array([0.01, 0.0, 0.02])) is None
    assert omega_ratio(np.array([])) is None
    assert omega_ratio(np.array([0.02, -0.01])) == pytest.approx(2.0, rel=REL)


def test_tail_ratio_matches_empyrical_and_quantstats(calendar_days):
    ends, mine, _ = calendar_days
    assert tail_ratio(mine) == pytest.approx(empyrical.tail_ratio(mine), rel=REL)
    assert tail_ratio(mine) == pytest.approx(qs.stats.tail_ratio(_series(ends, mine)), rel=REL)
    assert tail_ratio(np.zeros(50)) is None and tail_ratio(np.array([])) is None


# ---- against the benchmark ------------------------------------------------------------------

def test_information_ratio_is_the_annualised_excess_sharpe(calendar_days):
    ends, mine, market = calendar_days
    per_period = empyrical.excess_sharpe(mine, market)
    assert information_ratio(mine, market, DAILY) == pytest.approx(per_period * np.sqrt(DAILY),
                                                                   rel=REL)
    quant = qs.stats.information_ratio(_series(ends, mine), _series(ends, market))
    assert information_ratio(mine, market, 252) == pytest.approx(quant * np.sqrt(252), rel=REL)


def test_tracking_error_is_the_annualised_deviation_of_active_returns(calendar_days):
    ends, mine, market = calendar_days
    expected = empyrical.annual_volatility(mine - market, annualization=DAILY)
    assert tracking_error(mine, market, DAILY) == pytest.approx(expected, rel=REL)
    assert tracking_error(mine, market, DAILY) == pytest.approx(
        qs.stats.volatility(_series(ends, mine - market), periods=DAILY), rel=REL)


def test_r_squared_matches_quantstats_and_an_ols_fit(calendar_days):
    ends, mine, market = calendar_days
    assert r_squared(mine, market) == pytest.approx(
        qs.stats.r_squared(_series(ends, mine), _series(ends, market)), rel=REL)
    assert r_squared(mine, market) == pytest.approx(
        scipy.stats.linregress(market, mine).rvalue ** 2, rel=REL)
    assert r_squared(0.001 + 1.5 * market, market) == pytest.approx(1.0, rel=REL)


def test_relative_figures_when_something_does_not_vary(calendar_days):
    _, _, market = calendar_days
    cash = np.zeros(market.size)
    assert r_squared(cash, market) is None and r_squared(market, np.zeros(market.size)) is None
    assert information_ratio(market, market) is None  # no active return at all
    assert tracking_error(market, market) == 0.0
    assert information_ratio(market[:1], market[:1]) is None
    assert tracking_error(market, market[:-1]) is None


# ---- rolling --------------------------------------------------------------------------------

def test_windows_are_a_quarter_and_a_year_of_the_series_periods():
    assert windows_for(252) == (("3M", 63), ("1Y", 252))
    assert windows_for(365) == (("3M", 91), ("1Y", 365))


@pytest.mark.parametrize("window", [63, 252])
def test_rolling_volatility_matches_empyrical_and_quantstats(calendar_days, window):
    ends, mine, _ = calendar_days
    ours = _none_to_nan(rolling_volatility(mine, window, DAILY))
    theirs = np.asarray(empyrical.roll_annual_volatility(mine, window, annualization=DAILY))
    assert ours.size == mine.size - window + 1
    np.testing.assert_allclose(ours, theirs, rtol=REL)
    quant = qs.stats.rolling_volatility(_series(ends, mine), rolling_period=window,
                                        periods_per_year=DAILY)
    np.testing.assert_allclose(ours, quant.to_numpy()[window - 1:], rtol=REL)


@pytest.mark.parametrize("window", [63, 252])
@pytest.mark.parametrize("risk_free", [0.0, RISK_FREE])
def test_rolling_sharpe_matches_empyrical(calendar_days, window, risk_free):
    _, mine, _ = calendar_days
    ours = _none_to_nan(rolling_sharpe(mine, window, risk_free, DAILY))
    theirs = np.asarray(empyrical.roll_sharpe_ratio(
        mine, window, risk_free=daily_risk_free(risk_free, DAILY), annualization=DAILY))
    np.testing.assert_allclose(ours, theirs, rtol=REL)


@pytest.mark.parametrize("window", [63, 252])
def test_rolling_beta_matches_empyrical(calendar_days, window):
    _, mine, market = calendar_days
    ours = _none_to_nan(rolling_beta(mine, market, window))
    theirs = np.asarray(empyrical.roll_beta(mine, market, window))
    np.testing.assert_allclose(ours, theirs, rtol=REL)


def test_rolling_figures_of_cash_and_of_short_series(calendar_days):
    _, _, market = calendar_days
    cash = np.zeros(200)
    assert rolling_beta(cash, market[:200], 63) == [0.0] * 138  # exactly 0, never 1e-17
    assert rolling_sharpe(cash, 63, RISK_FREE) == [None] * 138
    assert rolling_volatility(cash, 63) == [0.0] * 138
    assert rolling_volatility(market[:62], 63) == [] and rolling_beta(cash[:5], cash[:5], 63) == []
    flat_market = np.concatenate([np.zeros(63), market[:10]])
    assert rolling_beta(market[:73], flat_market, 63)[0] is None  # a benchmark that never moved
    with pytest.raises(ValueError):
        rolling_beta(cash, market, 63)


# ---- calendar returns -----------------------------------------------------------------------

def test_monthly_and_yearly_returns_match_empyrical_and_quantstats(calendar_days):
    ends, mine, _ = calendar_days
    series = _series(ends, mine)
    months = monthly_returns(ends, mine)
    theirs = empyrical.aggregate_returns(series, "monthly")
    assert [(m.year, m.month) for m in months] == list(theirs.index)
    np.testing.assert_allclose([m.value for m in months], theirs.to_numpy(), rtol=REL)
    table = qs.stats.monthly_returns(series)  # rows: years; columns JAN..DEC, EOY
    for m in months:
        assert m.value == pytest.approx(table.loc[str(m.year)].iloc[m.month - 1], rel=REL)
    years = yearly_returns(ends, mine)
    np.testing.assert_allclose([y.value for y in years],
                               empyrical.aggregate_returns(series, "yearly").to_numpy(), rtol=REL)
    for y in years:
        assert y.value == pytest.approx(table.loc[str(y.year), "EOY"], rel=REL)
    assert sum(m.periods for m in months) == mine.size == sum(y.periods for y in years)


def test_a_return_belongs_to_the_month_it_ends_in():
    ends = [date(2024, 1, 30), date(2024, 1, 31), date(2024, 2, 1)]
    months = monthly_returns(ends, np.array([0.10, 0.10, -0.5]))
    assert [(m.year, m.month, m.periods) for m in months] == [(2024, 1, 2), (2024, 2, 1)]
    assert months[0].value == pytest.approx(0.21, rel=REL)
    assert (months[0].first_on, months[0].last_on) == (ends[0], ends[1])
    assert yearly_returns(ends, np.array([0.10, 0.10, -0.5]))[0].value == pytest.approx(-0.395)
    assert monthly_returns([], np.array([])) == []


# ---- drawdown periods -----------------------------------------------------------------------

def test_drawdown_periods_match_quantstats_drawdown_details(calendar_days):
    ends, mine, _ = calendar_days
    days = [ends[0] - timedelta(days=1), *ends]  # the base, then one date per return
    growth = growth_index(mine)
    ours = drawdown_periods(days, growth, top=None)
    # quantstats measures from the returns alone; a 0 return on the base date
    # gives it the same starting point (its own phantom baseline does the same).
    series = _series(days, np.concatenate([[0.0], mine]))
    details = qs.stats.drawdown_details(qs.stats.to_drawdown_series(series))
    assert len(ours) == len(details)
    by_valley = {pd.Timestamp(row.valley).date(): row for row in details.itertuples()}
    position = {day: i for i, day in enumerate(days)}
    for spell in ours:
        row = by_valley[spell.trough_on]
        assert spell.depth * 100 == pytest.approx(row._5, rel=REL)  # "max drawdown", in %
        # quantstats' start is the first day under water, its end the last one.
        assert pd.Timestamp(row.start).date() == days[position[spell.peak_on] + 1]
        last_under = (days[position[spell.recovery_on] - 1] if spell.recovery_on else days[-1])
        assert pd.Timestamp(row.end).date() == last_under
    top = drawdown_periods(days, growth)
    assert len(top) == 5 and [s.depth for s in top] == sorted(s.depth for s in ours)[:5]
    assert top[0].depth == pytest.approx(empyrical.max_drawdown(mine), rel=REL)


def test_drawdown_periods_worked_example():
    # docs/analytics.md, "Drawdown periods".
    days = [date(2024, 1, d) for d in (2, 3, 4, 5, 8, 9, 10, 11)]
    growth = np.array([1.0, 1.1, 0.88, 0.968, 1.1132, 1.0019, 1.0575, 1.0])
    spells = drawdown_periods(days, growth)
    assert [(s.peak_on.day, s.trough_on.day, s.recovery_on and s.recovery_on.day)
            for s in spells] == [(3, 4, 8), (8, 11, None)]
    assert spells[0].depth == pytest.approx(-0.20, rel=REL)
    assert (spells[0].days, spells[0].periods) == (5, 3)
    assert spells[1].depth == pytest.approx(1.0 / 1.1132 - 1, rel=REL)
    assert (spells[1].days, spells[1].periods) == (3, 3)
    assert drawdown_periods(days[:1], growth[:1]) == []
    assert drawdown_periods(days[:2], growth[:2]) == []  # never under water
    with pytest.raises(ValueError):
        drawdown_periods(days, growth[:-1])


# ---- the docs' worked examples --------------------------------------------------------------

DOC_RETURNS = np.array([0.02, -0.01, 0.01, 0.0, 0.03])
DOC_BENCHMARK = np.array([0.01, -0.01, 0.02, 0.0, 0.03])


def test_docs_worked_examples_of_omega_tail_ratio_and_the_relative_figures():
    assert omega_ratio(DOC_RETURNS) == pytest.approx(6.0, rel=REL)  # 6 % of gains, 1 % of losses
    assert tail_ratio(DOC_RETURNS) == pytest.approx(0.028 / 0.008, rel=REL)  # 3.5
    mine = 0.001 + 1.5 * DOC_BENCHMARK  # active = 0.1 % + 0.5 × benchmark
    assert tracking_error(mine, DOC_BENCHMARK) == pytest.approx(
        np.sqrt(0.625e-4) * np.sqrt(252), rel=REL)  # 12.55 %
    assert tracking_error(mine, DOC_BENCHMARK) == pytest.approx(0.12550, abs=5e-6)
    assert information_ratio(mine, DOC_BENCHMARK) == pytest.approx(12.048, abs=5e-4)
    assert r_squared(mine, DOC_BENCHMARK) == pytest.approx(1.0, rel=REL)
