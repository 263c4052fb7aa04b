"""Built-in strategies on constructed prices: they trade as documented, with no refused orders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from invsim.backtest.bars import OHLCV, BarSeries, align
from invsim.backtest.broker import BrokerConfig
from invsim.backtest.engine import RunSpec, run
from invsim.backtest.orders import Status
from invsim.backtest.strategies import BUILTINS
from invsim.trading.engine.rules import TradingRules

START = datetime(2024, 1, 1, 14, 30, tzinfo=UTC)


def trending(symbol: str, daily: list[float]) -> BarSeries:
    """A series that moves by the given daily factor per segment (flat bars at the close)."""
    price, bars = 100.0, []
    for step, factor in enumerate(daily):
        price *= factor
        close = Decimal(str(round(price, 2)))
        bars.append(OHLCV(START + timedelta(days=step), close, close, close, close, Decimal(10**6)))
    return BarSeries(symbol, tuple(bars))


def test_momentum_rotates_out_of_the_symbol_that_lost_the_lead() -> None:
    days = 120
    # AAA leads for two months, then falls; BBB does the opposite; CCC drifts
    aaa = [1.01] * 60 + [0.99] * (days - 60)
    bbb = [0.995] * 60 + [1.015] * (days - 60)
    ccc = [1.0] * days
    bars = align([trending("AAA", aaa), trending("BBB", bbb), trending("CCC", ccc)])
    spec = RunSpec(BUILTINS["momentum"], {"top_n": 1, "lookback": 20},
                   BrokerConfig(Decimal(10_000), TradingRules(max_volume_share=None)))
    result = run(spec, bars)
    assert not [o for o in result.orders if o.status is Status.REJECTED]
    sides = [(f.symbol, str(f.side)) for f in result.fills]
    assert ("AAA", "buy") in sides and ("AAA", "sell") in sides and ("BBB", "buy") in sides
    # the rotation sells all of AAA before buying BBB
    first_bbb = sides.index(("BBB", "buy"))
    assert sides[first_bbb - 1] == ("AAA", "sell")
    assert result.final_equity > Decimal(10_000)
