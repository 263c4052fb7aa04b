"""RSI mean reversion: buy when RSI falls below `lower`, sell when it rises above `upper`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

import numpy as np
import talib

from invsim.backtest.bars import FloatArray
from invsim.backtest.params import Param, ParamError
from invsim.backtest.strategies.common import FRACTION
from invsim.backtest.strategy import Strategy


class RsiReversion(Strategy):
    """Long-only: enter when Wilder's RSI is oversold, exit when it is overbought."""

    name = "rsi_reversion"
    summary = "Buy when the RSI drops below the lower band, sell when it rises above the upper."
    params: ClassVar[dict[str, Param]] = {
        "period": Param("int", 14, 2, 200, "RSI look-back in bars"),
        "lower": Param("decimal", Decimal(30), Decimal(1), Decimal(99), "oversold level"),
        "upper": Param("decimal", Decimal(70), Decimal(1), Decimal(99), "overbought level"),
        "fraction": FRACTION,
    }

    @classmethod
    def check(cls, params: dict[str, Any], symbols: list[str]) -> None:
        """Refuse bands that overlap."""
        if params["lower"] >= params["upper"]:
            raise ParamError("lower must be below upper")

    def init(self) -> None:
        """Compute each symbol's RSI with TA-Lib."""
        self.share = self.p["fraction"] / Decimal(len(self.symbols))
        self.rsi = {s: self.indicator(talib.RSI, self.series(s), self.p["period"])
                    for s in self.symbols}
        self.lower, self.upper = float(self.p["lower"]), float(self.p["upper"])

    def decision_steps(self) -> FloatArray:
        """Act only where some RSI is outside its bands."""
        outside = [(line.full_for_engine() < self.lower) | (line.full_for_engine() > self.upper)
                   for line in self.rsi.values()]
        marked: FloatArray = np.logical_or.reduce(outside).astype(np.float64)
        return marked

    def next(self) -> None:
        """Enter below the lower band, exit above the upper."""
        for symbol in self.symbols:
            value = self.rsi[symbol][-1]
            held = self.position(symbol)
            if held == 0 and value < self.lower and not self._pending(symbol):
                self.buy(symbol, fraction=self.share, tag="oversold")
            elif held > 0 and value > self.upper and not self._pending(symbol):
                self.close_position(symbol, tag="overbought")

    def _pending(self, symbol: str) -> bool:
        """Say whether an order of this symbol is still working."""
        return any(o.symbol == symbol for o in self.open_orders)
