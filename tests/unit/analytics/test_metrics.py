"""compute_metrics end to end: agreement with empyrical, the docs' examples and edge cases."""

import math
from dataclasses import fields
from datetime import date, timedelta
from decimal import Decimal

import empyrical
import numpy as np
import pytest

from invsim.analytics.metrics import Metrics, aligned_returns, compute_metrics
from invsim.analytics.returns import growth_index
from invsim.analytics.risk import daily_risk_free

REL = 1e-9


def _trading_days(count, first=date(2015, 1, 2)):
    days, day = [], first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _equity_with_flows(returns, flows, start=100_000.0):
    """Grow equity by each day's return, then book that day's flow at the close."""
    equity = [start]
    for r, flow in zip(returns, flows[1:]):
        equity.append(equity[-1] * (1 + r) + flow)
    return equity


def _assert_finite_or_none(metrics: Metrics):
    for field in fields(metrics):
        value = getattr(metrics, field.name)
        if isinstance(value, float):
            assert math.isfinite(value), field.name


@pytest.fixture(scope="module")
def history():
    rng = np.random.default_rng(42)
    size = 600
    market = rng.normal(0.0003, 0.01, size)
    mine = 0.0002 + 0.9 * market + rng.normal(0, 0.005, size)
    flows = np.zeros(size + 1)
    flows[[50, 200, 420]] = [25_000.0, -40_000.0, 10_000.0]  # deposit, withdrawal, deposit
    equity = _equity_with_flows(mine, flows)
    levels = 4_000.0 * np.concatenate([[1.0], np.cumprod(1 + market)])
    return _trading_days(size + 1), equity, flows, mine, market, levels


def test_compute_metrics_agrees_with_empyrical_on_flow_adjusted_returns(history):
    """The flows are removed first; what remains is exactly the return series fed to empyrical."""
    days, equity, flows, mine, market, levels = history
    rf = 0.03
    daily_rf = daily_risk_free(rf)
    m = compute_metrics(
        days, equity, flows, benchmark_dates=days, benchmark_levels=levels, risk_free_rate=rf
    )
    alpha, beta = empyrical.alpha_beta(mine, market, risk_free=daily_rf)
    assert m.twr == pytest.approx(empyrical.cum_returns_final(mine), rel=REL)
    assert m.twr_annualized == pytest.approx(empyrical.annual_return(mine), rel=REL)
    assert m.volatility == pytest.approx(empyrical.annual_volatility(mine), rel=REL)
    assert m.sharpe == pytest.approx(empyrical.sharpe_ratio(mine, risk_free=daily_rf), rel=REL)
    assert m.sortino == pytest.approx(
        empyrical.sortino_ratio(mine, required_return=daily_rf), rel=REL
    )
    assert m.max_drawdown == pytest.approx(empyrical.max_drawdown(mine), rel=REL)
    assert m.calmar == pytest.approx(empyrical.calmar_ratio(mine), rel=REL)
    assert m.beta == pytest.approx(beta, rel=REL)
    assert m.alpha == pytest.approx(alpha, rel=REL)
    assert m.var_95 == pytest.approx(empyrical.value_at_risk(mine), rel=REL)
    assert m.cvar_95 == pytest.approx(empyrical.conditional_value_at_risk(mine), rel=REL)
    assert m.benchmark_return == pytest.approx(empyrical.cum_returns_final(market), rel=REL)
    assert m.best_day == pytest.approx(mine.max(), rel=REL)
    assert m.worst_day == pytest.approx(mine.min(), rel=REL)


def test_docs_twr_example_end_to_end_with_decimals():
    days = [date(2024, 3, 4), date(2024, 3, 5), date(2024, 3, 6), date(2024, 3, 7)]
    equity = [Decimal("10000.00"), Decimal("10500.00"), Decimal("15290.00"), Decimal("16819.00")]
    flows = [Decimal(0), Decimal(0), Decimal("5000.00"), Decimal(0)]
    m = compute_metrics(days, equity, flows)
    assert m.twr == pytest.approx(0.1319, rel=REL)
    assert round(m.simple_return, 4) == 0.1213  # 1,819.00 gained on 15,000.00 put in
    assert round(m.mwr, 4) == 0.1570
    assert m.twr_annualized is None and m.mwr_annualized is None  # under a year
    assert (m.start_on, m.end_on, m.points) == (days[0], days[-1], 4)


