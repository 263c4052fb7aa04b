"""Returns: simple, flow-adjusted daily, time-weighted, annualised, XIRR / money-weighted."""

from datetime import date

import empyrical
import numpy as np
import pytest

from invsim.analytics import returns
from invsim.analytics.returns import (
    annual_return,
    annualize,
    compound,
    cumulative_returns,
    daily_returns,
    money_weighted_return,
    period_irr,
    simple_return,
    time_weighted_return,
    xirr,
)

REL = 1e-9

# docs/analytics.md, "Time-weighted return": a 5,000.00 deposit at the end of day 2.
TWR_EQUITY = np.array([10_000.00, 10_500.00, 15_290.00, 16_819.00])
TWR_FLOWS = np.array([0.0, 0.0, 5_000.00, 0.0])
TWR_DATES = [date(2024, 3, 4), date(2024, 3, 5), date(2024, 3, 6), date(2024, 3, 7)]

# Microsoft's documented XIRR example; Excel answers 0.373362535 (37.34 %).
EXCEL_DATES = [
    date(2008, 1, 1),
    date(2008, 3, 1),
    date(2008, 10, 30),
    date(2009, 2, 15),
    date(2009, 4, 1),
]
EXCEL_AMOUNTS = [-10_000.0, 2_750.0, 4_250.0, 3_250.0, 2_750.0]


def _random_returns(seed: int = 7, size: int = 600) -> np.ndarray:
    return np.random.default_rng(seed).normal(0.0004, 0.012, size)


def _npv(dates, amounts, annual_rate):
    return sum(a / (1 + annual_rate) ** ((d - dates[0]).days / 365) for d, a in zip(dates, amounts))


def test_simple_return_is_the_gain_on_money_put_in():
    assert simple_return(10_000.0, 16_819.0, 5_000.0) == pytest.approx(1_819 / 15_000, rel=REL)
    assert simple_return(100.0, 110.0) == pytest.approx(0.10, rel=REL)


def test_simple_return_never_falls_below_minus_one_after_deposits():
    assert simple_return(100_000.0, 0.0, 120_000.0) == -1.0


def test_simple_return_is_none_when_nothing_is_left_invested():
    assert simple_return(0.0, 100.0) is None
    assert simple_return(100.0, 50.0, -100.0) is None


def test_daily_returns_remove_the_deposit_booked_at_end_of_day():
    assert daily_returns(TWR_EQUITY, TWR_FLOWS) == pytest.approx([0.05, -0.02, 0.10], rel=REL)


def test_twr_is_unaffected_by_a_deposit_as_in_the_docs():
    twr = time_weighted_return(TWR_EQUITY, TWR_FLOWS)
    assert twr == pytest.approx(0.1319, rel=REL)
    # The docs: 10,000.00 left invested without the deposit ends at 11,319.00.
    assert round(10_000.00 * (1 + twr), 2) == 11_319.00


def test_twr_of_the_same_market_path_without_the_deposit_is_identical():
    without_deposit = np.array([10_000.00, 10_500.00, 10_290.00, 11_319.00])
    assert time_weighted_return(without_deposit) == pytest.approx(
        time_weighted_return(TWR_EQUITY, TWR_FLOWS), rel=REL
    )


def test_withdrawal_is_removed_like_a_deposit():
    equity = np.array([1_000.0, 1_100.0, 600.0, 660.0])
    flows = np.array([0.0, 0.0, -500.0, 0.0])  # 1,100 -> flat day -> 500 taken out
    assert daily_returns(equity, flows) == pytest.approx([0.10, 0.0, 0.10], rel=REL)


def test_period_without_capital_has_no_return_and_total_loss_is_floored():
    equity = np.array([0.0, 100.0, 110.0, -20.0])
    flows = np.array([0.0, 100.0, 0.0, 0.0])
    result = daily_returns(equity, flows)
    assert np.isnan(result[0])
    assert result[1:] == pytest.approx([0.10, -1.0], rel=REL)


def test_cumulative_returns_match_empyrical():
    r = _random_returns()
    np.testing.assert_allclose(cumulative_returns(r), empyrical.cum_returns(r), rtol=REL)
    assert compound(r) == pytest.approx(empyrical.cum_returns_final(r), rel=REL)


