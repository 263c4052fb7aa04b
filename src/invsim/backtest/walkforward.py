"""Walk-forward evaluation: optimise on a training window, test the winner on the next, roll.

Windows (calendar steps of the panel): window k trains on
[k·test, k·test + train) and tests on the `test_bars` after it; the last test
window may be shorter, and is dropped when shorter than half of `test_bars`.

In sample, the sweep runs plain engine runs on the training bars alone (the
window's first bars warm the indicators up). Out of sample, the winner is run
on the test window *preceded by the training window's bars as warm-up*: its
indicators see that history, but the strategy may act only from the test
window's first bar on (`next` is not called before it), so every trade is
inside the window; the figures are measured on the test window's bars only.
Strategies without indicators (buy_and_hold, dca, rebalance) run on the test
bars alone, so their step-0 logic is the window's first bar.

Pure: no database, no network, no clock.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import numpy as np

from invsim.analytics.metrics import compute_metrics
from invsim.backtest.bars import FloatArray, Panel, clip
from invsim.backtest.broker import BrokerConfig
from invsim.backtest.engine import RunSpec, run
from invsim.backtest.params import resolve
from invsim.backtest.result import Result
from invsim.backtest.strategies.buy_hold import BuyAndHold
from invsim.backtest.strategies.dca import DollarCostAveraging
from invsim.backtest.strategies.rebalance import Rebalance
from invsim.backtest.strategy import Strategy
from invsim.backtest.sweep import (
    Executor,
    Progress,
    SweepError,
    check_metric,
    metric_value,
    run_sweep,
)
from invsim.core.money import money

# Strategies whose logic counts from the run's first bar and reads no indicator.
NO_WARMUP: frozenset[type[Strategy]] = frozenset({BuyAndHold, DollarCostAveraging, Rebalance})
RATIOS = ("sharpe", "sortino", "calmar")
MIN_BARS = 2  # a window needs two closes for one return
HALF = 0.5


@dataclass(frozen=True)
class Window:
    """One step of the walk: the training and the test ranges, as calendar steps [start, end)."""

    index: int
    train_start: int
    train_end: int
    test_start: int
    test_end: int


def windows(steps: int, train_bars: int, test_bars: int) -> list[Window]:
    """Lay out the rolling windows over `steps` calendar steps (see the module docstring)."""
    if train_bars < MIN_BARS or test_bars < MIN_BARS:
        raise SweepError(f"train and test windows need at least {MIN_BARS} bars each")
    if train_bars + test_bars > steps:
        raise SweepError(f"a walk forward of train={train_bars}, test={test_bars} needs at "
                         f"least {train_bars + test_bars} bars; the data has {steps}")
    laid: list[Window] = []
    start = 0
    while start + train_bars < steps:
        test_end = min(start + train_bars + test_bars, steps)
        if test_end - (start + train_bars) < max(MIN_BARS, math.ceil(test_bars * HALF)):
            break
        laid.append(Window(len(laid), start, start + train_bars, start + train_bars, test_end))
        start += test_bars
    return laid


def sub_panel(panel: Panel, start: int, end: int) -> Panel:
    """Return the panel's calendar steps [start, end) as a panel of its own."""
    return clip(panel, panel.times[start], panel.times[end - 1])


def trading_from(strategy: type[Strategy], first_step: int) -> type[Strategy]:
    """Return the strategy acting only from calendar step `first_step` (its warm-up before)."""

    class WarmedUp(strategy):  # type: ignore[valid-type, misc]
        """The strategy with its decisions held back until the window opens."""

        def decision_steps(self) -> FloatArray | None:
            """Mask the warm-up out of the strategy's own decision steps."""
            marked = super().decision_steps()
            if marked is None:
                return None
            masked = np.array(marked, dtype=np.float64)
            masked[:first_step] = 0.0
            return masked

        def next(self) -> None:
            """Decide only inside the window."""
            if self.step >= first_step:
                super().next()

    WarmedUp.__name__ = WarmedUp.__qualname__ = f"{strategy.__name__}WarmedUp"
    return WarmedUp


def out_of_sample(strategy: type[Strategy], params: Mapping[str, Any], panel: Panel,
                  broker: BrokerConfig, window: Window, *,
                  benchmark: str | None = None) -> tuple[dict[str, Any], Result, int]:
    """Run the winner on one test window; return its figures, the run and the window's offset."""
    warm = 0 if strategy in NO_WARMUP else window.test_start - window.train_start
    bars = sub_panel(panel, window.test_start - warm, window.test_end)
    runner = trading_from(strategy, warm) if warm else strategy
    result = run(RunSpec(runner, params, broker, benchmark), bars)
    return window_figures(result, warm), result, warm


