"""Parameter sweeps: the space, the limits, validation, ranking, heatmap, and engine equality."""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from typing import Any

import pytest

from invsim.backtest.broker import BrokerConfig
from invsim.backtest.engine import RunSpec, run
from invsim.backtest.strategies import BUILTINS
from invsim.backtest.sweep import (
    MAX_COMBINATIONS,
    METRICS,
    SweepError,
    grid,
    metric_value,
    parse_space,
    random_sample,
    run_sweep,
)
from invsim.trading.engine.costs import CommissionModel
from invsim.trading.engine.rules import AccountType, TradingRules
from tests.unit.backtest.sweep_bars import walk_panel

SMA = BUILTINS["sma_cross"]
RSI = BUILTINS["rsi_reversion"]
CASH = BrokerConfig(cash=Decimal("10000"))


@pytest.fixture(scope="module")
def panel():
    """Three years of one symbol's daily bars."""
    return walk_panel(750, seed=7)


def engine_summary(strategy: Any, params: dict[str, Any], panel: Any,
                   broker: BrokerConfig = CASH) -> dict[str, Any]:
    """Return an independent engine run's summary."""
    return run(RunSpec(strategy, params, broker), panel).summary()


# --- the space -----------------------------------------------------------------------------------

def test_a_range_includes_its_end_and_lists_stay_lists():
    space = parse_space({"fast": "5:50:5", "slow": "20:25", "long_short": "true,false",
                         "fraction": "0.5:1:0.25", "period": [3, 4]})
    assert space["fast"] == [5, 10, 15, 20, 25, 30, 35, 40, 45, 50]
    assert space["slow"] == [20, 21, 22, 23, 24, 25]
    assert space["long_short"] == ["true", "false"]
    assert space["fraction"] == [Decimal("0.5"), Decimal("0.75"), Decimal("1")]
    assert space["period"] == [3, 4]
    assert parse_space({"fast": "5:12:5"})["fast"] == [5, 10]  # stop off the step: not reached


@pytest.mark.parametrize(("raw", "message"), [
    ({"fast": "5:50:0"}, "step above 0"),
    ({"fast": "50:5:5"}, "ends before it starts"),
    ({"fast": "a:b"}, "start:stop:step of numbers"),
    ({"fast": "1:2:3:4"}, "start:stop:step"),
    ({"fast": ""}, "at least one value"),
    ({"fast": "5,5"}, "given twice"),
    ({}, "at least one parameter"),
    ({"fast": "1:100000"}, f"limit of {MAX_COMBINATIONS}"),
])
def test_a_bad_space_is_refused_in_one_line(raw, message):
    with pytest.raises(SweepError, match=message):
        parse_space(raw)


def test_the_grid_varies_the_last_parameter_fastest():
    assert grid({"a": [1, 2], "b": ["x", "y", "z"]}) == [
        {"a": 1, "b": "x"}, {"a": 1, "b": "y"}, {"a": 1, "b": "z"},
        {"a": 2, "b": "x"}, {"a": 2, "b": "y"}, {"a": 2, "b": "z"}]


def test_too_many_combinations_are_refused_with_the_limit_named():
    space = {"fast": list(range(1, 51)), "slow": list(range(2, 43))}  # 50 × 41 = 2050
    with pytest.raises(SweepError, match="2050 combinations is more than the limit of 2000"):
        grid(space)
    assert len(grid({"fast": list(range(1, 51)), "slow": list(range(2, 42))})) == 2000


def test_a_random_search_draws_distinct_grid_points_the_same_for_a_seed():
    space = {"fast": list(range(1, 101)), "slow": list(range(2, 202)), "x": [1, 2, 3]}
    first = random_sample(space, 200, seed=1)
    assert first == random_sample(space, 200, seed=1)
    assert first != random_sample(space, 200, seed=2)
    assert len({tuple(c.items()) for c in first}) == 200
    assert all(c["fast"] in space["fast"] and c["slow"] in space["slow"] for c in first)
    # 60 000 combinations: a random search may sample a grid larger than the grid limit
    assert len(random_sample({"a": [1, 2], "b": [3]}, 10, seed=0)) == 2  # the whole grid
    with pytest.raises(SweepError, match=f"limit of {MAX_COMBINATIONS}"):
        random_sample(space, MAX_COMBINATIONS + 1, seed=0)
    with pytest.raises(SweepError, match="at least 1 sample"):
        random_sample(space, 0, seed=0)


# --- validation and the engine -----------------------------------------------------------------

