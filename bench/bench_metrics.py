"""Compute every metric for 10 years of daily history (2,520 points) with a benchmark.

Inputs arrive as the service will pass them: Decimal equity, flows and position
values, dates, benchmark closes. The figure is the median of several runs.

Run: .venv/bin/python bench/bench_metrics.py   (prints one line; target < 20 ms)
"""

from __future__ import annotations

import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from invsim.analytics.metrics import compute_metrics

YEARS = 10
POINTS = 252 * YEARS
RUNS = 15
TARGET_MS = 20.0


def trading_days(count: int, first: date = date(2015, 1, 2)) -> list[date]:
    """Return `count` weekdays from `first` (holidays do not matter here)."""
    days, day = [], first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def history() -> dict[str, object]:
    """Build a deterministic portfolio and benchmark history with monthly deposits."""
    rng = np.random.default_rng(2520)
    market = rng.normal(0.0003, 0.011, POINTS)
    mine = 0.0001 + 1.1 * market + rng.normal(0.0, 0.006, POINTS)
    flows = np.zeros(POINTS)
    flows[21::21] = 1_000.0  # a deposit roughly every month
    equity = [100_000.0]
    for r, flow in zip(mine[1:], flows[1:]):
        equity.append(equity[-1] * (1 + r) + flow)
    days = trading_days(POINTS)
    return {
        "dates": days,
        "equity": [Decimal(f"{value:.2f}") for value in equity],
        "flows": [Decimal(f"{value:.2f}") for value in flows],
        "benchmark_dates": days,
        "benchmark_levels": [Decimal(f"{value:.4f}") for value in 4_000 * np.cumprod(1 + market)],
        "position_values": [Decimal(f"{value:.2f}") for value in rng.uniform(1_000, 20_000, 25)],
    }


def main() -> None:
    """Time compute_metrics and print one line."""
    data = history()
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        compute_metrics(**data, risk_free_rate=0.04)  # type: ignore[arg-type]
        timings.append((time.perf_counter() - started) * 1000)
    ms = statistics.median(timings)
    print(f"metrics_all years={YEARS} points={POINTS} ms={ms:.1f} (target < {TARGET_MS:.0f} ms)")


if __name__ == "__main__":
    main()
