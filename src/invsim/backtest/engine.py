"""The backtest loop: for each calendar step, trade the bar, value the account, ask the strategy.

Step t: (1) orders placed before t meet bar t (open, intrabar path, close);
(2) interest accrues and the account is valued at t's closes; (3) a margin
call queues its close-out for t+1; (4) the strategy decides on t's close.
Nothing here reads a clock, a database or the network: same inputs, same result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from invsim.backtest.bars import OHLCV, Panel
from invsim.backtest.broker import Broker, BrokerConfig
from invsim.backtest.params import resolve
from invsim.backtest.result import Result, build_result
from invsim.backtest.strategy import Strategy

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class RunSpec:
    """Everything a run depends on besides the bars (part of a saved run's provenance)."""

    strategy: type[Strategy]
    params: Mapping[str, Any]
    broker: BrokerConfig
    benchmark: str | None = None  # a symbol of the panel; None: the first symbol


def run(spec: RunSpec, panel: Panel) -> Result:
    """Run one backtest and return its result."""
    params = resolve(spec.strategy.params, spec.params)
    spec.strategy.check(params, panel.symbols)
    broker = Broker(spec.broker)
    strategy = spec.strategy(panel, broker, params)
    strategy.init()
    equity, in_market = _loop(panel, broker, strategy)
    return build_result(panel, broker, equity, in_market,
                        spec.benchmark or panel.symbols[0], params)


def _loop(panel: Panel, broker: Broker, strategy: Strategy) -> tuple[list[Decimal], int]:
    """Walk the calendar; return the equity at each step's close and the steps with a position."""
    clock = strategy._clock  # the engine moves the clock the strategy's Lines read
    decides = _decision_steps(strategy, len(panel.times))
    bars_by_step = _bars_by_step(panel)
    closes_by_step = [{s: bar.close for s, bar in bars.items()} for bars in bars_by_step]
    times = panel.times
    equity: list[Decimal] = []
    in_market = 0
    for step, at in enumerate(times):
        bars = bars_by_step[step]
        if broker.working:
            broker.trade_bar(step, bars, _session_end(times, step))
        if step:
            broker.accrue_interest((at.date() - times[step - 1].date()).days)
        equity.append(broker.mark_close(closes_by_step[step]))
        if any(broker.positions.values()):
            in_market += 1
        broker.margin_call(at, step)
        if decides[step]:
            clock.step, clock.at = step, at
            strategy.next()
    return equity, in_market


def _decision_steps(strategy: Strategy, steps: int) -> list[bool]:
    """Return, per step, whether to call the strategy's `next`."""
    marked = strategy.decision_steps()
    if marked is None:
        return [True] * steps
    if len(marked) != steps:
        raise ValueError("decision_steps must mark every calendar step")
    return [bool(v) for v in marked]


def _bars_by_step(panel: Panel) -> list[dict[str, OHLCV]]:
    """Return, for every calendar step, the bars of the symbols that traded then."""
    found: list[dict[str, OHLCV]] = [{} for _ in panel.times]
    for symbol, series in panel.series.items():
        for step, position in enumerate(panel.index[symbol].tolist()):
            if position >= 0:
                found[step][symbol] = series.bars[position]
    return found


def _session_end(times: tuple[datetime, ...], step: int) -> datetime:
    """Return when bar `step` ends: the next bar's start."""
    # the last bar lasts as long as the one before it
    if step + 1 < len(times):
        return times[step + 1]
    return times[step] + (times[step] - times[step - 1] if step else ONE_DAY)
