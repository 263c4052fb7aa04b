"""Drawdown on the time-weighted index: depth against empyrical, dates from the docs' example."""

from datetime import date

import empyrical
import numpy as np
import pytest

from invsim.analytics.drawdown import calmar_ratio, max_drawdown, worst_drawdown
from invsim.analytics.returns import annual_return, daily_returns, growth_index

REL = 1e-9

# docs/analytics.md, "Maximum drawdown": a 3,000.00 deposit on Jan 5 lifts the
# dollars above the old peak while the portfolio is still 12 % under water.
DATES = [date(2024, 1, 2), date(2024, 1, 3), date(2024, 1, 4), date(2024, 1, 5), date(2024, 1, 8)]
EQUITY = np.array([10_000.00, 11_000.00, 8_800.00, 12_680.00, 14_582.00])
FLOWS = np.array([0.0, 0.0, 0.0, 3_000.00, 0.0])


def _random_returns():
    return np.random.default_rng(11).normal(0.0002, 0.015, 900)


def test_max_drawdown_matches_empyrical():
    r = _random_returns()
    assert max_drawdown(r) == pytest.approx(empyrical.max_drawdown(r), rel=REL)


def test_calmar_matches_empyrical():
    """Empyrical's Calmar is annual_return / |max drawdown|, for any length; so is ours."""
    r = _random_returns()
    ours = calmar_ratio(annual_return(r), max_drawdown(r))
    assert ours == pytest.approx(empyrical.calmar_ratio(r), rel=REL)


def test_docs_drawdown_example_has_peak_trough_and_recovery_dates():
    growth = growth_index(daily_returns(EQUITY, FLOWS))
    found = worst_drawdown(DATES, growth)
    assert found.depth == pytest.approx(-0.20, rel=REL)
    assert (found.peak_on, found.trough_on, found.recovery_on) == (
        date(2024, 1, 3),
        date(2024, 1, 4),
        date(2024, 1, 8),
    )
    assert found.duration_days == 5


def test_deposit_above_the_old_peak_is_not_a_recovery():
    growth = growth_index(daily_returns(EQUITY[:4], FLOWS[:4]))
    found = worst_drawdown(DATES[:4], growth)
    assert found.recovery_on is None
    assert found.duration_days == 2  # peak Jan 3 to the last date, Jan 5
    assert growth[-1] / growth[1] - 1 == pytest.approx(-0.12, rel=REL)


def test_peak_is_the_last_date_at_the_high_before_the_trough():
    growth = np.array([1.0, 1.2, 1.1, 1.2, 0.9, 1.0])
    found = worst_drawdown([date(2024, 1, d) for d in range(1, 7)], growth)
    assert found.peak_on == date(2024, 1, 4)
    assert found.depth == pytest.approx(-0.25, rel=REL)


def test_recovery_one_rounding_error_short_of_the_peak_counts():
    growth = np.array([1.0, 1.1, 0.88, 1.1 * (1 - 1e-15), 1.1])
    found = worst_drawdown([date(2024, 1, d) for d in range(1, 6)], growth)
    assert found.recovery_on == date(2024, 1, 4)


def test_rising_series_has_no_drawdown():
    growth = growth_index(np.array([0.01, 0.02, 0.0]))
    assert worst_drawdown([date(2024, 1, d) for d in range(1, 5)], growth) is None
    assert max_drawdown(np.array([0.01, 0.02, 0.0])) == 0.0


def test_drawdown_needs_two_points():
    assert worst_drawdown([date(2024, 1, 1)], np.array([1.0])) is None
    assert max_drawdown(np.empty(0)) is None


def test_calmar_is_none_without_a_drawdown_or_annual_return():
    assert calmar_ratio(0.12, -0.20) == pytest.approx(0.6, rel=REL)
    assert calmar_ratio(0.12, 0.0) is None
    assert calmar_ratio(None, -0.2) is None
    assert calmar_ratio(0.12, None) is None
