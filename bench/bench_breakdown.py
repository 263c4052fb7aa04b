"""Rolling figures, calendar returns, drawdown spells and the tearsheet for 10 years of calendar days.

The heaviest input the analytics page meets: a point every calendar day
(`always_open`) for 10 years (3,651 points, so 365-return rolling windows),
with a benchmark. The figures are the medians of several runs.

Run: .venv/bin/python bench/bench_breakdown.py   (prints two lines; targets 100 ms and 300 ms)
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, date, datetime, timedelta

import numpy as np

from invsim.analytics.breakdown import compute_breakdown
from invsim.analytics.metrics import compute_metrics
from invsim.analytics.tearsheet import TearsheetInput, render

POINTS = 3651
RUNS = 7
TARGETS_MS = {"breakdown": 100.0, "tearsheet": 300.0}


def history() -> tuple[list[date], np.ndarray, np.ndarray]:
    """Build a deterministic portfolio and benchmark with a point every calendar day."""
    rng = np.random.default_rng(3651)
    days = [date(2015, 1, 1) + timedelta(days=i) for i in range(POINTS)]
    equity = 1e5 * np.concatenate([[1.0], np.cumprod(1 + rng.normal(0.0004, 0.01, POINTS - 1))])
    levels = 100 * np.concatenate([[1.0], np.cumprod(1 + rng.normal(0.0003, 0.01, POINTS - 1))])
    return days, equity, levels


def breakdown_once(days: list[date], equity: np.ndarray, levels: np.ndarray) -> None:
    """Compute the breakdown the rolling, calendar and drawdown endpoints serve."""
    compute_breakdown(days, equity, benchmark_dates=days, benchmark_levels=levels)


def tearsheet_once(days: list[date], equity: np.ndarray, levels: np.ndarray) -> None:
    """Compute every figure and render the tearsheet page."""
    metrics = compute_metrics(days, equity, benchmark_dates=days, benchmark_levels=levels)
    found = compute_breakdown(days, equity, benchmark_dates=days, benchmark_levels=levels)
    render(TearsheetInput("Bench", "ALL", "SPY", 0.04, datetime.now(UTC), metrics, found, days,
                          list(levels)))


def main() -> None:
    """Print the median time of each step."""
    data = history()
    for name, step in (("breakdown", breakdown_once), ("tearsheet", tearsheet_once)):
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            step(*data)
            times.append((time.perf_counter() - started) * 1000)
        print(f"{name} points={POINTS} ms={statistics.median(times):.1f} "
              f"(target < {TARGETS_MS[name]:.0f} ms)")


if __name__ == "__main__":
    main()