def test_annual_return_matches_empyrical_252_day_cagr():
    r = _random_returns()
    assert annual_return(r) == pytest.approx(empyrical.annual_return(r), rel=REL)


def test_annual_return_of_no_periods_is_none():
    assert annual_return(np.empty(0)) is None
    assert compound(np.empty(0)) is None


def test_annualize_compounds_and_refuses_impossible_inputs():
    assert annualize(0.21, 2.0) == pytest.approx(0.10, rel=REL)
    assert annualize(-1.0, 2.0) == -1.0
    assert annualize(0.1, 0.0) is None
    assert annualize(1e300, 1e-300) is None  # overflow, not inf


def test_xirr_reproduces_excel_documented_example():
    """Excel iterates only to 1e-8, so its printed 0.373362535 is compared to 1e-8."""
    rate = xirr(EXCEL_DATES, EXCEL_AMOUNTS)
    assert rate == pytest.approx(0.373362535, abs=1e-8)
    assert abs(_npv(EXCEL_DATES, EXCEL_AMOUNTS, rate)) < 0.005  # zero to the cent


def test_xirr_discounted_table_of_docs_to_the_cent():
    rate = xirr(EXCEL_DATES, EXCEL_AMOUNTS)
    discounted = [
        round(a / (1 + rate) ** ((d - EXCEL_DATES[0]).days / 365), 2)
        for d, a in zip(EXCEL_DATES, EXCEL_AMOUNTS)
    ]
    assert discounted == [-10_000.00, 2_610.26, 3_265.94, 2_273.70, 1_850.10]


def test_xirr_is_none_without_a_sign_change_or_span():
    assert xirr(EXCEL_DATES, [abs(a) for a in EXCEL_AMOUNTS]) is None
    assert xirr(EXCEL_DATES[:1], EXCEL_AMOUNTS[:1]) is None
    assert xirr([date(2024, 1, 1), date(2024, 1, 1)], [-100.0, 110.0]) is None


def test_xirr_falls_back_to_bisection_when_newton_fails(monkeypatch):
    by_newton = xirr(EXCEL_DATES, EXCEL_AMOUNTS)
    monkeypatch.setattr(returns, "_newton", lambda *args: None)
    assert xirr(EXCEL_DATES, EXCEL_AMOUNTS) == pytest.approx(by_newton, abs=1e-12)


def test_xirr_finds_a_near_total_loss():
    dates = [date(2020, 1, 1), date(2021, 1, 1)]
    assert xirr(dates, [-100.0, 1.0]) == pytest.approx(0.01 ** (365 / 366) - 1, rel=1e-9)


def test_period_irr_over_one_short_span_is_not_astronomical():
    dates = [date(2024, 1, 1), date(2024, 1, 2)]
    assert period_irr(dates, [-100.0, 110.0]) == pytest.approx(0.10, rel=REL)


def test_money_weighted_return_of_docs_example_zeroes_the_npv():
    mwr = money_weighted_return(TWR_DATES, TWR_EQUITY, TWR_FLOWS)
    assert mwr == pytest.approx(0.156995, abs=1e-6)
    span = (TWR_DATES[-1] - TWR_DATES[0]).days
    period_npv = sum(
        a / (1 + mwr) ** ((d - TWR_DATES[0]).days / span)
        for d, a in zip(TWR_DATES, [-10_000.0, 0.0, -5_000.0, 16_819.0])
    )
    assert abs(period_npv) < 0.005


def test_money_weighted_return_discounted_table_of_docs_to_the_cent():
    mwr = money_weighted_return(TWR_DATES, TWR_EQUITY, TWR_FLOWS)
    assert round(mwr, 4) == 0.1570
    assert round(-5_000.00 / (1 + mwr) ** (2 / 3), 2) == -4_536.79
    assert round(16_819.00 / (1 + mwr), 2) == 14_536.79


def test_money_weighted_return_of_a_wiped_out_portfolio_is_minus_one():
    assert money_weighted_return(TWR_DATES[:2], np.array([100.0, 0.0])) == -1.0


def test_money_weighted_return_without_history_is_none():
    assert money_weighted_return(TWR_DATES[:1], np.array([100.0])) is None
