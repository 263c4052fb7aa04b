"""Hand-computed trade list and trade statistics (win rate, profit factor, SQN, exposure...)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from invsim.trading.engine.costs import CommissionModel
from invsim.trading.engine.rules import AccountType
from tests.unit.backtest.test_engine_helpers import DAY0, D, backtest, panel

# opens: bar 1 100, bar 2 110, bar 3 105, bar 4 100, bar 5 100, bar 6 130
BARS = [(100, 101, 99, 100), (100, 101, 99, 100), (110, 111, 109, 110), (105, 106, 104, 105),
        (100, 101, 99, 100), (100, 101, 99, 100), (130, 131, 129, 130)]


def buy(s):
    return s.buy(qty=10)


def sell(s):
    return s.sell(qty=10)


def three_trades():
    """Buy/sell alternately: three round trips, $1 a trade."""
    return backtest(panel(BARS), {0: buy, 1: sell, 2: buy, 3: sell, 4: buy, 5: sell},
                    commission=CommissionModel.per_trade(D(1)))


def test_each_round_trip_is_one_trade_with_its_prices_commission_and_pnl() -> None:
    result = three_trades()
    # 1: bought 10 at 100 (bar 1), sold at 110 (bar 2): 100 − 2 fees = 98
    # 2: bought at 105 (bar 3), sold at 100 (bar 4): −50 − 2 = −52
    # 3: bought at 100 (bar 5), sold at 130 (bar 6): 300 − 2 = 298
    day = timedelta(days=1)
    assert [(t.entry_at, t.entry_price, t.exit_at, t.exit_price, t.qty, t.pnl, t.commission,
             t.bars_held, t.open) for t in result.trades] == [
        (DAY0 + day, D(100), DAY0 + 2 * day, D(110), D(10), D(98), D(2), 1, False),
        (DAY0 + 3 * day, D(105), DAY0 + 4 * day, D(100), D(10), D(-52), D(2), 1, False),
        (DAY0 + 5 * day, D(100), DAY0 + 6 * day, D(130), D(10), D(298), D(2), 1, False)]
    # the account agrees: 10 000 + 98 − 52 + 298 = 10 344
    assert result.final_equity == D(10_344)


def test_trade_statistics_by_hand() -> None:
    stats = three_trades().stats
    assert stats.trades == 3
    assert stats.win_rate == pytest.approx(2 / 3)
    # gains 98 + 298 over losses 52
    assert stats.profit_factor == pytest.approx(396 / 52)
    # returns on entry value: 98/1000, −52/1050, 298/1000
    assert stats.best_trade == pytest.approx(0.298)
    assert stats.worst_trade == pytest.approx(-52 / 1050)
    assert stats.average_trade == pytest.approx((0.098 - 52 / 1050 + 0.298) / 3)
    # SQN = √3 × mean / sample std of (98, −52, 298): mean 114.667, std 175.594 → 1.13107
    assert stats.sqn == pytest.approx(1.1310650, rel=1e-6)
    assert (stats.average_bars_held, stats.average_days_held) == (1.0, 1.0)
    # a position is held at the closes of bars 1, 3 and 5: 3 of 7
    assert stats.exposure_time == pytest.approx(3 / 7)


def test_the_summary_carries_the_figures() -> None:
    summary = three_trades().summary()
    assert summary["final_equity"] == "10344.00"
    assert summary["total_return"] == pytest.approx(0.0344)
    assert (summary["trades"], summary["fills"], summary["commission"]) == (3, 6, "6.00")
    assert summary["win_rate"] == pytest.approx(2 / 3)
    assert summary["open_trades"] == 0


def test_a_flip_closes_the_trade_and_opens_the_other_way_splitting_the_fee() -> None:
    # long 10 at 100 (bar 1, fee 2); sell 20 at 110 (bar 2, fee 2 split 1 + 1 by quantity):
    # the long closes at 100 − 2 − 1 = 97, a short of 10 opens at 110; it is open at the
    # end, valued at the last close 105: (110 − 105) × 10 − 1 = 49
    bars = panel([BARS[0], BARS[1], BARS[2], BARS[3]])
    result = backtest(bars, {0: buy, 1: lambda s: s.sell(qty=20)},
                      commission=CommissionModel.per_trade(D(2)),
                      account_type=AccountType.MARGIN, allow_short=True)
    long, short = result.trades
    assert (long.direction, long.pnl, long.commission, long.open) == ("long", D(97), D(3), False)
    assert (short.direction, short.entry_price, short.exit_price, short.pnl, short.open) == (
        "short", D(110), D(105), D(49), True)
    assert result.stats.trades == 1  # statistics count closed trades only
    # cash 10 000 − 1 002 + 2 198 = 11 196, less the short's 10 × 105: 10 146 = 10 000 + 97 + 49
    assert result.final_equity == D(10_146)


def test_an_open_trade_at_the_end_is_listed_and_valued_at_the_last_close() -> None:
    result = backtest(panel(BARS), {0: buy})
    (trade,) = result.trades
    # bought 10 at 100, last close 130: +300, still open
    assert (trade.open, trade.exit_price, trade.pnl) == (True, D(130), D(300))
    assert result.stats.trades == 0 and result.stats.win_rate is None
