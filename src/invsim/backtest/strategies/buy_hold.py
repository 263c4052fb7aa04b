"""Buy and hold: invest the chosen share of equity on the first bar, split evenly, and keep it."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

import numpy as np

from invsim.backtest.bars import FloatArray
from invsim.backtest.params import Param
from invsim.backtest.strategies.common import FRACTION
from invsim.backtest.strategy import Strategy


class BuyAndHold(Strategy):
    """Buy every symbol once, in equal shares of `fraction` of equity, at the second bar's open."""

    name = "buy_and_hold"
    summary = "Invest once at the start, equally in every symbol, and hold to the end."
    params: ClassVar[dict[str, Param]] = {"fraction": FRACTION}

    def decision_steps(self) -> FloatArray:
        """Act on the first bar only."""
        marked = np.zeros(len(self.panel.times))
        marked[0] = 1.0
        return marked

    def next(self) -> None:
        """Place the one entry on the first bar's close."""
        if self.step != 0:
            return
        share = self.p["fraction"] / Decimal(len(self.symbols))
        for symbol in self.symbols:
            self.buy(symbol, fraction=share, tag="entry")