def test_docs_drawdown_example_end_to_end():
    days = [
        date(2024, 1, 2),
        date(2024, 1, 3),
        date(2024, 1, 4),
        date(2024, 1, 5),
        date(2024, 1, 8),
    ]
    equity = ["10000.00", "11000.00", "8800.00", "12680.00", "14582.00"]
    flows = ["0", "0", "0", "3000.00", "0"]
    m = compute_metrics(days, [Decimal(v) for v in equity], [Decimal(f) for f in flows])
    assert m.max_drawdown == pytest.approx(-0.20, rel=REL)
    assert m.drawdown_peak_on == date(2024, 1, 3)
    assert m.drawdown_trough_on == date(2024, 1, 4)
    assert m.drawdown_recovery_on == date(2024, 1, 8)
    assert m.drawdown_days == 5
    assert m.twr == pytest.approx(0.1132, rel=REL)


def test_twr_is_annualised_from_252_trading_days(history):
    days, equity, flows, *_ = history
    assert compute_metrics(days[:252], equity[:252], flows[:252]).twr_annualized is None
    assert compute_metrics(days[:252], equity[:252], flows[:252]).calmar is None
    year = compute_metrics(days[:253], equity[:253], flows[:253])
    assert year.twr_annualized == pytest.approx((1 + year.twr) ** (252 / 252) - 1, rel=REL)
    assert year.calmar is not None


def test_mwr_is_annualised_from_365_calendar_days(history):
    days, equity, flows, *_ = history
    last = next(i for i, day in enumerate(days) if (day - days[0]).days >= 365)
    assert compute_metrics(days[:last], equity[:last], flows[:last]).mwr_annualized is None
    year = compute_metrics(days[: last + 1], equity[: last + 1], flows[: last + 1])
    span = (days[last] - days[0]).days
    assert year.mwr_annualized == pytest.approx((1 + year.mwr) ** (365 / span) - 1, rel=REL)


def test_empty_history_gives_all_none():
    m = compute_metrics([], [])
    assert m.points == 0
    # periods_per_year is the annualisation factor, not a figure: it is always known.
    assert all(getattr(m, f.name) is None for f in fields(m)
               if f.name not in ("points", "periods_per_year"))


def test_one_point_gives_no_returns():
    m = compute_metrics([date(2024, 1, 2)], [Decimal("100000.00")])
    assert m.points == 1 and m.twr is None and m.volatility is None and m.max_drawdown is None


def test_all_cash_has_zero_volatility_and_no_sharpe():
    days = _trading_days(30)
    m = compute_metrics(days, [Decimal("100000.00")] * 30, position_values=[])
    assert m.twr == 0.0 and m.volatility == 0.0 and m.max_drawdown == 0.0
    assert m.sharpe is None and m.sortino is None and m.calmar is None
    assert m.hhi is None and m.largest_weight is None
    assert m.mwr == pytest.approx(0.0, abs=1e-12)


def test_lost_everything_stops_the_returns_at_zero():
    days = _trading_days(6)
    m = compute_metrics(days, [100.0, 50.0, 0.0, 0.0, 0.0, 10.0], [0, 0, 0, 0, 0, 10.0])
    assert m.end_on == days[2] and m.points == 3
    assert m.twr == -1.0 and m.max_drawdown == -1.0 and m.mwr == -1.0
    assert m.drawdown_recovery_on is None
    _assert_finite_or_none(m)


