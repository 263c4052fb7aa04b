"""The live decision is the backtest's: same strategy classes, same orders on the same bar.

For every bar t of a few synthetic series, the backtest engine is run on bars 0..t
and its orders placed on bar t are compared with what `live_decide.decide` asks
for on bar t, given the backtest's own account at that close (cash, equity and
positions rebuilt from its fills). Equal requests on every bar prove the live path
reuses the strategy (state across bars included: rebalance periods, DCA counts).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from invsim.backtest.bars import OHLCV, BarSeries, Panel, align
from invsim.backtest.broker import BrokerConfig
from invsim.backtest.engine import RunSpec, run
from invsim.backtest.live_decide import LiveAccount, decide
from invsim.backtest.orders import OrderRequest
from invsim.backtest.strategies import BUILTINS
from invsim.core.money import ZERO
from invsim.trading.engine.rules import AccountType, TradingRules
from invsim.trading.engine.state import Side

D = Decimal
START = datetime(2024, 1, 1, 14, 30, tzinfo=UTC)
CASH = D(100_000)


def _series(symbol: str, bars: int, period: float, phase: float) -> BarSeries:
    """A wavy, drifting daily series (crosses and RSI extremes every few weeks)."""
    out: list[OHLCV] = []
    close = D(100)
    for step in range(bars):
        wave = math.sin(step / period + phase) * 0.02 + 0.0005
        open_ = close
        close = (open_ * D(str(round(1 + wave, 6)))).quantize(D("0.0001"))
        high, low = max(open_, close) * D("1.004"), min(open_, close) * D("0.996")
        out.append(OHLCV(START + timedelta(days=step), open_, high.quantize(D("0.0001")),
                         low.quantize(D("0.0001")), close, D(1_000_000)))
    return BarSeries(symbol, tuple(out))


def _prefix(panel: Panel, last: int) -> Panel:
    """Return the panel's bars 0..last."""
    return align([BarSeries(s, tuple(b for b in panel.series[s].bars
                                     if b.at <= panel.times[last])) for s in panel.symbols])


def _account(result: Any) -> LiveAccount:
    """Rebuild the backtest's account at its last close from its fills."""
    positions: dict[str, D] = {}
    cash = CASH
    for fill in result.fills:
        sign = 1 if fill.side is Side.BUY else -1
        positions[fill.symbol] = positions.get(fill.symbol, ZERO) + sign * fill.qty
        cash -= sign * fill.gross + fill.commission
    held = {s: q for s, q in positions.items() if q != ZERO}
    return LiveAccount(cash, result.final_equity, held)


def _terms(request: OrderRequest) -> tuple[Any, ...]:
    """The parts of a request that say what to trade (not the engine's bookkeeping)."""
    return (request.symbol, request.side, request.type, request.qty, request.notional,
            request.equity_fraction, request.target_weight, request.tag)


CASES = [
    ("sma_cross", {"fast": 5, "slow": 15}, ["AAA"], AccountType.CASH),
    ("sma_cross", {"fast": 5, "slow": 15, "long_short": True, "fraction": "0.5"}, ["AAA"],
     AccountType.MARGIN),
    ("rsi_reversion", {"period": 7, "lower": 35, "upper": 65, "fraction": "0.5"}, ["AAA", "BBB"],
     AccountType.CASH),
    ("rebalance", {"weights": "AAA:0.6,BBB:0.4", "period": "monthly"}, ["AAA", "BBB"],
     AccountType.CASH),
    ("momentum", {"top_n": 1, "lookback": 10}, ["AAA", "BBB", "CCC"], AccountType.CASH),
    ("dca", {"amount": 5000, "every": 7}, ["AAA"], AccountType.CASH),
    ("buy_and_hold", {"fraction": "0.8"}, ["AAA", "BBB"], AccountType.CASH),
]


@pytest.mark.parametrize(("name", "params", "symbols", "account_type"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_live_asks_on_each_bar_for_exactly_what_the_backtest_placed_on_it(
        name: str, params: dict[str, Any], symbols: list[str], account_type: AccountType) -> None:
    panel = align([_series(s, 90, 6 + 2 * i, i) for i, s in enumerate(symbols)])
    rules = TradingRules(account_type=account_type,
                         allow_short=account_type is AccountType.MARGIN)
    strategy = BUILTINS[name]
    acted = 0
    for last in range(len(panel.times)):
        prefix = _prefix(panel, last)
        result = run(RunSpec(strategy, params, BrokerConfig(CASH, rules)), prefix)
        placed = [_terms(o.request) for o in result.orders if o.placed_step == last]
        # The backtest sizes target orders at the next open and then sets their side;
        # compare what the strategy asked for.
        placed = [(t[0], Side.BUY if t[6] is not None else t[1], *t[2:]) for t in placed]
        decided = decide(strategy, params, prefix, 0, _account(result))
        asked = [_terms(d.request) for d in decided if d.request is not None]
        assert asked == placed, f"bar {last}"
        acted += bool(asked)
    assert acted >= 1  # the series make every strategy act at least once


def test_warm_up_bars_feed_the_indicators_but_the_live_run_starts_at_its_first_bar() -> None:
    panel = align([_series("AAA", 40, 5, 0)])
    hold = BUILTINS["buy_and_hold"]
    account = LiveAccount(CASH, CASH, {})
    # Attached on bar 30: buy-and-hold invests on that bar (its step 0) and never again.
    assert [d.request.tag for d in decide(hold, {}, _prefix(panel, 30), 30, account)
            if d.request] == ["entry"]
    assert decide(hold, {}, _prefix(panel, 31), 30, account) == []
    # A bar before the live run's first is never decided.
    assert decide(hold, {}, _prefix(panel, 29), 30, account) == []