def window_figures(result: Result, first: int) -> dict[str, Any]:
    """Measure a run on its steps from `first` on (the analytics metrics, one implementation)."""
    times, equity = result.times[first:], result.equity[first:]
    days, levels = _daily(times, equity)
    bench_days, bench_levels = _daily(times, result.benchmark_equity[first:])
    metrics = compute_metrics(days, levels, benchmark_dates=bench_days,
                              benchmark_levels=bench_levels)
    return {
        "start": times[0].isoformat(), "end": times[-1].isoformat(), "bars": len(times),
        "final_equity": str(equity[-1]), "total_return": _ratio(equity[-1], equity[0]),
        "annualized_return": metrics.twr_annualized, "sharpe": metrics.sharpe,
        "sortino": metrics.sortino, "max_drawdown": metrics.max_drawdown,
        "calmar": metrics.calmar, "benchmark_return": metrics.benchmark_return,
        "trades": sum(1 for t in result.trades if not t.open),
        "open_trades": sum(1 for t in result.trades if t.open),
    }


def _daily(times: Sequence[datetime], values: Sequence[Decimal | float]
           ) -> tuple[list[date], list[Decimal | float]]:
    """Keep the last value of each UTC day (as a single run's result does)."""
    by_day: dict[date, Decimal | float] = {}
    for at, value in zip(times, values, strict=True):
        by_day[at.date()] = value
    return list(by_day), list(by_day.values())


def _ratio(end: Decimal, start: Decimal) -> float | None:
    """Return end / start − 1, or None from zero."""
    return float(end / start - 1) if start else None


# --- the walk ---------------------------------------------------------------------------------

def walk_forward(strategy: type[Strategy], space: Mapping[str, Sequence[Any]], panel: Panel,
                 broker: BrokerConfig, *, metric: str = "sharpe", train_bars: int,
                 test_bars: int, executor: Executor | None = None, mode: str = "grid",
                 samples: int | None = None, seed: int = 0, benchmark: str | None = None,
                 screen: bool | None = None,
                 progress: Progress | None = None) -> WalkForwardResult:
    """Optimise on each training window, test the best on the next; report both side by side."""
    check_metric(metric)
    laid = windows(len(panel.times), train_bars, test_bars)
    done: list[dict[str, Any]] = []
    tests: list[tuple[Result, int]] = []
    for window in laid:
        sweep = run_sweep(strategy, space, sub_panel(panel, window.train_start, window.train_end),
                          broker, metric=metric, mode=mode, samples=samples, seed=seed,
                          executor=executor, benchmark=benchmark, screen=screen)
        best = resolve(strategy.params, sweep.best_params)
        figures, result, warm = out_of_sample(strategy, best, panel, broker, window,
                                              benchmark=benchmark)
        tests.append((result, warm))
        done.append(_window_row(window, panel, sweep.best, figures, metric))
        if progress is not None:
            progress(len(done), len(laid))
    stitched = _stitch(tests, broker.cash)
    aggregate = _aggregate(done, stitched, metric)
    return WalkForwardResult(metric=metric, train_bars=train_bars, test_bars=test_bars,
                             windows=done, aggregate=aggregate, stitched=stitched,
                             warning=warning_for(done, aggregate, metric))


def _window_row(window: Window, panel: Panel, best: Mapping[str, Any],
                figures: dict[str, Any], metric: str) -> dict[str, Any]:
    """Return one window's line of the walk-forward table."""
    in_sample = best["summary"]
    inside, outside = comparable(metric, in_sample, figures)
    return {
        "index": window.index,
        "train": _range(panel, window.train_start, window.train_end),
        "test": _range(panel, window.test_start, window.test_end),
        "best_params": best["params"],
        "in_sample": {k: in_sample.get(k) for k in figures},
        "out_of_sample": figures,
        "in_sample_metric": metric_value(in_sample, metric),
        "out_of_sample_metric": metric_value(figures, metric),
        "held": holds(metric, inside, outside),
    }


def _range(panel: Panel, start: int, end: int) -> dict[str, Any]:
    """Return a window's range as steps and instants."""
    return {"first_step": start, "last_step": end - 1, "bars": end - start,
            "start": panel.times[start].isoformat(), "end": panel.times[end - 1].isoformat()}


def comparable(metric: str, in_sample: Mapping[str, Any], out: Mapping[str, Any]
               ) -> tuple[float | None, float | None]:
    """Return the in- and out-of-sample metric on one footing.

    Ratios (sharpe, sortino, calmar) are annualised and max_drawdown is a depth:
    they compare as they are; a ratio that is undefined because the equity did
    not move (no trade in the window) counts as 0. A total return (and final equity) depends on the
    window's length, so both become a return per test window: the in-sample one
    compounded down to the test window's number of bars.
    """
    if metric in RATIOS:
        return _ratio_or_zero(in_sample, metric), _ratio_or_zero(out, metric)
    if metric not in ("total_return", "final_equity"):
        return metric_value(in_sample, metric), metric_value(out, metric)
    inside = metric_value(in_sample, "total_return")
    outside = metric_value(out, "total_return")
    if inside is None or outside is None or inside <= -1:
        return inside, outside
    scale = (int(out["bars"]) - 1) / max(1, int(in_sample["bars"]) - 1)
    return (1 + inside) ** scale - 1, outside


def _ratio_or_zero(figures: Mapping[str, Any], metric: str) -> float | None:
    """Return a ratio, or 0 where it is undefined because the equity never moved."""
    value = metric_value(figures, metric)
    if value is None and figures.get("total_return") == 0:
        return 0.0
    return value