def test_refused_combinations_are_skipped_and_counted_not_errors(panel):
    result = run_sweep(SMA, {"fast": [10, 20, 30], "slow": [20, 40]}, panel, CASH)
    # fast ≥ slow: (20, 20), (30, 20); out of range is a refusal too
    assert result.skipped == {"fast must be smaller than slow": 2}
    assert result.skipped_count == 2 and result.combinations == 6
    assert sorted((r["params"]["fast"], r["params"]["slow"]) for r in result.rows) == [
        (10, 20), (10, 40), (20, 40), (30, 40)]
    ranged = run_sweep(SMA, {"fast": [0, 10], "slow": [30]}, panel, CASH)
    assert ranged.skipped == {"fast must be at least 1": 1}


def test_a_sweep_with_nothing_to_run_or_an_unknown_name_is_an_error(panel):
    with pytest.raises(SweepError, match="no valid combination to run: fast must be smaller"):
        run_sweep(SMA, {"fast": [30, 40], "slow": [20]}, panel, CASH)
    with pytest.raises(SweepError, match="unknown parameter speed"):
        run_sweep(SMA, {"speed": [1]}, panel, CASH)
    with pytest.raises(SweepError, match="metric must be one of"):
        run_sweep(SMA, {"fast": [5]}, panel, CASH, metric="profit")
    with pytest.raises(SweepError, match="needs a number of samples"):
        run_sweep(SMA, {"fast": [5]}, panel, CASH, mode="random")
    with pytest.raises(SweepError, match="mode must be one of"):
        run_sweep(SMA, {"fast": [5]}, panel, CASH, mode="bayes")


def test_every_row_is_exactly_an_independent_engine_run(panel):
    broker = BrokerConfig(cash=Decimal("25000"), rules=TradingRules(
        commission=CommissionModel.percent(Decimal("0.1")), slippage_bps=Decimal("5"),
        account_type=AccountType.MARGIN, allow_short=True))
    space = {"fast": [5, 15], "slow": [30, 60], "long_short": [True, False]}
    result = run_sweep(SMA, space, panel, broker, screen=False)
    assert len(result.rows) == 8 and all(row["exact"] for row in result.rows)
    for row in result.rows:
        assert row["summary"] == engine_summary(SMA, row["params"], panel, broker)
    shorts = [r for r in result.rows if r["params"]["long_short"]]
    assert any(r["summary"]["trades"] for r in shorts)  # the margin account really shorted


def test_a_process_pool_gives_the_same_rows(panel):
    space = {"period": [7, 14], "lower": [25, 30], "upper": [70]}
    serial = run_sweep(RSI, space, panel, CASH)
    with ProcessPoolExecutor(2) as pool:
        parallel = run_sweep(RSI, space, panel, CASH, executor=pool)
    assert parallel.rows == serial.rows
    for row in serial.rows:
        assert row["summary"] == engine_summary(RSI, row["params"], panel)


@pytest.mark.parametrize("metric", METRICS)
def test_rows_are_ranked_best_first_by_the_metric(panel, metric):
    result = run_sweep(SMA, {"fast": [5, 10, 20], "slow": [30, 50, 100]}, panel, CASH,
                       metric=metric)
    values = [metric_value(row["summary"], metric) for row in result.rows]
    defined = [v for v in values if v is not None]
    assert defined == sorted(defined, reverse=True)
    assert values[: len(defined)] == defined  # undefined figures rank last
    assert [row["rank"] for row in result.rows] == list(range(1, len(values) + 1))
    assert result.best is result.rows[0]
    if metric == "max_drawdown":  # higher is better: the shallowest drawdown wins
        assert defined[0] == max(defined) and defined[0] <= 0
    if metric == "final_equity":
        assert result.best["summary"]["final_equity"] == max(
            (row["summary"]["final_equity"] for row in result.rows), key=Decimal)


def test_best_params_are_typed_for_a_new_run(panel):
    result = run_sweep(SMA, {"fast": [5, 10], "slow": [30], "fraction": "0.5,1"}, panel, CASH)
    best = result.best_params
    assert isinstance(best["fraction"], Decimal) and isinstance(best["fast"], int)
    assert engine_summary(SMA, best, panel) == result.best["summary"]


# --- the vectorised screen ---------------------------------------------------------------------

