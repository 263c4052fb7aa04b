"""Hand-computed account rules: shorting, margin calls, interest, fraction and target sizing."""

from __future__ import annotations

from datetime import timedelta

from invsim.backtest.bars import OHLCV, BarSeries, align
from invsim.backtest.broker import BrokerConfig
from invsim.backtest.engine import RunSpec, run
from invsim.backtest.orders import Status
from invsim.trading.engine.rules import AccountType, TradingRules
from tests.unit.backtest.test_engine_helpers import (
    DAY0,
    D,
    backtest,
    fills,
    panel,
    scripted,
    series,
)

FLAT = (100, 101, 99, 100)
MARGIN = AccountType.MARGIN


def test_a_cash_account_refuses_a_short_sale() -> None:
    result = backtest(panel([FLAT, FLAT]), {0: lambda s: s.sell(qty=10)})
    assert (result.orders[0].status, result.orders[0].reason) == (
        Status.REJECTED, "short_selling_not_allowed")
    assert fills(result) == [] and result.final_equity == D(10_000)


def test_a_margin_account_shorts_only_when_shorting_is_allowed() -> None:
    refused = backtest(panel([FLAT, FLAT]), {0: lambda s: s.sell(qty=10)}, account_type=MARGIN)
    assert refused.orders[0].reason == "short_selling_not_allowed"
    bars = panel([FLAT, (102, 104, 101, 103), (103, 106, 102, 105)])
    result = backtest(bars, {0: lambda s: s.sell(qty=10)}, account_type=MARGIN, allow_short=True)
    # sold short 10 at 102: cash 11 020; equity = cash − 10 × close:
    # 11 020 − 1 030 = 9 990, then 11 020 − 1 050 = 9 970
    assert fills(result) == [(1, "sell", D(10), D(102), ("market_at_bid",))]
    assert result.equity == (D(10_000), D(9_990), D(9_970))
    short = result.trades[0]
    assert (short.direction, short.open, short.pnl) == ("short", True, D(-30))


def test_a_buy_beyond_the_cash_is_refused_in_a_cash_account() -> None:
    # 100 shares at the mark 100 reserve 100 × 100 × 1.05 (the market-buy buffer) = 10 500
    result = backtest(panel([FLAT, FLAT]), {0: lambda s: s.buy(qty=100)})
    assert result.orders[0].reason == "insufficient_buying_power"
    # a margin account may borrow: buying power 2 × 10 000
    margin = backtest(panel([FLAT, FLAT]), {0: lambda s: s.buy(qty=100)}, account_type=MARGIN)
    assert fills(margin) == [(1, "buy", D(100), D(100), ("market_at_ask",))]


def test_a_margin_call_at_a_close_liquidates_at_the_next_open() -> None:
    # short 100 at 100: cash 20 000. Close 150: equity 20 000 − 15 000 = 5 000, maintenance
    # 30 % × 15 000 = 4 500: fine. Close 160: equity 4 000 < 4 800: margin call; the short
    # is bought back at the next open, 150: cash 20 000 − 15 000 = 5 000.
    bars = panel([FLAT, (100, 100, 100, 100), (120, 150, 120, 150), (155, 165, 155, 160),
                  (150, 150, 140, 145)])
    result = backtest(bars, {0: lambda s: s.sell(qty=100)}, account_type=MARGIN,
                      allow_short=True)
    assert fills(result) == [(1, "sell", D(100), D(100), ("market_at_bid",)),
                             (4, "buy", D(100), D(150), ("market_at_ask",))]
    close_out = result.fills[1]
    assert (close_out.tag, close_out.liquidation) == ("margin_call", True)
    assert result.equity == (D(10_000), D(10_000), D(5_000), D(4_000), D(5_000))
    assert result.trades[0].pnl == D(-5_000)


def test_a_margin_call_cancels_the_symbols_working_orders() -> None:
    bars = panel([FLAT, (100, 100, 100, 100), (155, 165, 155, 160), (150, 150, 140, 145)])
    result = backtest(bars, {0: lambda s: s.sell(qty=100),
                             1: lambda s: s.buy(qty=100, type="limit", limit_price=50)},
                      account_type=MARGIN, allow_short=True)
    assert (result.orders[1].status, result.orders[1].reason) == (Status.CANCELED, "margin_call")
    assert fills(result)[-1][:4] == (3, "buy", D(100), D(150))


def test_margin_interest_accrues_daily_on_borrowed_cash() -> None:
    # 150 shares at 100 = 15 000 from 10 000 cash: cash −5 000. One calendar day at 8 %
    # a 360-day year: 5 000 × 0.08 / 360 = 1.11 (to the cent), charged at each later close
    bars = panel([FLAT, (100, 100, 100, 100), (100, 100, 100, 100), (100, 100, 100, 100)])
    config = BrokerConfig(D(10_000), TradingRules(account_type=MARGIN),
                          margin_interest_rate=D("0.08"))
    result = run(RunSpec(scripted({0: lambda s: s.buy(qty=150)}), {}, config), bars)
    # bar 1 (cash −5 000 after the fill): 1.11; bar 2 on −5 001.11: 1.11; bar 3: 1.11
    assert result.interest == D("3.33")
    assert result.equity[-1] == D("9996.67")


