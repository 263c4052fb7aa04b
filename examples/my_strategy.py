"""Your own strategy, run on your machine: a Donchian channel breakout with a trailing stop.

    invsim backtest run --strategy examples/my_strategy.py:DonchianBreakout \\
        --param entry=55 --param exit=20 --symbols AAPL --start 2016-01-01 --end 2024-12-31 \\
        --cash 10000 --commission 0.001 --trades

The rules (the "turtle" breakout, long only):
- enter when the close rises above the highest high of the previous `entry` bars
  (TA-Lib's MAX, shifted one bar so today's own high does not count);
- leave when the close falls below the lowest low of the previous `exit` bars,
  or when a trailing stop `trail` percent under the best price since entry
  triggers (a working trailing-stop order, filled by the same rules as live:
  a gap through the stop fills at the open).

Orders placed in `next` are decided on this bar's close and trade from the next
bar on (docs/backtesting.md states the fill conventions). Each symbol gets an
equal share of `fraction` of equity.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

import numpy as np
import talib

from invsim.backtest.params import Param, ParamError
from invsim.backtest.strategy import Line, Strategy


def previous(values: np.ndarray) -> np.ndarray:
    """Shift a series one bar later (bar t sees the value of t-1): the channel of past bars."""
    shifted = np.full(values.shape, np.nan)
    shifted[1:] = values[:-1]
    return shifted


class DonchianBreakout(Strategy):
    """Buy a breakout above the `entry`-bar high; exit below the `exit`-bar low or on the stop."""

    name = "donchian_breakout"
    summary = "Buy above the N-bar high, sell below the M-bar low or on a trailing stop."
    params: ClassVar[dict[str, Param]] = {
        "entry": Param("int", 55, 2, 500, "bars in the breakout channel"),
        "exit": Param("int", 20, 2, 500, "bars in the exit channel"),
        "trail": Param("decimal", Decimal("10"), Decimal("0"), Decimal("50"),
                       "trailing stop in percent under the best price (0: none)"),
        "fraction": Param("decimal", Decimal("1"), Decimal("0.01"), Decimal("1"),
                          "share of equity to invest, split over the symbols"),
    }

    @classmethod
    def check(cls, params: dict[str, Any], symbols: list[str]) -> None:
        """Refuse an exit channel longer than the entry channel."""
        if params["exit"] > params["entry"]:
            raise ParamError("exit must not be longer than entry")

    def init(self) -> None:
        """Compute both channels of every symbol once, with TA-Lib."""
        self.share = self.p["fraction"] / Decimal(len(self.symbols))
        self.upper: dict[str, Line] = {}
        self.lower: dict[str, Line] = {}
        for symbol in self.symbols:
            high, low = self.series(symbol, "high"), self.series(symbol, "low")
            self.upper[symbol] = self.indicator(previous, talib.MAX(high, self.p["entry"]))
            self.lower[symbol] = self.indicator(previous, talib.MIN(low, self.p["exit"]))

    def next(self) -> None:
        """Enter on a breakout, exit on a breakdown (the trailing stop works by itself)."""
        for symbol in self.symbols:
            close = self.close(symbol)[-1]
            held = self.position(symbol)
            if held == 0 and close > self.upper[symbol][-1]:
                self.cancel_all(symbol)  # a stop left over from a trade its stop ended
                self.buy(symbol, fraction=self.share, tag="breakout")
            elif held > 0:
                if not self._has_stop(symbol) and self.p["trail"] > 0:
                    self.sell(symbol, qty=held, type="trailing_stop",
                              trail_percent=self.p["trail"], tag="trailing stop")
                if close < self.lower[symbol][-1]:
                    self.cancel_all(symbol)
                    self.close_position(symbol, tag="breakdown")

    def _has_stop(self, symbol: str) -> bool:
        """Say whether a trailing stop already guards the position."""
        return any(o.symbol == symbol and o.request.tag == "trailing stop"
                   for o in self.open_orders)
