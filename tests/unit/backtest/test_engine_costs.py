"""Hand-computed costs: the three commission models, slippage, and the volume cap over bars."""

from __future__ import annotations

from invsim.trading.engine.costs import CommissionModel
from tests.unit.backtest.test_engine_helpers import D, backtest, fills, panel

FLAT = (100, 101, 99, 100)
OPEN_102 = (102, 104, 101, 103)


def test_a_per_trade_commission_is_charged_once_per_order() -> None:
    result = backtest(panel([FLAT, OPEN_102, (103, 104, 102, 103.5)]),
                      {0: lambda s: s.buy(qty=10), 1: lambda s: s.sell(qty=10)},
                      commission=CommissionModel.per_trade(D(1)))
    # buy 10 × 102 = 1 020 + 1 fee: cash 8 979; sell 10 × 103 = 1 030 − 1: cash 10 008
    assert [f.commission for f in result.fills] == [D("1.00"), D("1.00")]
    assert result.final_equity == D("10008.00")
    assert result.commission == D("2.00")
    trade = result.trades[0]
    # P&L 1 030 − 1 020 − 2 = 8
    assert (trade.pnl, trade.commission) == (D(8), D(2))


def test_a_per_share_commission_has_a_minimum() -> None:
    model = CommissionModel.per_share(D("0.01"), minimum=D(1))
    small = backtest(panel([FLAT, OPEN_102]), {0: lambda s: s.buy(qty=10)}, commission=model)
    # 10 × 0.01 = 0.10, below the minimum: 1.00
    assert small.fills[0].commission == D("1.00")
    large = backtest(panel([FLAT, OPEN_102]), {0: lambda s: s.buy(qty=500)}, cash=100_000,
                     commission=model)
    # 500 × 0.01 = 5.00; cash 100 000 − 51 000 − 5 = 48 995
    assert large.fills[0].commission == D("5.00")
    assert large.final_equity == D(48_995) + D(500) * D(103)


def test_a_percent_commission_is_a_share_of_the_traded_value_with_a_minimum() -> None:
    model = CommissionModel.percent(D("0.1"), minimum=D(1))  # 0.1 % of the value
    big = backtest(panel([FLAT, OPEN_102]), {0: lambda s: s.buy(qty=10)}, commission=model)
    # 0.1 % of 1 020 = 1.02
    assert big.fills[0].commission == D("1.02")
    small = backtest(panel([FLAT, OPEN_102]), {0: lambda s: s.buy(qty=5)}, commission=model)
    # 0.1 % of 510 = 0.51, below the minimum: 1.00
    assert small.fills[0].commission == D("1.00")


def test_slippage_moves_each_fill_against_the_trader() -> None:
    result = backtest(panel([FLAT, OPEN_102, (103, 104, 102, 103.5)]),
                      {0: lambda s: s.buy(qty=10), 1: lambda s: s.sell(qty=10)},
                      slippage_bps=D(10))
    # buy at 102 × 1.001 = 102.102; sell at 103 × 0.999 = 102.897
    assert [(f.side, f.price) for f in result.fills] == [("buy", D("102.102")),
                                                        ("sell", D("102.897"))]
    # 10 000 − 1 021.02 + 1 028.97 = 10 007.95
    assert result.final_equity == D("10007.95")


def test_slippage_never_pushes_a_limit_past_its_limit() -> None:
    # the limit 99 is crossed inside bar 1; 99 × 1.001 would be 99.099, the limit caps it
    result = backtest(panel([FLAT, (100, 101, 98, 100)]),
                      {0: lambda s: s.buy(qty=10, type="limit", limit_price=99)},
                      slippage_bps=D(10))
    assert fills(result) == [(1, "buy", D(10), D(99), ("limit_at_ask",))]


def test_the_volume_cap_splits_an_order_over_bars_and_the_fee_is_paid_once() -> None:
    # each bar trades 50 shares; 10 % = 5 may be ours. 12 shares: 5 at bar 1's open 100,
    # 5 at bar 2's open 101, the last 2 at bar 3's open 102.
    bars = panel([(100, 101, 99, 100, 50), (100, 101, 99, 100, 50), (101, 102, 100, 101, 50),
                  (102, 103, 101, 102, 50), (102, 103, 101, 102, 50)])
    result = backtest(bars, {0: lambda s: s.buy(qty=12)},
                      commission=CommissionModel.per_trade(D(1)))
    capped = ("market_at_ask", "volume_cap_partial")
    assert fills(result) == [(1, "buy", D(5), D(100), capped), (2, "buy", D(5), D(101), capped),
                             (3, "buy", D(2), D(102), ("market_at_ask",))]
    assert [f.commission for f in result.fills] == [D(1), D(0), D(0)]
    # one trade: average entry (500 + 505 + 204) / 12 = 100.75 (rounded to the tick)
    trade = result.trades[0]
    assert (trade.qty, trade.entry_price, trade.open) == (D(12), D("100.75"), True)
    # cash 10 000 − 1 209 − 1 = 8 790; equity at the last close 8 790 + 12 × 102 = 10 014
    assert result.final_equity == D(10_014)


def test_a_percent_minimum_is_paid_once_over_partial_fills() -> None:
    # 0.1 % of 500 = 0.50 → the minimum 1.00 on the first fill; the cumulative fee after
    # the second, 0.1 % of 1 005 = 1.005 → 1.00 (half-even), still 1.00: nothing more
    bars = panel([(100, 101, 99, 100, 50), (100, 101, 99, 100, 50), (101, 102, 100, 101, 50)])
    result = backtest(bars, {0: lambda s: s.buy(qty=10)},
                      commission=CommissionModel.percent(D("0.1"), minimum=D(1)))
    assert [f.commission for f in result.fills] == [D("1.00"), D("0.00")]


def test_without_a_cap_the_whole_order_fills_at_once() -> None:
    bars = panel([(100, 101, 99, 100, 50), (100, 101, 99, 100, 50)])
    result = backtest(bars, {0: lambda s: s.buy(qty=12)}, max_volume_share=None)
    assert fills(result) == [(1, "buy", D(12), D(100), ("market_at_ask",))]
