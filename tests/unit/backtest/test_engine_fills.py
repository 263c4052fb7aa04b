"""Hand-computed fills: order types and time in force on a few bars.

Bars are (open, high, low, close[, volume]); a bar that closes at or above its
open is walked open → low → high → close, one that closes below it
open → high → low → close. Orders decided on bar t's close meet bar t+1 first.
Every expected price below is worked out by hand in the comment above it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from invsim.backtest.bars import OHLCV, BarSeries, align
from invsim.backtest.orders import OrderError, Status
from tests.unit.backtest.test_engine_helpers import DAY0, D, backtest, fills, panel, series

FLAT = (100, 101, 99, 100)


def status(result, index=0):
    """Return (status, reason) of the n-th order."""
    order = result.orders[index]
    return order.status, str(order.reason)


def test_a_market_order_decided_on_a_close_fills_at_the_next_open() -> None:
    bars = panel([FLAT, (102, 104, 101, 103), (103, 105, 100, 104)])
    result = backtest(bars, {0: lambda s: s.buy(qty=10)})
    # decided on bar 0's close (100), filled at bar 1's open: 10 × 102 = 1020
    assert fills(result) == [(1, "buy", D(10), D(102), ("market_at_ask",))]
    # cash 10 000 − 1 020 = 8 980; equity at bar 1's close 8 980 + 10 × 103 = 10 010,
    # at bar 2's 8 980 + 1 040 = 10 020; bar 0 had nothing yet
    assert result.equity == (D(10_000), D(10_010), D(10_020))


def test_a_limit_buy_fills_at_its_limit_when_the_bar_trades_through_it() -> None:
    # bar 1 closes at its open: path 100 → 98 (low) → 101 → 100; 99 lies on 100 → 98
    bars = panel([FLAT, (100, 101, 98, 100), FLAT])
    result = backtest(bars, {0: lambda s: s.buy(qty=10, type="limit", limit_price=99)})
    assert fills(result) == [(1, "buy", D(10), D(99), ("limit_at_ask",))]


def test_a_limit_sell_fills_at_its_limit_on_the_way_up() -> None:
    # bar 2 closes below its open: path 101 → 106 (high) → 100 → 100.5; 105 on 101 → 106
    bars = panel([FLAT, FLAT, (101, 106, 100, 100.5)])
    result = backtest(bars, {0: lambda s: s.buy(qty=10),
                             1: lambda s: s.sell(qty=10, type="limit", limit_price=105)})
    assert fills(result)[1] == (2, "sell", D(10), D(105), ("limit_at_bid",))


def test_a_limit_that_the_open_gaps_through_fills_at_the_open() -> None:
    # the buy limit 99 rests from bar 0; bar 1 opens at 97, below it: filled at 97, not 99
    bars = panel([FLAT, (97, 98, 96, 97), FLAT])
    result = backtest(bars, {0: lambda s: s.buy(qty=10, type="limit", limit_price=99)})
    assert fills(result) == [(1, "buy", D(10), D(97), ("limit_gap_open",))]


def test_a_limit_the_bar_never_reaches_waits_and_a_gtc_one_fills_later() -> None:
    # bar 1's low 99.5 stays above the limit; bar 2 (100 → 98 → 101 → 100) reaches 99
    bars = panel([FLAT, (100, 101, 99.5, 100), (100, 101, 98, 100)])
    result = backtest(bars, {0: lambda s: s.buy(qty=10, type="limit", limit_price=99)})
    assert fills(result) == [(2, "buy", D(10), D(99), ("limit_at_ask",))]


def test_a_stop_sell_fires_at_its_level_inside_the_bar() -> None:
    # bought 10 at bar 1's open (100); bar 2 falls: path 100 → 100.5 → 94 → 96,
    # the stop 95 lies on 100.5 → 94: it fires there and sells at 95
    bars = panel([FLAT, FLAT, (100, 100.5, 94, 96), FLAT])
    result = backtest(bars, {0: lambda s: s.buy(qty=10),
                             1: lambda s: s.sell(qty=10, type="stop", stop_price=95)})
    assert fills(result)[1] == (2, "sell", D(10), D(95), ("stop_triggered",))
    # 10 000 − 1 000 + 950 = 9 950
    assert result.final_equity == D(9_950)


def test_a_stop_the_open_gaps_through_sells_at_the_open() -> None:
    # bar 2 opens at 93, below the stop 95: the first trade there is 93
    bars = panel([FLAT, FLAT, (93, 94, 92, 93.5)])
    result = backtest(bars, {0: lambda s: s.buy(qty=10),
                             1: lambda s: s.sell(qty=10, type="stop", stop_price=95)})
    assert fills(result)[1] == (2, "sell", D(10), D(93), ("stop_triggered",))


def test_a_stop_buy_fires_on_the_way_up() -> None:
    # bar 1 rises: path 100 → 99 → 104 → 103; the buy stop 102 fires on 99 → 104 at 102
    bars = panel([FLAT, (100, 104, 99, 103)])
    result = backtest(bars, {0: lambda s: s.buy(qty=5, type="stop", stop_price=102)})
    assert fills(result) == [(1, "buy", D(5), D(102), ("stop_triggered",))]


def test_a_stop_limit_fires_at_its_stop_and_trades_within_its_limit() -> None:
    # stop 95, limit 94.5; bar 2: 100 → 100.5 → 94 → 94.2. At 95 the stop fires and the
    # bid 95 is above the limit: sold at 95
    bars = panel([FLAT, FLAT, (100, 100.5, 94, 94.2)])
    result = backtest(bars, {0: lambda s: s.buy(qty=10),
                             1: lambda s: s.sell(qty=10, type="stop_limit", stop_price=95,
                                                 limit_price=94.5)})
    assert fills(result)[1] == (2, "sell", D(10), D(95), ("stop_limit_triggered",))


def test_a_stop_limit_gapped_below_its_limit_waits_for_the_limit() -> None:
    # bar 2 opens at 94: the stop 95 fires but 94 is below the limit 94.5, no fill;
    # the path goes on 94 → 94.8 (high) and passes 94.5: sold at 94.5
    bars = panel([FLAT, FLAT, (94, 94.8, 93, 93.5)])
    result = backtest(bars, {0: lambda s: s.buy(qty=10),
                             1: lambda s: s.sell(qty=10, type="stop_limit", stop_price=95,
                                                 limit_price=94.5)})
    assert fills(result)[1] == (2, "sell", D(10), D("94.5"), ("stop_limit_triggered",))


def test_a_trailing_stop_starts_at_the_decision_close_and_follows_the_high() -> None:
    # placed on bar 1's close 103: mark 103, stop 103 × 0.95 = 97.85. Bar 2 rises
    # 104 → 103.5 → 110 → 108: mark 110, stop 104.50. Bar 3 falls 107 → 107.5 → 100 → 101:
    # the stop 104.50 lies on 107.5 → 100, sold there.
    bars = panel([FLAT, (100, 103, 99, 103), (104, 110, 103.5, 108), (107, 107.5, 100, 101)])
    result = backtest(bars, {0: lambda s: s.buy(qty=10),
                             1: lambda s: s.sell(qty=10, type="trailing_stop", trail_percent=5)})
    assert fills(result)[1] == (3, "sell", D(10), D("104.5"), ("trailing_stop_triggered",))
    trailing = result.orders[1]
    assert (trailing.spec.water_mark, trailing.spec.stop_price) == (D(110), D("104.5"))


def test_a_trailing_stop_placed_on_a_high_close_fires_on_a_gap_down() -> None:
    # mark 103 from the decision close: stop 97.85; bar 2 opens 100, never above 101,
    # falls to 96: sold at 97.85 (a mark started at the next open, 100 → 101, would
    # have put the stop at 95.95 and missed it)
    bars = panel([FLAT, (100, 103, 99, 103), (100, 101, 96, 97)])
    result = backtest(bars, {0: lambda s: s.buy(qty=10),
                             1: lambda s: s.sell(qty=10, type="trailing_stop", trail_percent=5)})
    assert fills(result)[1] == (2, "sell", D(10), D("97.85"), ("trailing_stop_triggered",))


def test_a_trailing_stop_by_price_trails_a_fixed_distance() -> None:
    # trail $2 from the close 100: stop 98; bar 2: 100 → 99.5 → 103 → 102.5 moves the mark
    # to 103 (stop 101); bar 3: 102 → 102.2 → 100 → 100.2 crosses 101 on the way down
    bars = panel([FLAT, FLAT, (100, 103, 99.5, 102.5), (102, 102.2, 100, 100.2)])
    result = backtest(bars, {0: lambda s: s.buy(qty=1),
                             1: lambda s: s.sell(qty=1, type="trailing_stop", trail_price=2)})
    assert fills(result)[1] == (3, "sell", D(1), D(101), ("trailing_stop_triggered",))


# --- time in force ------------------------------------------------------------------------

NEVER = (100, 101, 99.5, 100)  # a bar that does not reach a 99 limit
REACHES = (100, 101, 98, 100)  # one that does


def limit_buy(tif: str):
    """Place a buy limit at 99 with this time in force."""
    return lambda s: s.buy(qty=10, type="limit", limit_price=99, time_in_force=tif)


def test_a_day_order_lives_one_bar() -> None:
    result = backtest(panel([FLAT, NEVER, REACHES]), {0: limit_buy("day")})
    assert fills(result) == []
    assert status(result) == (Status.EXPIRED, "day_order_expired")


def test_a_gtc_order_lives_until_it_fills() -> None:
    result = backtest(panel([FLAT, NEVER, NEVER, REACHES]), {0: limit_buy("gtc")})
    assert fills(result) == [(3, "buy", D(10), D(99), ("limit_at_ask",))]


def test_an_ioc_order_trades_at_the_open_or_is_canceled() -> None:
    # the open 100 is above the limit 99: canceled at once, even though the low reaches 98
    result = backtest(panel([FLAT, REACHES]), {0: limit_buy("ioc")})
    assert fills(result) == [] and status(result) == (Status.CANCELED, "ioc_not_filled")
    # a marketable ioc fills at the open
    result = backtest(panel([FLAT, REACHES]), {0: lambda s: s.buy(qty=10, time_in_force="ioc")})
    assert fills(result) == [(1, "buy", D(10), D(100), ("market_at_ask",))]


def test_an_ioc_order_takes_what_the_volume_cap_allows_and_cancels_the_rest() -> None:
    # volume 50 × 10 % = 5 shares may trade in the bar; the other 5 are canceled
    bars = panel([FLAT, (100, 101, 99, 100, 50)])
    result = backtest(bars, {0: lambda s: s.buy(qty=10, time_in_force="ioc")})
    assert fills(result) == [(1, "buy", D(5), D(100), ("market_at_ask", "volume_cap_partial"))]
    assert status(result) == (Status.CANCELED, "ioc_remainder_canceled")


def test_a_fok_order_fills_whole_or_not_at_all() -> None:
    small = panel([FLAT, (100, 101, 99, 100, 50)])  # room for 5 shares
    result = backtest(small, {0: lambda s: s.buy(qty=10, time_in_force="fok")})
    assert fills(result) == [] and status(result) == (Status.CANCELED, "fok_cannot_fill")
    result = backtest(small, {0: lambda s: s.buy(qty=5, time_in_force="fok")})
    assert fills(result) == [(1, "buy", D(5), D(100), ("market_at_ask",))]


def test_opg_trades_in_the_opening_auction_and_cls_in_the_closing_one() -> None:
    bars = panel([FLAT, (100.5, 102, 99, 101.5)])
    opening = backtest(bars, {0: lambda s: s.buy(qty=10, time_in_force="opg")})
    assert fills(opening) == [(1, "buy", D(10), D("100.5"), ("opg_at_open",))]
    closing = backtest(bars, {0: lambda s: s.buy(qty=10, time_in_force="cls")})
    assert fills(closing) == [(1, "buy", D(10), D("101.5"), ("cls_at_close",))]
    # a limit opg the opening price does not reach is canceled, not carried to the close
    missed = backtest(bars, {0: lambda s: s.buy(qty=10, type="limit", limit_price=100,
                                                time_in_force="opg")})
    assert fills(missed) == [] and status(missed)[0] is Status.CANCELED


def test_a_canceled_order_never_trades() -> None:
    bars = panel([FLAT, NEVER, REACHES])
    result = backtest(bars, {0: limit_buy("gtc"), 1: lambda s: s.cancel_all()})
    assert fills(result) == []
    assert status(result) == (Status.CANCELED, "canceled_by_strategy")


def test_an_order_without_a_size_or_price_is_a_strategy_error() -> None:
    with pytest.raises(OrderError):
        backtest(panel([FLAT, FLAT]), {0: lambda s: s.buy(type="limit", limit_price=99)})
    with pytest.raises(OrderError):
        backtest(panel([FLAT, FLAT]), {0: lambda s: s.buy(qty=1, type="limit")})


def test_an_order_waits_for_its_symbols_next_bar_on_a_shared_calendar() -> None:
    # BBB has no bar on day 1 (AAA does): its day limit first meets a bar on day 2,
    # lives for that bar and fills there at its limit (100 → 98 passes 99)
    aaa = series("AAA", [FLAT, FLAT, FLAT])
    bbb = BarSeries("BBB", (series("BBB", [FLAT]).bars[0],
                            OHLCV(DAY0 + timedelta(days=2), D(100), D(101), D(98), D(100),
                                  D(10**6))))
    result = backtest(align([aaa, bbb]), {0: lambda s: s.buy("BBB", qty=1, type="limit",
                                                             limit_price=99,
                                                             time_in_force="day")})
    assert fills(result) == [(2, "buy", D(1), D(99), ("limit_at_ask",))]
