"""`invsim backtest sweep`: JSON equal to the library's sweep, tables, one-line errors."""

from __future__ import annotations

import json
from decimal import Decimal

import click
import pytest
from click.testing import CliRunner

from invsim.backtest.broker import BrokerConfig
from invsim.backtest.cli_sweep import add_sweep_command
from invsim.backtest.strategies import BUILTINS
from invsim.backtest.sweep import run_sweep
from invsim.backtest.walkforward import walk_forward
from tests.unit.backtest.sweep_bars import walk_panel

SMA = BUILTINS["sma_cross"]
COMPARED = ("final_equity", "total_return", "sharpe", "max_drawdown", "trades", "fills")


@pytest.fixture(scope="module")
def panel():
    """Two years of one symbol."""
    return walk_panel(500, seed=21, symbols=("AAPL",))


@pytest.fixture()
def csv_file(tmp_path, panel):
    """The panel's bars written as pandas writes a CSV."""
    path = tmp_path / "aapl.csv"
    lines = ["Date,Open,High,Low,Close,Volume"] + [
        f"{b.at.date().isoformat()},{b.open},{b.high},{b.low},{b.close},{b.volume}"
        for b in panel.series["AAPL"].bars]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


@pytest.fixture()
def invoke():
    """Run the sweep command of a fresh `backtest` group."""
    group = click.Group("backtest")
    add_sweep_command(group)

    def call(*args: str) -> click.testing.Result:
        return CliRunner().invoke(group, ["sweep", *args], obj=None, catch_exceptions=False)

    return call


def figures(summary):
    """Return the figures that do not depend on the bars' time of day."""
    return {k: summary[k] for k in COMPARED}


def test_json_is_the_library_sweep(invoke, csv_file, panel):
    done = invoke("--strategy", "sma_cross", "--range", "fast=5:15:5", "--range",
                  "slow=10:40:10", "--param", "fraction=0.5", "--bars", csv_file,
                  "--commission", "0.001", "--workers", "1", "--json")
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)["sweep"]
    from invsim.trading.engine.costs import CommissionModel
    from invsim.trading.engine.rules import TradingRules

    broker = BrokerConfig(cash=Decimal(10000), rules=TradingRules(
        commission=CommissionModel.percent(Decimal("0.1"))))
    expected = run_sweep(SMA, {"fast": [5, 10, 15], "slow": [10, 20, 30, 40],
                               "fraction": ["0.5"]}, panel, broker).as_dict()
    assert data["combinations"] == 12 and data["skipped"] == 2 and data["evaluated"] == 10
    assert [r["params"] for r in data["rows"]] == [r["params"] for r in expected["rows"]]
    assert [figures(r["summary"]) for r in data["rows"]] == [
        figures(r["summary"]) for r in expected["rows"]]
    assert data["heatmap"]["x"] == [5, 10, 15]


def test_a_random_search_on_two_processes(invoke, csv_file):
    done = invoke("--strategy", "sma_cross", "--range", "fast=2:30", "--range", "slow=20:90:5",
                  "--random", "6", "--seed", "3", "--bars", csv_file, "--json")
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)["sweep"]
    assert data["mode"] == "random" and data["combinations"] == 6
    assert data["grid_size"] == 29 * 15
    again = json.loads(invoke("--strategy", "sma_cross", "--range", "fast=2:30", "--range",
                              "slow=20:90:5", "--random", "6", "--seed", "3", "--bars",
                              csv_file, "--workers", "1", "--json").output)["sweep"]
    assert again["rows"] == data["rows"]  # the same draw, the same figures, in one process


def test_a_walk_forward_prints_the_table_and_json(invoke, csv_file, panel):
    args = ("--strategy", "sma_cross", "--range", "fast=5,10", "--range", "slow=20,40",
            "--walk-forward", "train=200,test=100", "--bars", csv_file, "--workers", "1")
    data = json.loads(invoke(*args, "--json").output)["walk_forward"]
    expected = walk_forward(SMA, {"fast": [5, 10], "slow": [20, 40]}, panel,
                            BrokerConfig(cash=Decimal(10000)), train_bars=200, test_bars=100)
    assert len(data["windows"]) == len(expected.windows) == 3
    assert [w["best_params"] for w in data["windows"]] == [
        w["best_params"] for w in expected.windows]
    assert data["warning"] == expected.warning
    table = invoke(*args).output
    assert "in sample" in table and "out of sample" in table and "stitched" in table


def test_the_table_shows_the_best_rows_and_the_heatmap(invoke, csv_file):
    done = invoke("--strategy", "sma_cross", "--range", "fast=5,10", "--range", "slow=10,30",
                  "--bars", csv_file, "--workers", "1", "--top", "2")
    assert done.exit_code == 0
    assert "3 of 4 combinations run" in done.output and "skipped 1: fast must be smaller" \
        in done.output
    assert "sharpe by fast (columns) and slow (rows)" in done.output


@pytest.mark.parametrize(("args", "message"), [
    (("--strategy", "sma_cross"), "give at least one --range"),
    (("--strategy", "sma_cross", "--range", "fast"), "write NAME=SPEC"),
    (("--strategy", "sma_cross", "--range", "fast=5:1"), "ends before it starts"),
    (("--strategy", "sma_cross", "--range", "fast=1:5", "--range", "fast=2:3"), "given twice"),
    (("--strategy", "sma_cross", "--range", "fast=1:60", "--range", "slow=2:100"),
     "limit of 2000"),
    (("--strategy", "sma_cross", "--range", "speed=1:5"), "unknown parameter speed"),
    (("--strategy", "sma_cross", "--range", "fast=1:5", "--param", "fast=3"),
     "both a --param and a --range"),
    (("--strategy", "sma_cross", "--range", "fast=1:5", "--walk-forward", "train=10"),
     "needs both"),
    (("--strategy", "sma_cross", "--range", "fast=1:5", "--walk-forward", "10,20"),
     "write train=N,test=M"),
    (("--strategy", "sma_cross", "--range", "fast=1:5", "--walk-forward",
      "train=400,test=200"), "needs at least 600 bars; the data has 500"),
    (("--strategy", "sma_cross", "--range", "fast=1:5", "--metric", "profit"), "profit"),
    (("--strategy", "sma_cross", "--range", "fast=30:40", "--range", "slow=10:20"),
     "no valid combination"),
])
def test_bad_input_is_one_line_and_exit_2(invoke, csv_file, args, message):
    done = CliRunner().invoke(_group(), ["sweep", *args, "--bars", csv_file,
                                                         "--workers", "1"])
    assert done.exit_code == 2, done.output
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert done.stdout == ""


def _group() -> click.Group:
    """Return a fresh group with the sweep command."""
    group = click.Group("backtest")
    add_sweep_command(group)
    return group