def holds(metric: str, in_sample: float | None, out_of_sample: float | None) -> bool | None:
    """Say whether an out-of-sample figure holds up to the in-sample one (None: undefined).

    Higher is better for every metric. It holds when it reaches at least half of
    a positive in-sample figure; for max_drawdown (≤ 0) when it is no more than
    twice as deep (and no deeper than 5 % where in sample there was none). A
    non-positive in-sample figure holds when out of sample is not worse.
    """
    if in_sample is None or out_of_sample is None:
        return None
    if metric == "max_drawdown":
        return out_of_sample >= (2 * in_sample if in_sample < 0 else -0.05)
    if in_sample > 0:
        return out_of_sample >= HALF * in_sample
    return out_of_sample >= in_sample


def _stitch(tests: Sequence[tuple[Result, int]], cash: Decimal) -> list[tuple[str, str]]:
    """Chain the test windows' equity: each window's growth applied to the last one's end."""
    stitched: list[tuple[str, str]] = []
    level = money(cash)
    for result, first in tests:
        base = result.equity[first]
        for at, value in zip(result.times[first:], result.equity[first:], strict=True):
            stitched.append((at.isoformat(), str(money(level * value / base))))
        level = Decimal(stitched[-1][1])
    return stitched


def _aggregate(rows: Sequence[Mapping[str, Any]], stitched: Sequence[tuple[str, str]],
               metric: str) -> dict[str, Any]:
    """Return the out-of-sample figures of the stitched curve beside the in-sample mean."""
    days = [datetime.fromisoformat(at).date() for at, _ in stitched]
    levels = [Decimal(value) for _, value in stitched]
    kept_days, kept = _daily_dates(days, levels)
    metrics = compute_metrics(kept_days, kept)
    out = {"start": stitched[0][0], "end": stitched[-1][0], "bars": len(stitched),
           "final_equity": stitched[-1][1], "total_return": _ratio(levels[-1], levels[0]),
           "annualized_return": metrics.twr_annualized, "sharpe": metrics.sharpe,
           "sortino": metrics.sortino, "max_drawdown": metrics.max_drawdown,
           "calmar": metrics.calmar}
    pairs = [comparable(metric, row["in_sample"], row["out_of_sample"]) for row in rows]
    inside = [p[0] for p in pairs if p[0] is not None]
    outside = [p[1] for p in pairs if p[1] is not None]
    held = [row["held"] for row in rows if row["held"] is not None]
    return {
        "windows": len(rows), "windows_held": sum(held), "windows_judged": len(held),
        "in_sample_mean": float(np.mean(inside)) if inside else None,
        "out_of_sample_mean": float(np.mean(outside)) if outside else None,
        "out_of_sample": out,
    }


def _daily_dates(days: Sequence[date], levels: Sequence[Decimal]
                 ) -> tuple[list[date], list[Decimal]]:
    """Keep the last level of each day."""
    by_day: dict[date, Decimal] = {}
    for day, level in zip(days, levels, strict=True):
        by_day[day] = level
    return list(by_day), list(by_day.values())


def warning_for(rows: Sequence[Mapping[str, Any]], aggregate: Mapping[str, Any],
                metric: str) -> str | None:
    """Say when the best in-sample results did not hold out of sample (None: they held).

    Two tests, either warns: (a) the mean out-of-sample metric fails `holds`
    against the mean in-sample metric (below half of it, or negative while in
    sample was positive; for max_drawdown more than twice as deep); (b) at least
    half of the judged windows fail `holds` one by one.
    """
    inside, outside = aggregate["in_sample_mean"], aggregate["out_of_sample_mean"]
    judged, held = aggregate["windows_judged"], aggregate["windows_held"]
    failed_mean = holds(metric, inside, outside) is False
    failed_windows = judged > 0 and (judged - held) * 2 >= judged
    if not (failed_mean or failed_windows):
        return None
    label = metric + (" per test window" if metric in ("total_return", "final_equity") else "")
    figures = (f"mean {label} {outside:.3g} out of sample vs {inside:.3g} in sample"
               if inside is not None and outside is not None else f"mean {label} undefined")
    return (f"the best in-sample parameters did not hold out of sample: {figures}; "
            f"{judged - held} of {judged} windows failed (out of sample under half of a "
            "positive in-sample figure, or worse than a non-positive one)")


@dataclass
class WalkForwardResult:
    """A finished walk forward: one row per window, the aggregate and a warning."""

    metric: str
    train_bars: int
    test_bars: int
    windows: list[dict[str, Any]]
    aggregate: dict[str, Any]
    stitched: list[tuple[str, str]] = field(repr=False)
    warning: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the walk forward as JSON-ready data."""
        return {"metric": self.metric, "train_bars": self.train_bars,
                "test_bars": self.test_bars, "windows": self.windows,
                "aggregate": self.aggregate,
                "stitched_equity": [{"at": at, "equity": value} for at, value in self.stitched],
                "warning": self.warning}
