"""Agreement with backtesting.py 0.6.6 (an independent library; test-only) on identical data.

Conventions set to match ours, explicitly:

- `trade_on_close=False`: a decision on a bar's close trades at the next open (ours).
- `exclusive_orders=True`, `hedging=False`: one net position per symbol (ours); the
  strategies also close the position explicitly before reversing, as ours do.
- `margin=1`: no leverage. Our shorts need a margin account with `allow_short`;
  the sizing (a fraction of equity) never borrows, so the margin account only
  permits the short.
- `size=0.9999` (backtesting.py's fraction of available margin, whole units) ↔
  our `fraction=0.9999` with `TradingRules(fractional=False)` (whole shares).
- no volume cap (`max_volume_share=None`): backtesting.py has none.
- commission 0, and a case with 0.1 %: `commission=0.001` ↔
  `CommissionModel.percent(0.1)`. backtesting.py sizes a fraction on
  price × (1 + commission), so the fee comes out of the fraction; ours spends the
  fraction on shares and adds the fee. The commissioned case therefore gives ours
  `fraction = 0.9999 / 1.001`: the same shares on every entry.
- open trades at the end: backtesting.py's default `finalize_trades=False` leaves
  them out of `# Trades` and values them at the last close in `Equity Final [$]`;
  ours lists them as open trades, leaves them out of the statistics, and marks the
  equity at the last close: the same figures.
- buy-and-hold: backtesting.py first calls `next` on the second bar (it needs two
  entries), ours on the first; ours is given the bars from the second one on, so
  both decide on the same close and buy at the same open.

What still differs (hence "within 0.1 %", not equal): our money is Decimal and
each commission is rounded to the cent; backtesting.py's is float. Its
`Commissions [$]` counts closed trades only, as our closed trades' commission does.
"""

from __future__ import annotations

import warnings
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import talib
from backtesting import Backtest
from backtesting import Strategy as BtStrategy
from backtesting.lib import crossover

from invsim.backtest.bars import OHLCV, BarSeries, Panel, align
from invsim.backtest.broker import BrokerConfig
from invsim.backtest.engine import RunSpec, run
from invsim.backtest.result import Result
from invsim.backtest.strategies import BUILTINS
from invsim.market.providers import alphavantage_parse as av
from invsim.market.providers.simulated import SimulatedProvider
from invsim.trading.engine.costs import CommissionModel
from invsim.trading.engine.rules import AccountType, TradingRules

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "marketdata"
CASH = 10_000
SIZE = 0.9999
TOLERANCE = 0.001  # 0.1 % of final equity


# --- data sets ----------------------------------------------------------------------------

def _series(symbol: str, bars: list) -> BarSeries:
    """Turn market-service bars into a backtest series."""
    return BarSeries(symbol, tuple(OHLCV(b.start, b.open, b.high, b.low, b.close,
                                         Decimal(b.volume)) for b in bars))


_SIMULATED = SimulatedProvider(seed=11, calendar="nyse")


def simulated(symbol: str) -> BarSeries:
    """Ten years of the simulated market's daily bars (deterministic: seed 11)."""
    bars = _SIMULATED.daily_bars([symbol], datetime(2015, 1, 1, tzinfo=UTC),
                                 datetime(2025, 1, 1, tzinfo=UTC))[symbol]
    return _series(symbol, bars)


def recorded(name: str, symbol: str) -> BarSeries:
    """A recorded Alpha Vantage daily series (JSON or CSV) from tests/fixtures/marketdata."""
    text = av.decode((FIXTURES / name).read_bytes())
    bars = (av.parse_series(av.load_json(text), symbol=symbol, interval="1d")
            if av.looks_like_json(text) else
            av.parse_series_csv(text, symbol=symbol, interval="1d"))
    return _series(symbol, bars)


DATA = {
    "sim_AAPL": lambda: simulated("AAPL"),
    "sim_NVDA": lambda: simulated("NVDA"),
    "sim_XOM": lambda: simulated("XOM"),
    "real_IBM": lambda: recorded("alphavantage_daily_IBM.csv", "IBM"),
    "real_MSFT": lambda: recorded("alphavantage_daily_MSFT_utf8bom.json", "MSFT"),
    "real_TSLA": lambda: recorded("alphavantage_daily_TSLA.json", "TSLA"),
}
# the recorded series are 100 bars: shorter averages give them a few crosses
PERIODS = {"sim": (10, 20), "real": (5, 15)}


def frame(series: BarSeries) -> pd.DataFrame:
    """The same bars as the DataFrame backtesting.py reads."""
    return pd.DataFrame(
        {"Open": [float(b.open) for b in series.bars], "High": [float(b.high) for b in series.bars],
         "Low": [float(b.low) for b in series.bars], "Close": [float(b.close) for b in series.bars],
         "Volume": [float(b.volume) for b in series.bars]},
        index=pd.DatetimeIndex([b.at.replace(tzinfo=None) for b in series.bars]))


# --- backtesting.py's side ----------------------------------------------------------------

class BtSmaCross(BtStrategy):
    """The SMA crossover as backtesting.py writes it (TA-Lib's SMA, as ours uses)."""

    fast = 10
    slow = 20
    long_short = False

    def init(self) -> None:
        self.fast_sma = self.I(talib.SMA, self.data.Close.astype(float), self.fast)
        self.slow_sma = self.I(talib.SMA, self.data.Close.astype(float), self.slow)

    def next(self) -> None:
        if crossover(self.fast_sma, self.slow_sma):
            self.position.close()
            self.buy(size=SIZE)
        elif crossover(self.slow_sma, self.fast_sma):
            self.position.close()
            if self.long_short:
                self.sell(size=SIZE)


