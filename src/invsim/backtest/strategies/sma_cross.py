"""SMA crossover: long when the fast average crosses above the slow one; short too if asked."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

import numpy as np
import talib

from invsim.backtest.bars import FloatArray
from invsim.backtest.params import Param, ParamError
from invsim.backtest.strategies.common import FRACTION
from invsim.backtest.strategy import Strategy


def crossed_above(a: FloatArray, b: FloatArray) -> FloatArray:
    """Mark the bars where `a` crossed above `b` (below on the bar before, above on this one).

    Causal: bar t uses bars t−1 and t only. 1.0 = crossed, 0.0 = not.
    """
    crossed = np.zeros(a.shape)
    crossed[1:] = (a[:-1] < b[:-1]) & (a[1:] > b[1:])
    return crossed


class SmaCross(Strategy):
    """On each symbol: fast SMA crosses above slow → go long; crosses below → close (or go short).

    With `long_short` the strategy is always in the market after the first cross.
    Each entry uses `fraction` of equity split evenly over the symbols.
    """

    name = "sma_cross"
    summary = "Go long when the fast SMA crosses above the slow one; exit (or go short) below."
    params: ClassVar[dict[str, Param]] = {
        "fast": Param("int", 10, 1, 500, "bars in the fast moving average"),
        "slow": Param("int", 20, 2, 1000, "bars in the slow moving average"),
        "long_short": Param("bool", False, help="go short on the downward cross"),
        "fraction": FRACTION,
    }

    @classmethod
    def check(cls, params: dict[str, Any], symbols: list[str]) -> None:
        """Refuse a fast average that is not faster than the slow one."""
        if params["fast"] >= params["slow"]:
            raise ParamError("fast must be smaller than slow")

    def init(self) -> None:
        """Compute both averages of every symbol with TA-Lib."""
        self.share = self.p["fraction"] / Decimal(len(self.symbols))
        self.up, self.down = {}, {}
        for symbol in self.symbols:
            fast = talib.SMA(self.series(symbol), self.p["fast"])
            slow = talib.SMA(self.series(symbol), self.p["slow"])
            self.up[symbol] = self.indicator(crossed_above, fast, slow)
            self.down[symbol] = self.indicator(crossed_above, slow, fast)

    def decision_steps(self) -> FloatArray:
        """Act only where some symbol's averages crossed."""
        marks = [line.full_for_engine() for line in (*self.up.values(), *self.down.values())]
        marked: FloatArray = np.logical_or.reduce(marks).astype(np.float64)
        return marked

    def next(self) -> None:
        """Act on a cross of each symbol's averages."""
        for symbol in self.symbols:
            if self.up[symbol][-1]:
                self.close_position(symbol)
                self.buy(symbol, fraction=self.share, tag="long")
            elif self.down[symbol][-1]:
                self.close_position(symbol)
                if self.p["long_short"]:
                    self.sell(symbol, fraction=self.share, tag="short")
