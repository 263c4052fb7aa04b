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

import numpy as np

from invsim.backtest.bars import OHLCV, Panel
from invsim.backtest.broker import Broker, BrokerConfig
from invsim.backtest.params import resolve
from invsim.backtest.result import Result, build_result
from invsim.backtest.strategy import Strategy
from invsim.core.money import ZERO
from invsim.trading.engine.rules import AccountType

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
    """Walk the calendar; return the equity at each step's close and the steps with a position.

    Only the symbols the account holds or has orders in are handed to the broker at
    each step (their opens value the account when an order is sized, their closes
    mark it). A quiet stretch — no working order, no decision, nothing that can
    accrue interest or call margin — is valued in one pass: there the equity is the
    cash plus each position at its close, and nothing else can happen.
    """
    clock = strategy._clock  # the engine moves the clock the strategy's Lines read
    decides = _decision_steps(strategy, len(panel.times))
    upcoming = _next_decisions(decides)
    rows = _bars_by_symbol(panel)
    broker.quote = lambda symbol: _last_close(rows[symbol], clock.step)
    times = panel.times
    margin_account = broker.rules.account_type is AccountType.MARGIN  # only they are called
    equity: list[Decimal] = []
    in_market = 0
    step, steps = 0, len(times)
    while step < steps:
        if not broker.working and not decides[step] and _quiet(broker, margin_account):
            end = upcoming[step]
            equity.extend(broker.mark_stretch(rows, step, end))
            in_market += (end - step) if broker.positions else 0
            step = end
            continue
        at = times[step]
        clock.step = step  # placements read the close of this step (see Broker.quote)
        if broker.working:
            live = _live_symbols(broker)
            bars = {s: bar for s in live if (bar := rows[s][step]) is not None}
            if bars:
                broker.trade_bar(step, bars, _session_end(times, step))
        if step and broker.cash < ZERO:
            broker.accrue_interest((at.date() - times[step - 1].date()).days)
        if broker.working:
            closes = {s: bar.close for s in _live_symbols(broker)
                      if (bar := rows[s][step]) is not None}
            equity.append(broker.mark_close(closes))
        elif broker.positions:
            equity.append(broker.mark_held(rows, step))
        else:  # flat and nothing working: the equity is the cash
            equity.append(broker.cash)
        if broker.positions:
            in_market += 1
            if margin_account:
                broker.margin_call(at, step)
        if decides[step]:
            clock.at = at
            strategy.next()
        step += 1
    return equity, in_market


def _quiet(broker: Broker, margin_account: bool) -> bool:
    """Say whether closes alone move the account: no borrowed cash (interest), and in a
    margin account no short (with cash ≥ 0 and longs only no margin call is possible)."""
    if broker.cash < ZERO:
        return False
    return not margin_account or all(qty > ZERO for qty in broker.positions.values())


def _next_decisions(decides: list[bool]) -> list[int]:
    """Return, per step, the first step at or after it where the strategy decides."""
    marked = np.flatnonzero(decides)
    # the first marked step at or after each step (len(decides) past the last one)
    following = np.append(marked, len(decides))
    upcoming: list[int] = following[np.searchsorted(marked, np.arange(len(decides)))].tolist()
    return upcoming


def _live_symbols(broker: Broker) -> set[str]:
    """Return the symbols held or with a working order."""
    symbols = set(broker.positions)
    symbols.update(order.symbol for order in broker.working)
    return symbols


def _last_close(row: list[OHLCV | None], step: int) -> Decimal | None:
    """Return a symbol's close at `step`, or its last one before (None before its first)."""
    for position in range(step, -1, -1):
        bar = row[position]
        if bar is not None:
            return bar.close
    return None


def _decision_steps(strategy: Strategy, steps: int) -> list[bool]:
    """Return, per step, whether to call the strategy's `next`."""
    marked = strategy.decision_steps()
    if marked is None:
        return [True] * steps
    if len(marked) != steps:
        raise ValueError("decision_steps must mark every calendar step")
    decides: list[bool] = np.asarray(marked).astype(bool).tolist()  # each value's truth
    return decides


def _bars_by_symbol(panel: Panel) -> dict[str, list[OHLCV | None]]:
    """Return, per symbol, its bar at every calendar step (None where it has none)."""
    found: dict[str, list[OHLCV | None]] = {}
    for symbol, series in panel.series.items():
        bars = series.bars
        # a None after the bars: position -1 (no bar) picks it
        padded = (*bars, None)
        found[symbol] = list(map(padded.__getitem__, panel.index[symbol].tolist()))
    return found


def _session_end(times: tuple[datetime, ...], step: int) -> datetime:
    """Return when bar `step` ends: the next bar's start."""
    # the last bar lasts as long as the one before it
    if step + 1 < len(times):
        return times[step + 1]
    return times[step] + (times[step] - times[step - 1] if step else ONE_DAY)
