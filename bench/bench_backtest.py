"""Backtest speed: one SMA crossover over 10 years of daily bars (invsim vs backtesting.py on the
same bars, side by side), and a monthly momentum rotation over 100 symbols × 10 years.

The bars are the simulated market's (seed 1, NYSE sessions 2015-2024), loaded and
aligned before timing; each figure is the median of several runs of the whole
backtest (strategy, fills, equity, metrics and trade statistics). backtesting.py
runs with the conventions of tests/unit/backtest/test_oracle_backtesting_py.py,
so both produce the same trades.

Run: .venv/bin/python bench/bench_backtest.py   (prints two lines; targets: the SMA
crossover < 20 ms and faster than backtesting.py, the rotation < 2 s)
"""

from __future__ import annotations

import os
import statistics
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import pandas as pd
import talib
from backtesting import Backtest
from backtesting import Strategy as BtStrategy
from backtesting.lib import crossover

from invsim.backtest.bars import OHLCV, BarSeries, Panel, align
from invsim.backtest.broker import BrokerConfig
from invsim.backtest.engine import RunSpec, run
from invsim.backtest.strategies import BUILTINS
from invsim.market.providers.simulated import SimulatedProvider
from invsim.market.universe import load_universe
from invsim.trading.engine.rules import TradingRules

START, END = datetime(2015, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC)
SMA_TARGET_MS = 20.0
ROTATION_TARGET_S = 2.0
SYMBOLS = 100


def load(symbols: list[str]) -> list[BarSeries]:
    """Load ten years of simulated daily bars per symbol."""
    provider = SimulatedProvider(seed=1, calendar="nyse")
    raw = provider.daily_bars(symbols, START, END)
    return [BarSeries(s, tuple(OHLCV(b.start, b.open, b.high, b.low, b.close, Decimal(b.volume))
                               for b in raw[s])) for s in symbols]


def median_ms(work: Callable[[], object], runs: int) -> tuple[float, float]:
    """Return the median wall and CPU time of `work` in milliseconds (one untimed warm-up).

    The CPU time is the steadier figure on a shared machine: other processes
    lengthen the wall time of a run but hardly its CPU time.
    """
    work()
    wall, cpu = [], []
    for _ in range(runs):
        began, cpu_began = time.perf_counter(), time.process_time()
        work()
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - cpu_began) * 1000)
    return statistics.median(wall), statistics.median(cpu)


class BtSmaCross(BtStrategy):
    """backtesting.py's SMA crossover, long-only, 99.99 % of equity."""

    fast, slow = 10, 20

    def init(self) -> None:
        self.fast_sma = self.I(talib.SMA, self.data.Close.astype(float), self.fast)
        self.slow_sma = self.I(talib.SMA, self.data.Close.astype(float), self.slow)

    def next(self) -> None:
        if crossover(self.fast_sma, self.slow_sma):
            self.position.close()
            self.buy(size=0.9999)
        elif crossover(self.slow_sma, self.fast_sma):
            self.position.close()


def frame(series: BarSeries) -> pd.DataFrame:
    """The bars as backtesting.py reads them."""
    return pd.DataFrame(
        {name.capitalize(): [float(getattr(b, name)) for b in series.bars]
         for name in ("open", "high", "low", "close", "volume")},
        index=pd.DatetimeIndex([b.at.replace(tzinfo=None) for b in series.bars]))


def sma_line() -> str:
    """Time one SMA crossover on both engines."""
    (series,) = load(["AAPL"])
    panel = align([series])
    rules = TradingRules(fractional=False, max_volume_share=None)
    spec = RunSpec(BUILTINS["sma_cross"], {"fast": 10, "slow": 20, "fraction": Decimal("0.9999")},
                   BrokerConfig(Decimal(10_000), rules))
    ours, ours_cpu = median_ms(lambda: run(spec, panel), 21)
    trades = run(spec, panel).stats.trades
    test = Backtest(frame(series), BtSmaCross, cash=10_000, commission=0.0, margin=1.0,
                    trade_on_close=False, hedging=False, exclusive_orders=True)

    def theirs_run() -> pd.Series:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return test.run()

    theirs, theirs_cpu = median_ms(theirs_run, 7)
    their_trades = int(theirs_run()["# Trades"])
    return (f"backtest_sma_cross bars={len(series)} trades={trades} invsim_ms={ours:.1f} "
            f"(cpu {ours_cpu:.1f}) backtesting_py_ms={theirs:.1f} (cpu {theirs_cpu:.1f}, "
            f"trades={their_trades}) speedup={theirs / ours:.1f}x "
            f"(target < {SMA_TARGET_MS:.0f} ms and faster)")


def rotation_line() -> str:
    """Time a monthly top-10 momentum rotation over 100 symbols."""
    symbols = [listing.symbol for listing in load_universe().listings][:SYMBOLS]
    began = time.perf_counter()
    series = load(symbols)
    loaded = time.perf_counter() - began
    began = time.perf_counter()
    panel: Panel = align(series)
    aligned = time.perf_counter() - began
    spec = RunSpec(BUILTINS["momentum"], {"top_n": 10, "lookback": 126},
                   BrokerConfig(Decimal(100_000), TradingRules()))
    wall, cpu = median_ms(lambda: run(spec, panel), 3)
    fills = len(run(spec, panel).fills)
    return (f"backtest_momentum symbols={len(symbols)} bars={len(panel.times)} fills={fills} "
            f"run_s={wall / 1000:.2f} (cpu {cpu / 1000:.2f}; target < {ROTATION_TARGET_S:.0f} s; "
            f"before it: bars from the provider to BarSeries {loaded:.2f} s, align "
            f"{aligned:.2f} s)")


def main() -> None:
    """Print one line per benchmark, with the machine's load."""
    print(sma_line() + f" load={os.getloadavg()[0]:.1f}")
    print(rotation_line() + f" load={os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