class BtBuyAndHold(BtStrategy):
    """Buy once with the whole fraction and hold."""

    def init(self) -> None:
        pass

    def next(self) -> None:
        if not self.position and not self.orders:
            self.buy(size=SIZE)


def theirs(series: BarSeries, strategy: type[BtStrategy], commission: float = 0.0,
           **params: object) -> pd.Series:
    """Run backtesting.py with our conventions."""
    test = Backtest(frame(series), strategy, cash=CASH, commission=commission, margin=1.0,
                    trade_on_close=False, hedging=False, exclusive_orders=True,
                    finalize_trades=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "some trades remain open" is expected
        return test.run(**params)


# --- ours ---------------------------------------------------------------------------------

def ours(panel: Panel, name: str, params: dict, commission: Decimal = Decimal(0),
         short: bool = False, fraction: Decimal = Decimal(str(SIZE))) -> Result:
    """Run our engine with backtesting.py's conventions."""
    rules = TradingRules(
        commission=CommissionModel.percent(commission) if commission else CommissionModel(),
        fractional=False, max_volume_share=None,
        account_type=AccountType.MARGIN if short else AccountType.CASH, allow_short=short)
    return run(RunSpec(BUILTINS[name], {**params, "fraction": fraction},
                       BrokerConfig(Decimal(CASH), rules)), panel)


def agree(mine: Result, stats: pd.Series) -> None:
    """Same closed trades (size, direction, entry and exit price), final equity within 0.1 %,
    the same win rate, best and worst trade and SQN."""
    assert mine.stats.trades == stats["# Trades"]
    listed = stats["_trades"]
    assert [(t.qty if t.direction == "long" else -t.qty) for t in mine.closed_trades] == list(
        listed["Size"])
    assert [float(t.entry_price) for t in mine.closed_trades] == pytest.approx(
        list(listed["EntryPrice"]))
    assert [float(t.exit_price or 0) for t in mine.closed_trades] == pytest.approx(
        list(listed["ExitPrice"]))
    final = float(mine.final_equity)
    assert final == pytest.approx(stats["Equity Final [$]"], rel=TOLERANCE)
    if mine.stats.trades:
        assert mine.stats.win_rate == pytest.approx(stats["Win Rate [%]"] / 100)
        # the same definitions: returns on entry value, SQN on trade P&L (sample std)
        assert mine.stats.best_trade == pytest.approx(stats["Best Trade [%]"] / 100, rel=1e-3)
        assert mine.stats.worst_trade == pytest.approx(stats["Worst Trade [%]"] / 100,
                                                       rel=1e-3)
        if mine.stats.trades > 1:
            assert mine.stats.sqn == pytest.approx(stats["SQN"], rel=1e-3)


@pytest.fixture(scope="module", params=list(DATA))
def data(request: pytest.FixtureRequest) -> tuple[str, BarSeries]:
    """Each data set in turn."""
    return request.param, DATA[request.param]()


def periods(name: str) -> tuple[int, int]:
    """The averages used on a data set."""
    return PERIODS[name.split("_")[0]]


def test_sma_crossover_long_only_agrees(data: tuple[str, BarSeries]) -> None:
    name, series = data
    fast, slow = periods(name)
    mine = ours(align([series]), "sma_cross", {"fast": fast, "slow": slow})
    stats = theirs(series, BtSmaCross, fast=fast, slow=slow)
    agree(mine, stats)
    assert mine.stats.trades > 0 or len(mine.trades) > 0  # the case trades at all


def test_sma_crossover_long_short_agrees(data: tuple[str, BarSeries]) -> None:
    name, series = data
    fast, slow = periods(name)
    mine = ours(align([series]), "sma_cross", {"fast": fast, "slow": slow, "long_short": True},
                short=True)
    stats = theirs(series, BtSmaCross, fast=fast, slow=slow, long_short=True)
    agree(mine, stats)
    assert any(t.direction == "short" for t in mine.trades)


def test_buy_and_hold_agrees(data: tuple[str, BarSeries]) -> None:
    _, series = data
    later = BarSeries(series.symbol, series.bars[1:])  # see the module docstring
    mine = ours(align([later]), "buy_and_hold", {})
    stats = theirs(series, BtBuyAndHold)
    agree(mine, stats)
    assert len(mine.trades) == 1 and mine.trades[0].open


@pytest.mark.parametrize("name", ["sim_AAPL", "real_TSLA"])
def test_sma_crossover_with_a_commission_agrees(name: str) -> None:
    series = DATA[name]()
    fast, slow = periods(name)
    fee_inside = (Decimal(str(SIZE)) / Decimal("1.001")).quantize(Decimal("1e-9"))
    mine = ours(align([series]), "sma_cross", {"fast": fast, "slow": slow, "long_short": True},
                commission=Decimal("0.1"), short=True, fraction=fee_inside)
    stats = theirs(series, BtSmaCross, commission=0.001, fast=fast, slow=slow, long_short=True)
    agree(mine, stats)
    closed_fees = sum(t.commission for t in mine.closed_trades)
    assert closed_fees > 0
    assert float(closed_fees) == pytest.approx(stats["Commissions [$]"], rel=TOLERANCE)


def test_the_oracle_sees_the_same_bars() -> None:
    series = DATA["real_IBM"]()
    df = frame(series)
    assert len(df) == len(series) == 100
    assert np.allclose(df["Close"].to_numpy(), series.closes)