def test_a_screened_sweep_reports_engine_figures_for_every_run_it_ranks(panel):
    space = {"fast": list(range(3, 40, 3)), "slow": list(range(20, 130, 5))}  # 13 × 22
    full = run_sweep(SMA, space, panel, CASH, screen=False)
    screened = run_sweep(SMA, space, panel, CASH, screen=True, confirm=20)
    assert screened.screened and not full.screened
    exact = [row for row in screened.rows if row["exact"]]
    assert len(exact) == 20 and all(row["exact"] for row in screened.rows[:20])
    for row in exact[:5] + exact[-2:]:
        assert row["summary"] == engine_summary(SMA, row["params"], panel)
    # the screen found the engine's best: same winner, same figures, as running everything
    assert screened.best["params"] == full.best["params"]
    assert screened.best["summary"] == full.best["summary"]
    estimates = [row for row in screened.rows if not row["exact"]]
    assert all(row["summary"]["screen"] for row in estimates)


def test_the_screen_finds_the_engines_best_long_short_on_two_symbols():
    panel = walk_panel(750, seed=7, symbols=("AAA", "BBB"))
    broker = BrokerConfig(cash=Decimal("10000"), rules=TradingRules(
        commission=CommissionModel.percent(Decimal("0.1")), slippage_bps=Decimal("5"),
        account_type=AccountType.MARGIN, allow_short=True))
    space = {"fast": list(range(3, 40, 6)), "slow": list(range(20, 130, 15)),
             "long_short": [True]}
    full = run_sweep(SMA, space, panel, broker, screen=False)
    screened = run_sweep(SMA, space, panel, broker, screen=True, confirm=10)
    assert screened.best == full.best  # same parameters, same engine figures


def test_the_screen_estimates_track_the_engine_with_costs(panel):
    from invsim.backtest.sweep_screen import screen_sma_cross

    broker = BrokerConfig(cash=Decimal("10000"), rules=TradingRules(
        commission=CommissionModel.percent(Decimal("0.2")), slippage_bps=Decimal("10")))
    combos = [{"fast": f, "slow": s, "long_short": False, "fraction": Decimal(1)}
              for f, s in [(5, 20), (10, 50), (20, 100), (3, 30), (15, 40)]]
    estimates = screen_sma_cross(panel, broker, combos, "sharpe")
    for combo, estimate in zip(combos, estimates, strict=True):
        exact = engine_summary(SMA, combo, panel, broker)
        assert estimate["trades"] == exact["trades"] + exact["open_trades"]
        assert estimate["total_return"] == pytest.approx(exact["total_return"], abs=0.02)
        assert estimate["sharpe"] == pytest.approx(exact["sharpe"], abs=0.02)


def test_above_the_screen_threshold_a_screened_strategy_is_screened(panel):
    small = run_sweep(SMA, {"fast": [5, 10], "slow": [30, 60]}, panel, CASH)
    assert not small.screened  # few combinations: every one is an engine run
    no_screen = run_sweep(RSI, {"period": [14]}, panel, CASH, screen=True)
    assert not no_screen.screened  # RSI has no screen: the engine runs everything


# --- heatmap and output ------------------------------------------------------------------------

def test_the_heatmap_holds_the_other_parameters_at_the_best(panel):
    space = {"fast": [5, 10, 40], "slow": [20, 50], "fraction": ["0.5", "1"]}
    result = run_sweep(SMA, space, panel, CASH, metric="total_return")
    heat = result.heatmap("fast", "slow")
    assert heat["x"] == [5, 10, 40] and heat["y"] == [20, 50]
    assert heat["fixed"] == {"fraction": result.best["params"]["fraction"]}
    for j, slow in enumerate(heat["y"]):
        for i, fast in enumerate(heat["x"]):
            found = [r for r in result.rows if r["params"] == {
                "fast": fast, "slow": slow, "fraction": heat["fixed"]["fraction"]}]
            if fast >= slow:
                assert found == [] and heat["values"][j][i] is None
            else:
                assert heat["values"][j][i] == found[0]["summary"]["total_return"]
    with pytest.raises(SweepError, match="not a swept parameter"):
        result.heatmap("fast", "long_short")
    with pytest.raises(SweepError, match="two different"):
        result.heatmap("fast", "fast")


def test_as_dict_is_json_ready_and_counts_everything(panel):
    result = run_sweep(SMA, parse_space({"fast": "5:15:5", "slow": "10:30:10"}), panel, CASH)
    data = json.loads(json.dumps(result.as_dict()))
    assert data["combinations"] == 9 and data["skipped"] == 2 and data["evaluated"] == 7
    assert data["skipped_reasons"] == {"fast must be smaller than slow": 2}
    assert data["best"] == json.loads(json.dumps(result.best))
    assert data["heatmap"]["x"] == [5, 10, 15] and data["heatmap"]["y"] == [10, 20, 30]
    assert data["exact_runs"] == 7 and data["screened"] is False
