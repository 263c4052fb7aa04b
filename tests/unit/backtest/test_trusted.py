"""The unchecked builders of engine values equal what the checked constructors build."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from invsim.backtest.bars import OHLCV
from invsim.backtest.engine import _next_decisions
from invsim.backtest.trusted import engine_bar, progressed, quote_at
from invsim.trading.engine.snapshot import Bar, MarketSnapshot
from invsim.trading.engine.spec import OrderSpec
from invsim.trading.engine.state import OrderType, Side, TimeInForce

D = Decimal
AT = datetime(2024, 1, 2, 14, 30, tzinfo=UTC)


def test_engine_bar_equals_the_checked_bar() -> None:
    bar = OHLCV(AT, D("10.5"), D("11"), D("10"), D("10.75"), D(1234))
    built = engine_bar(bar)
    assert built == Bar(AT, D("10.5"), D("11"), D("10"), D("10.75"), D(1234))
    assert type(built) is Bar


def test_progressed_equals_replace_and_leaves_the_spec_alone() -> None:
    spec = OrderSpec(side=Side.SELL, type=OrderType.TRAILING_STOP, time_in_force=TimeInForce.GTC,
                     created_at=AT, qty=D(10), trail_percent=D(5))
    changes = {"filled_qty": D(4), "filled_notional": D("401.20"),
               "filled_qty_this_bar": D(4), "water_mark": D("105"), "stop_price": D("99.75")}
    assert progressed(spec, **changes) == replace(spec, **changes)
    assert spec.filled_qty == 0 and spec.water_mark is None  # a new value, not a mutation
    assert progressed(spec) == spec


def test_next_decisions_points_at_the_first_decision_at_or_after_each_step() -> None:
    assert _next_decisions([False, True, False, False, True, False]) == [1, 1, 4, 4, 4, 6]
    assert _next_decisions([False, False]) == [2, 2]
    assert _next_decisions([True]) == [0]
    assert _next_decisions([]) == []


def test_quote_at_equals_the_checked_snapshot() -> None:
    bar = engine_bar(OHLCV(AT, D("10.5"), D("11"), D("10"), D("10.75"), D(1234)))
    assert quote_at(D("10.6"), AT, bar) == MarketSnapshot(
        bid=D("10.6"), ask=D("10.6"), last=D("10.6"), as_of=AT, bar=bar)