def test_short_squeeze_below_zero_equity_is_a_total_loss():
    days = _trading_days(4)
    m = compute_metrics(days, [100.0, 80.0, -30.0, -50.0])
    assert m.twr == -1.0 and m.worst_day == -1.0 and m.end_on == days[2]
    _assert_finite_or_none(m)


def test_withdrawing_everything_ends_the_history_without_a_loss():
    days = _trading_days(4)
    m = compute_metrics(days, [100.0, 110.0, 0.0, 0.0], [0.0, 0.0, -110.0, 0.0])
    assert m.end_on == days[2]
    assert m.twr == pytest.approx(0.10, rel=REL)


def test_history_starts_when_the_account_is_funded():
    days = _trading_days(4)
    m = compute_metrics(days, [0.0, 1_000.0, 1_100.0, 1_210.0], [0.0, 1_000.0, 0.0, 0.0])
    assert m.start_on == days[1]
    assert m.twr == pytest.approx(0.21, rel=REL)


def test_missing_days_are_spanned_by_one_return():
    weekly = [date(2024, 1, 5) + timedelta(weeks=i) for i in range(4)]
    m = compute_metrics(weekly, [100.0, 110.0, 121.0, 133.1])
    assert m.twr == pytest.approx(0.331, rel=REL)
    assert m.worst_day == pytest.approx(0.10, rel=REL)


def test_missing_equity_point_carries_its_deposit_to_the_next_day():
    days = _trading_days(4)
    equity = [Decimal("100"), Decimal("110"), Decimal("NaN"), Decimal("1121")]
    flows = [Decimal(0), Decimal(0), Decimal("1000"), Decimal(0)]
    m = compute_metrics(days, equity, flows)
    assert m.points == 3
    assert m.twr == pytest.approx(0.21, rel=REL)


def test_benchmark_is_aligned_on_common_dates():
    days = _trading_days(5)
    growth = np.array([1.0, 1.01, 1.03, 1.02, 1.05])
    bench_days = [days[0], days[1], days[3], days[4], days[4] + timedelta(days=3)]
    levels = [100.0, 101.0, 99.0, 102.0, 500.0]
    mine, market, total = aligned_returns(days, growth, bench_days, levels)
    np.testing.assert_allclose(mine, [0.01, 1.02 / 1.01 - 1, 1.05 / 1.02 - 1], rtol=REL)
    np.testing.assert_allclose(market, [0.01, 99 / 101 - 1, 102 / 99 - 1], rtol=REL)
    assert total == pytest.approx(0.02, rel=REL)


def test_benchmark_without_common_dates_gives_no_beta():
    days = _trading_days(5)
    m = compute_metrics(
        days,
        [100.0, 101.0, 102.0, 101.0, 103.0],
        benchmark_dates=[date(2000, 1, 3), date(2000, 1, 4)],
        benchmark_levels=[1.0, 2.0],
    )
    assert m.beta is None and m.alpha is None and m.benchmark_return is None


def test_concentration_comes_from_position_values():
    days = _trading_days(3)
    m = compute_metrics(
        days,
        [10_000.0] * 3,
        position_values=[Decimal("5000.00"), Decimal("3000.00"), Decimal("2000.00")],
    )
    assert m.hhi == pytest.approx(0.38, rel=REL) and m.largest_weight == pytest.approx(0.5, rel=REL)


def test_growth_index_of_compute_metrics_input_starts_at_one():
    assert growth_index(np.array([0.1]))[0] == 1.0


@pytest.mark.parametrize(
    ("dates", "equity", "flows"),
    [
        ([date(2024, 1, 2)], [1.0, 2.0], None),
        ([date(2024, 1, 2), date(2024, 1, 3)], [1.0, 2.0], [0.0]),
        ([date(2024, 1, 3), date(2024, 1, 2)], [1.0, 2.0], None),
        ([date(2024, 1, 2), date(2024, 1, 2)], [1.0, 2.0], None),
    ],
)
def test_malformed_input_is_refused(dates, equity, flows):
    with pytest.raises(ValueError):
        compute_metrics(dates, equity, flows)
