"""Walk-forward evaluation: windows, no look-ahead, warm-up, exact figures, the warning."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest

from invsim.backtest.bars import BarSeries, align
from invsim.backtest.broker import BrokerConfig
from invsim.backtest.engine import RunSpec, run
from invsim.backtest.strategies import BUILTINS
from invsim.backtest.strategy import Strategy
from invsim.backtest.sweep import SweepError
from invsim.backtest.walkforward import (
    Window,
    comparable,
    holds,
    out_of_sample,
    sub_panel,
    trading_from,
    walk_forward,
    windows,
)
from tests.unit.backtest.sweep_bars import random_walk, walk_panel

SMA = BUILTINS["sma_cross"]
CASH = BrokerConfig(cash=Decimal("10000"))
SPACE = {"fast": [5, 10, 20], "slow": [30, 60, 90]}


def test_windows_roll_by_the_test_length_and_keep_a_last_half_window():
    assert windows(1000, 300, 200) == [
        Window(0, 0, 300, 300, 500), Window(1, 200, 500, 500, 700),
        Window(2, 400, 700, 700, 900), Window(3, 600, 900, 900, 1000)]  # last: 100 = half
    assert windows(990, 300, 200)[-1] == Window(2, 400, 700, 700, 900)  # 90 < 100: dropped
    assert windows(500, 300, 200) == [Window(0, 0, 300, 300, 500)]


def test_a_walk_that_does_not_fit_is_refused_with_the_numbers():
    with pytest.raises(SweepError, match="needs at least 500 bars; the data has 499"):
        windows(499, 300, 200)
    with pytest.raises(SweepError, match="at least 2 bars"):
        windows(1000, 1, 200)


@pytest.mark.parametrize(("metric", "inside", "outside", "held"), [
    ("sharpe", 1.0, 0.5, True), ("sharpe", 1.0, 0.49, False),
    ("sharpe", 0.8, -0.1, False),  # negative while positive in sample
    ("sharpe", -0.5, -0.4, True), ("sharpe", -0.5, -0.6, False),  # non-positive: not worse
    ("max_drawdown", -0.10, -0.20, True), ("max_drawdown", -0.10, -0.21, False),
    ("max_drawdown", 0.0, -0.04, True), ("max_drawdown", 0.0, -0.06, False),
    ("calmar", None, 1.0, None), ("sortino", 1.0, None, None),
])
def test_the_holding_rule(metric, inside, outside, held):
    assert holds(metric, inside, outside) is held


def test_total_returns_compare_over_the_test_windows_length():
    inside, outside = comparable("total_return", {"total_return": 0.21, "bars": 501},
                                 {"total_return": 0.04, "bars": 251})
    assert inside == pytest.approx(0.1) and outside == 0.04  # 1.21 ** (250 / 500) − 1
    # a ratio that is undefined because the equity never moved counts as 0
    assert comparable("sharpe", {"sharpe": 1.2}, {"sharpe": None, "total_return": 0.0}) == (
        1.2, 0.0)


class Recorder(Strategy):
    """Record the steps `next` is called on (a test strategy)."""

    name = "recorder"
    seen: list[int] = []

    def next(self) -> None:
        """Remember this step."""
        Recorder.seen.append(self.step)


def test_a_warmed_up_strategy_acts_only_from_the_window_on():
    panel = walk_panel(40, seed=1)
    Recorder.seen = []
    run(RunSpec(trading_from(Recorder, 25), {}, CASH), panel)
    assert Recorder.seen == list(range(25, 40))
    # a strategy with decision steps has them masked over the warm-up too
    result = run(RunSpec(trading_from(SMA, 400), {"fast": 5, "slow": 20}, CASH),
                 walk_panel(750, seed=7))
    assert result.fills and min(fill.step for fill in result.fills) > 400


def test_out_of_sample_trades_only_inside_the_test_window_but_warms_up_before_it():
    panel = walk_panel(1000, seed=4)
    window = Window(0, 0, 500, 500, 750)
    figures, result, warm = out_of_sample(SMA, {"fast": 5, "slow": 90, "long_short": False,
                                                "fraction": Decimal(1)}, panel, CASH, window)
    assert warm == 500 and result.times[warm] == panel.times[500]
    assert result.fills and all(f.at >= panel.times[501] for f in result.fills)
    assert figures["bars"] == 250 and figures["start"] == panel.times[500].isoformat()
    # warmed up, the 90-bar average is there on the window's first bar: a cold run on the
    # test bars alone cannot trade before its 91st bar
    cold = run(RunSpec(SMA, {"fast": 5, "slow": 90}, CASH), sub_panel(panel, 500, 750))
    assert min(f.step for f in cold.fills) > 90
    assert min(f.step for f in result.fills) - warm < 90


def test_buy_and_hold_out_of_sample_is_exactly_an_engine_run_on_the_test_bars():
    panel = walk_panel(900, seed=5)
    found = walk_forward(BUILTINS["buy_and_hold"], {"fraction": ["0.5", "1"]}, panel, CASH,
                         metric="total_return", train_bars=400, test_bars=250)
    assert len(found.windows) == 2
    for row in found.windows:
        test = sub_panel(panel, row["test"]["first_step"], row["test"]["last_step"] + 1)
        exact = run(RunSpec(BUILTINS["buy_and_hold"], row["best_params"], CASH), test).summary()
        for key in ("final_equity", "total_return", "sharpe", "sortino", "max_drawdown",
                    "calmar", "trades", "open_trades", "start", "end", "bars"):
            assert row["out_of_sample"][key] == exact[key], key


def test_in_sample_figures_are_the_engine_runs_on_the_training_bars():
    panel = walk_panel(1000, seed=3)
    found = walk_forward(SMA, SPACE, panel, CASH, train_bars=500, test_bars=250)
    for row in found.windows:
        train = sub_panel(panel, row["train"]["first_step"], row["train"]["last_step"] + 1)
        exact = run(RunSpec(SMA, row["best_params"], CASH), train).summary()
        assert row["in_sample_metric"] == exact["sharpe"]
        assert row["in_sample"]["final_equity"] == exact["final_equity"]


def test_a_window_does_not_see_the_bars_after_it():
    panel = walk_panel(1000, seed=3)
    series = panel.series["AAA"]
    other = random_walk("AAA", 1000, seed=99)
    # the same first 750 bars, then different prices on the same dates
    later = tuple(replace(bar, at=series.bars[750 + i].at)
                  for i, bar in enumerate(other.bars[750:]))
    changed = align([BarSeries("AAA", series.bars[:750] + later)])
    first = walk_forward(SMA, SPACE, panel, CASH, train_bars=500, test_bars=250)
    second = walk_forward(SMA, SPACE, changed, CASH, train_bars=500, test_bars=250)
    assert first.windows[0] == second.windows[0]  # trains on 0–499, tests on 500–749
    assert first.windows[1]["out_of_sample"] != second.windows[1]["out_of_sample"]


def test_the_stitched_curve_chains_the_test_windows():
    panel = walk_panel(1250, seed=4, drift=0.002, volatility=0.008)
    found = walk_forward(SMA, SPACE, panel, CASH, train_bars=500, test_bars=250)
    assert found.stitched[0][1] == "10000.00"
    assert len(found.stitched) == sum(row["test"]["bars"] for row in found.windows)
    growth = 1.0
    for row in found.windows:
        growth *= 1 + row["out_of_sample"]["total_return"]
    assert float(found.stitched[-1][1]) == pytest.approx(10000 * growth, abs=0.05)
    assert found.aggregate["out_of_sample"]["final_equity"] == found.stitched[-1][1]


def test_a_real_trend_holds_out_of_sample_without_a_warning():
    panel = walk_panel(1250, seed=4, drift=0.002, volatility=0.008)
    found = walk_forward(SMA, SPACE, panel, CASH, train_bars=500, test_bars=250)
    assert found.warning is None
    assert found.aggregate["windows_held"] == found.aggregate["windows_judged"] == 3


def test_an_over_fitted_random_walk_warns_with_the_figures():
    panel = walk_panel(1250, seed=1, drift=0.0, volatility=0.015)
    found = walk_forward(SMA, SPACE, panel, CASH, train_bars=500, test_bars=250)
    assert found.warning is not None
    assert found.warning.startswith("the best in-sample parameters did not hold out of sample")
    mean_in = found.aggregate["in_sample_mean"]
    mean_out = found.aggregate["out_of_sample_mean"]
    assert mean_in > 0 and mean_out < mean_in / 2
    assert f"{mean_out:.3g} out of sample vs {mean_in:.3g} in sample" in found.warning
    data = json.loads(json.dumps(found.as_dict()))
    assert data["warning"] == found.warning and len(data["windows"]) == 3
    assert {"in_sample", "out_of_sample", "best_params", "train", "test", "held"} <= set(
        data["windows"][0])
