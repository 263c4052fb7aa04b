"""Risk metrics and the benchmark comparison agree with a hand calculation."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest

from invsim.analytics import service
from invsim.analytics.metrics import compute_metrics
from invsim.core.errors import ValidationFailed
from tests.service.analytics.support import D, scenario

# The scenario's daily equity and flows (see support.scenario) and SPY's closes on its days.
DAYS = [date(2025, 3, d) for d in (2, 3, 4, 5, 6)]
EQUITY = [10000, 10050, 14980, 15112, 15130]
FLOWS = [0, 0, 5000, 0, 0]
SPY = ["500", "505", "500", "510", "512"]


def spy_closes(fixed) -> None:
    """Give SPY a close on every day of the scenario (the last one is today's so far)."""
    for day, close in zip(DAYS, SPY, strict=True):
        fixed.close("SPY", day.isoformat(), close)


def test_metrics_agree_with_the_hand_calculation(ctx, clock, fixed):
    owner, portfolio = scenario(clock, fixed)
    spy_closes(fixed)
    report = service.portfolio_metrics(owner_id=owner.id, portfolio_id=portfolio.id,
                                       period="ALL")
    daily = np.array([10050 / 10000, 9980 / 10050, 15112 / 14980, 15130 / 15112]) - 1
    # The test app's market is always_open: a session every day, 365 a year.
    rf_daily = 1.04 ** (1 / 365) - 1
    excess = daily - rf_daily
    found = report.metrics
    assert found.periods_per_year == 365
    assert report.benchmark == "SPY" and report.risk_free_rate == D("0.04")
    assert found.points == 5 and found.start_on == DAYS[0] and found.end_on == DAYS[-1]
    assert math.isclose(found.volatility, daily.std(ddof=1) * math.sqrt(365), rel_tol=1e-12)
    assert math.isclose(found.sharpe, excess.mean() / excess.std(ddof=1) * math.sqrt(365),
                        rel_tol=1e-12)
    assert math.isclose(found.max_drawdown, 9980 / 10050 - 1, rel_tol=1e-12)
    assert (found.drawdown_peak_on, found.drawdown_trough_on) == (DAYS[1], DAYS[2])
    assert (found.best_day, found.worst_day) == (daily.max(), daily.min())
    assert (found.hhi, found.largest_weight) == (1.0, 1.0)  # only AAPL is held
    expected = compute_metrics(DAYS, EQUITY, FLOWS, benchmark_dates=DAYS,
                               benchmark_levels=[D(c) for c in SPY],
                               position_values=[D("690.00")], risk_free_rate=0.04)
    assert found == expected  # the dates have a weekend (2 March): read as 365 a year too
    assert found.benchmark_return == pytest.approx(512 / 500 - 1, rel=1e-12)


def test_benchmark_comparison_starts_both_series_at_100(ctx, clock, fixed):
    owner, portfolio = scenario(clock, fixed)
    spy_closes(fixed)
    found = service.benchmark_comparison(owner_id=owner.id, portfolio_id=portfolio.id,
                                         symbol="spy", period="ALL")
    assert found.symbol == "SPY" and found.days == DAYS
    assert [str(v) for v in found.benchmark] == ["100.0000", "101.0000", "100.0000",
                                                 "102.0000", "102.4000"]
    assert found.portfolio[0] == D("100.0000") and found.portfolio[1] == D("100.5000")
    assert found.portfolio[2] == (D("100.5") * D(9980) / D(10050)).quantize(D("0.0001"))
    assert found.benchmark_return[-1] == D("0.024000")


def test_a_benchmark_that_is_not_an_instrument_is_refused(ctx, clock, fixed):
    owner, portfolio = scenario(clock, fixed)
    for bad in ("NOPE", "$$$"):
        with pytest.raises(ValidationFailed) as raised:
            service.portfolio_metrics(owner_id=owner.id, portfolio_id=portfolio.id,
                                      benchmark=bad)
        assert raised.value.code == "unknown_benchmark"
