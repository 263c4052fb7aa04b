"""The worked example of docs/backtesting.md, figure for figure, and its own-strategy example.

SMA crossover fast=2 slow=3 on eight daily bars, 1 000 cash, whole shares,
0.1 % commission (minimum 0), no volume cap.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from invsim.backtest.bars import OHLCV, BarSeries, align
from invsim.backtest.broker import BrokerConfig
from invsim.backtest.engine import RunSpec, run
from invsim.backtest.result import Result
from invsim.backtest.strategies import BUILTINS
from invsim.market.providers.simulated import SimulatedProvider
from invsim.trading.engine.costs import CommissionModel
from invsim.trading.engine.rules import TradingRules
from tests.unit.backtest.test_engine_helpers import D, panel

BARS = [(10, 10.2, 9.9, 10), (10, 10.1, 8.9, 9), (9, 9.1, 7.9, 8), (8, 9.2, 7.9, 9),
        (9, 11.2, 9, 11), (11.5, 12.3, 11.4, 12), (12, 12.1, 9.4, 9.5), (9.2, 9.3, 7.9, 8)]


def example():
    """Run the documented example."""
    rules = TradingRules(commission=CommissionModel.percent(D("0.1")), fractional=False,
                         max_volume_share=None)
    spec = RunSpec(BUILTINS["sma_cross"], {"fast": 2, "slow": 3}, BrokerConfig(D(1000), rules))
    return run(spec, panel(BARS))


def test_the_worked_example_reproduces_the_documented_figures() -> None:
    result = example()
    # SMA2 at bars 3, 4: 8.5, 10; SMA3: 8.667, 9.333 → crossed above on bar 4's close
    # SMA2 at bars 5, 6: 11.5, 10.75; SMA3: 10.667, 10.833 → crossed below on bar 6's close
    buy, sell = result.fills
    # bar 5 opens 11.5: 1 000 / 11.5 = 86.9 → 86 shares, 989.00, fee 0.989 → 0.99
    assert (buy.step, buy.qty, buy.price, buy.gross, buy.commission) == (
        5, D(86), D("11.5"), D("989.00"), D("0.99"))
    # bar 7 opens 9.2: 86 × 9.2 = 791.20, fee 0.7912 → 0.79
    assert (sell.step, sell.qty, sell.price, sell.gross, sell.commission) == (
        7, D(86), D("9.2"), D("791.20"), D("0.79"))
    # cash after the buy 1 000 − 989 − 0.99 = 10.01; equity 10.01 + 86 × close
    assert result.equity == (D(1000),) * 5 + (D("1042.01"), D("827.01"), D("800.42"))
    (trade,) = result.trades
    # 791.20 − 989.00 − 0.99 − 0.79 = −199.58
    assert (trade.pnl, trade.commission, trade.bars_held) == (D("-199.58"), D("1.78"), 2)
    summary = result.summary()
    assert summary["final_equity"] == "800.42" and summary["trades"] == 1
    assert summary["total_return"] == pytest.approx(-0.19958)
    assert summary["max_drawdown"] == pytest.approx(800.42 / 1042.01 - 1, abs=1e-6)
    # buy and hold of the benchmark from the first close: 1 000 × 8 / 10 = 800
    assert result.benchmark_equity[-1] == pytest.approx(800.0)


def _doc_blocks() -> list[str]:
    """Return the Python code blocks of docs/backtesting.md."""
    text = (Path(__file__).resolve().parents[3] / "docs" / "backtesting.md").read_text()
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def test_the_documented_own_strategy_runs_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    strategy_code, run_code = _doc_blocks()
    namespace: dict[str, object] = {}
    exec(compile(strategy_code, "docs/backtesting.md", "exec"), namespace)  # noqa: S102
    provider = SimulatedProvider(seed=3, calendar="nyse")
    raw = provider.daily_bars(["AAPL"], datetime(2019, 1, 1, tzinfo=UTC),
                              datetime(2021, 1, 1, tzinfo=UTC))["AAPL"]
    namespace["panel"] = align([BarSeries("AAPL", tuple(
        OHLCV(b.start, b.open, b.high, b.low, b.close, D(b.volume)) for b in raw))])
    exec(compile(run_code, "docs/backtesting.md", "exec"), namespace)  # noqa: S102
    result = namespace["result"]
    assert isinstance(result, Result)
    closed = [t for t in result.trades if not t.open]
    assert closed, "the example should trade on two years of bars"
    exits = [f for f in result.fills if f.tag == "exit"]
    assert exits and all(f.rules[0] == "trailing_stop_triggered" for f in exits)
    assert all(f.qty == f.qty.to_integral_value() for f in result.fills)  # whole shares
    assert result.summary()["final_equity"] in capsys.readouterr().out
