"""Helpers of the engine's hand-computed tests: bars written as numbers, scripted strategies.

A scripted strategy runs a plan `{step: action}`: each action receives the
strategy on that step's close, so a test states exactly which orders are
decided on which bar. Bars are daily, one calendar day apart, at 14:30 UTC.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from invsim.backtest.bars import OHLCV, BarSeries, BarsError, Panel, align
from invsim.backtest.broker import BrokerConfig
from invsim.backtest.engine import RunSpec, run
from invsim.backtest.result import Result
from invsim.backtest.strategy import Strategy
from invsim.trading.engine.rules import TradingRules

D = Decimal
DAY0 = datetime(2024, 1, 1, 14, 30, tzinfo=UTC)
BIG_VOLUME = 1_000_000

Row = tuple[Any, ...]  # (open, high, low, close) or (open, high, low, close, volume)
Action = Callable[[Strategy], Any]


def series(symbol: str, rows: Sequence[Row], start: datetime = DAY0) -> BarSeries:
    """Build a daily series from rows of numbers (volume defaults to a million)."""
    bars = []
    for i, row in enumerate(rows):
        o, h, low, c = (D(str(v)) for v in row[:4])
        volume = D(str(row[4])) if len(row) > 4 else D(BIG_VOLUME)
        bars.append(OHLCV(start + timedelta(days=i), o, h, low, c, volume))
    return BarSeries(symbol, tuple(bars))


def panel(rows: Sequence[Row] | None = None, **by_symbol: Sequence[Row]) -> Panel:
    """Build a panel: `panel(rows)` for symbol AAA, or `panel(AAA=rows, BBB=rows)`."""
    if rows is not None:
        by_symbol = {"AAA": rows, **by_symbol}
    return align([series(symbol, symbol_rows) for symbol, symbol_rows in by_symbol.items()])


def scripted(plan: Mapping[int, Action | Sequence[Action]]) -> type[Strategy]:
    """Return a strategy class that runs `plan[step]` on that step's close."""

    class Scripted(Strategy):
        name = "scripted"
        placed: list[Any]

        def init(self) -> None:
            self.placed = []

        def next(self) -> None:
            actions = plan.get(self.step, ())
            for action in actions if isinstance(actions, Sequence) else (actions,):
                self.placed.append(action(self))

    return Scripted


def backtest(bars: Panel, plan: Mapping[int, Action | Sequence[Action]],
             cash: Decimal | int = 10_000, **rules: Any) -> Result:
    """Run a scripted plan over `bars` with these trading rules."""
    config = BrokerConfig(D(cash), TradingRules(**rules))
    return run(RunSpec(scripted(plan), {}, config), bars)


def fills(result: Result) -> list[tuple[int, str, Decimal, Decimal, tuple[str, ...]]]:
    """Return (step, side, qty, price, rules) of every fill."""
    return [(f.step, str(f.side), f.qty, f.price, f.rules) for f in result.fills]


def test_rows_become_checked_bars_one_day_apart() -> None:
    built = series("AAA", [(10, 11, 9, 10.5), (10.5, 12, 10, 11, 500)])
    assert [b.at for b in built.bars] == [DAY0, DAY0 + timedelta(days=1)]
    assert built.bars[1].volume == D(500) and built.bars[0].close == D("10.5")
    with pytest.raises(BarsError):
        series("AAA", [(10, 9, 11, 10)])  # high below low
