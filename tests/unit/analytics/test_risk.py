"""Risk figures against empyrical (same series, relative 1e-9) and the docs' hand-worked examples.

Conventions shared with empyrical: 252 trading days; volatility and Sharpe use
the sample deviation (ddof=1); Sortino's downside deviation is the root mean
square of min(r − target, 0) over *all* days (not the deviation of losing days
only); beta uses population moments (ddof cancels); alpha is the mean daily
excess return compounded over 252 days, (1 + ᾱ)^252 − 1, not ᾱ × 252; VaR is
np.percentile (linear interpolation) and CVaR the mean of the worst
⌊(n − 1)·5 %⌋ + 1 days. Differences: empyrical takes a *daily* risk-free rate,
ours is annual (converted to the daily rate compounding to it), so the tests
hand empyrical our converted rate; empyrical answers NaN or inf where we answer None.
"""

import empyrical
import numpy as np
import pytest

from invsim.analytics.risk import (
    annual_volatility,
    best_day,
    beta_alpha,
    concentration,
    conditional_value_at_risk,
    daily_risk_free,
    downside_deviation,
    positive_share,
    sharpe_ratio,
    sortino_ratio,
    value_at_risk,
    worst_day,
)

REL = 1e-9
RISK_FREE = 0.04  # 4 % a year

# docs/analytics.md, "Volatility, Sharpe and Sortino": five daily returns.
DOC_RETURNS = np.array([0.02, -0.01, 0.01, 0.0, 0.03])
# docs/analytics.md, "Beta and alpha": r = 0.1 % + 1.5 × benchmark, exactly.
DOC_BENCHMARK = np.array([0.01, -0.01, 0.02, 0.0, 0.03])
DOC_PORTFOLIO = 0.001 + 1.5 * DOC_BENCHMARK


@pytest.fixture(scope="module")
def series():
    rng = np.random.default_rng(20240601)
    market = rng.normal(0.0003, 0.011, 756)
    mine = 0.0001 + 1.2 * market + rng.normal(0, 0.006, market.size)
    return mine, market


def test_daily_risk_free_compounds_to_the_annual_rate():
    assert (1 + daily_risk_free(RISK_FREE)) ** 252 == pytest.approx(1.04, rel=1e-12)


def test_volatility_matches_empyrical(series):
    mine, _ = series
    assert annual_volatility(mine) == pytest.approx(empyrical.annual_volatility(mine), rel=REL)


@pytest.mark.parametrize("risk_free", [0.0, RISK_FREE])
def test_sharpe_matches_empyrical_given_the_daily_rate(series, risk_free):
    mine, _ = series
    expected = empyrical.sharpe_ratio(mine, risk_free=daily_risk_free(risk_free))
    assert sharpe_ratio(mine, risk_free) == pytest.approx(expected, rel=REL)


@pytest.mark.parametrize("risk_free", [0.0, RISK_FREE])
def test_sortino_matches_empyrical_with_the_risk_free_rate_as_target(series, risk_free):
    mine, _ = series
    daily = daily_risk_free(risk_free)
    assert sortino_ratio(mine, risk_free) == pytest.approx(
        empyrical.sortino_ratio(mine, required_return=daily), rel=REL
    )
    assert downside_deviation(mine, risk_free) == pytest.approx(
        empyrical.downside_risk(mine, required_return=daily), rel=REL
    )


@pytest.mark.parametrize("risk_free", [0.0, RISK_FREE])
def test_beta_and_alpha_match_empyrical(series, risk_free):
    mine, market = series
    expected_alpha, expected_beta = empyrical.alpha_beta(
        mine, market, risk_free=daily_risk_free(risk_free)
    )
    beta, alpha = beta_alpha(mine, market, risk_free)
    assert beta == pytest.approx(expected_beta, rel=REL)
    assert alpha == pytest.approx(expected_alpha, rel=REL)


def test_var_and_cvar_match_empyrical_as_returns(series):
    mine, _ = series
    assert value_at_risk(mine) == pytest.approx(empyrical.value_at_risk(mine), rel=REL)
    assert conditional_value_at_risk(mine) == pytest.approx(
        empyrical.conditional_value_at_risk(mine), rel=REL
    )


def test_docs_volatility_sharpe_sortino_example():
    assert annual_volatility(DOC_RETURNS) == pytest.approx(np.sqrt(2.5e-4 * 252), rel=REL)
    assert round(annual_volatility(DOC_RETURNS), 4) == 0.2510
    assert round(sharpe_ratio(DOC_RETURNS), 2) == 10.04
    assert round(downside_deviation(DOC_RETURNS), 4) == 0.0710
    assert round(sortino_ratio(DOC_RETURNS), 2) == 35.50
    assert round(sharpe_ratio(DOC_RETURNS, RISK_FREE), 2) == 9.88
    assert round(sortino_ratio(DOC_RETURNS, RISK_FREE), 2) == 34.40
    assert round(daily_risk_free(RISK_FREE) * 100, 7) == 0.0155650


def test_docs_tail_and_day_figures_example():
    assert value_at_risk(DOC_RETURNS) == pytest.approx(-0.008, rel=REL)
    assert conditional_value_at_risk(DOC_RETURNS) == pytest.approx(-0.01, rel=REL)
    assert best_day(DOC_RETURNS) == 0.03
    assert worst_day(DOC_RETURNS) == -0.01
    assert positive_share(DOC_RETURNS) == pytest.approx(0.6, rel=REL)


def test_docs_beta_alpha_example_compounds_the_daily_alpha():
    beta, alpha = beta_alpha(DOC_PORTFOLIO, DOC_BENCHMARK)
    assert beta == pytest.approx(1.5, rel=REL)
    assert alpha == pytest.approx(1.001**252 - 1, rel=REL)
    assert round(alpha, 4) == 0.2864


def test_ratios_are_none_not_inf_when_nothing_varies():
    flat = np.zeros(20)
    assert annual_volatility(flat) == 0.0
    assert sharpe_ratio(flat) is None
    assert sortino_ratio(flat) is None
    assert sortino_ratio(np.full(20, 0.01)) is None  # empyrical: inf (no shortfall)
    assert sharpe_ratio(np.full(20, 0.01)) is None  # empyrical: inf


def test_beta_alpha_are_none_against_a_flat_or_mismatched_benchmark():
    assert beta_alpha(DOC_PORTFOLIO, np.zeros(5)) == (None, None)
    assert beta_alpha(DOC_PORTFOLIO, DOC_BENCHMARK[:4]) == (None, None)
    assert beta_alpha(DOC_PORTFOLIO[:1], DOC_BENCHMARK[:1]) == (None, None)


def test_figures_need_enough_returns():
    one = np.array([0.01])
    assert annual_volatility(one) is None
    assert sharpe_ratio(one) is None
    assert sortino_ratio(one) is None
    empty = np.empty(0)
    assert value_at_risk(empty) is None
    assert conditional_value_at_risk(empty) is None
    assert best_day(empty) is None
    assert worst_day(empty) is None
    assert positive_share(empty) is None


def test_concentration_of_docs_example():
    found = concentration(np.array([5_000.0, 3_000.0, 2_000.0]))
    assert found.hhi == pytest.approx(0.38, rel=REL)
    assert found.largest_weight == pytest.approx(0.5, rel=REL)


def test_concentration_counts_a_short_by_its_size():
    found = concentration(np.array([3_000.0, -1_000.0]))
    assert found.largest_weight == pytest.approx(0.75, rel=REL)


def test_concentration_of_all_cash_is_none():
    assert concentration(np.empty(0)) is None
    assert concentration(np.zeros(3)) is None