def test_a_fraction_of_equity_is_sized_at_the_open_on_the_equity_then() -> None:
    # bar 1 opens 102: equity 10 000 × 0.5 = 5 000 → 49 whole shares (4 998), cash 5 002
    bars = panel([FLAT, (102, 103, 101, 102), (110, 112, 109, 111), (120, 121, 119, 120)])
    plan = {0: lambda s: s.buy(fraction=0.5), 2: lambda s: s.buy(fraction=0.5)}
    margin = backtest(bars, plan, fractional=False, account_type=MARGIN)
    # bar 3 opens 120: equity = 5 002 + 49 × 120 = 10 882; half is 5 441 → 45 shares (5 400),
    # which a margin account may borrow for
    assert fills(margin) == [(1, "buy", D(49), D(102), ("market_at_ask",)),
                             (3, "buy", D(45), D(120), ("market_at_ask",))]
    # a cash account spends at most its cash: 5 441 is trimmed to 5 002 → 41 shares (4 920)
    cash = backtest(bars, plan, fractional=False)
    assert fills(cash)[1] == (3, "buy", D(41), D(120), ("market_at_ask",))
    assert cash.final_equity == D(5_002 - 4_920) + D(90 * 120)


def test_fractional_shares_spend_the_fraction_to_the_micro_share() -> None:
    bars = panel([FLAT, (102, 103, 101, 102)])
    result = backtest(bars, {0: lambda s: s.buy(fraction=0.5)})
    # 5 000 / 102 = 49.019607… → 49.019607 shares (rounded down), worth 4 999.999914 → 5 000.00
    assert fills(result)[0][2] == D("49.019607")
    assert result.fills[0].gross == D("5000.00")


def test_a_target_weight_trades_the_difference_at_the_open() -> None:
    # bar 1: 50 % of 10 000 at 100 → 50 shares, cash 5 000. Bar 3 opens 110: equity
    # 5 000 + 50 × 110 = 10 500; 25 % is 2 625, the position is worth 5 500: sell 2 875
    # of it, 26 whole shares (2 875 / 110 = 26.1). Then 0 % sells the remaining 24.
    bars = panel([FLAT, FLAT, (110, 111, 109, 110), (110, 111, 109, 110), (120, 121, 119, 120)])
    result = backtest(bars, {0: lambda s: s.order_target("AAA", 0.5),
                             2: lambda s: s.order_target("AAA", 0.25),
                             3: lambda s: s.order_target("AAA", 0)}, fractional=False)
    assert [(step, side, qty, p) for step, side, qty, p, _ in fills(result)] == [
        (1, "buy", D(50), D(100)), (3, "sell", D(26), D(110)), (4, "sell", D(24), D(120))]
    assert result.final_equity == D(5_000) + D(26 * 110) + D(24 * 120)


def test_a_target_already_met_trades_nothing() -> None:
    bars = panel([FLAT, FLAT, FLAT])
    result = backtest(bars, {0: lambda s: s.order_target("AAA", 0.5),
                             1: lambda s: s.order_target("AAA", 0.5)}, fractional=False)
    assert len(result.fills) == 1
    assert (result.orders[1].status, result.orders[1].reason) == (
        Status.CANCELED, "already_at_target")


def test_sells_trade_before_buys_at_the_open_so_a_rotation_is_funded() -> None:
    # all-in AAA at 100 (100 shares); then rotate: sell AAA, buy 100 % of BBB. At bar 2's
    # open AAA is sold first (10 000), so BBB's full-equity buy finds the cash: 200 at 50.
    flat_b = (50, 51, 49, 50)
    bars = panel(AAA=[FLAT, FLAT, FLAT], BBB=[flat_b, flat_b, flat_b])
    result = backtest(bars, {0: lambda s: s.buy("AAA", fraction=1),
                             1: [lambda s: s.buy("BBB", fraction=1),
                                 lambda s: s.close_position("AAA")]}, fractional=False)
    assert [(f.symbol, f.side, f.qty) for f in result.fills] == [
        ("AAA", "buy", D(100)), ("AAA", "sell", D(100)), ("BBB", "buy", D(200))]


def test_equity_marks_each_position_at_its_close_and_carries_a_missing_bar() -> None:
    aaa = series("AAA", [FLAT, FLAT, (101, 103, 100, 102), (103, 105, 102, 104)])
    b0, b1 = series("BBB", [(50, 51, 49, 50), (50, 51, 49, 50)]).bars
    bbb = BarSeries("BBB", (b0, b1, OHLCV(DAY0 + timedelta(days=3), D(54), D(56), D(53),
                                          D(55), D(10**6))))  # no bar on day 2
    result = backtest(align([aaa, bbb]), {0: [lambda s: s.buy("AAA", qty=10),
                                              lambda s: s.buy("BBB", qty=10)]})
    # bought at the day-1 opens: cash 10 000 − 1 000 − 500 = 8 500.
    # day 1: 8 500 + 10 × 100 + 10 × 50 = 10 000; day 2: AAA 102, BBB still 50 → 10 020;
    # day 3: 10 × 104 + 10 × 55 → 10 090
    assert result.equity == (D(10_000), D(10_000), D(10_020), D(10_090))
    assert result.stats.exposure_time == 0.75
