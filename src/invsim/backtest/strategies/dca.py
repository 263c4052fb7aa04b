"""Dollar-cost averaging: buy a fixed amount every `every` bars, split evenly over the symbols."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

import numpy as np

from invsim.backtest.bars import FloatArray
from invsim.backtest.params import Param
from invsim.backtest.strategy import Strategy
from invsim.core.money import money


class DollarCostAveraging(Strategy):
    """Invest `amount` of cash on the first bar and then every `every` bars, while cash lasts."""

    name = "dca"
    summary = "Buy a fixed amount at a fixed interval, whatever the price."
    params: ClassVar[dict[str, Param]] = {
        "amount": Param("decimal", Decimal(1000), Decimal(1), Decimal(10_000_000),
                        "cash invested each time"),
        "every": Param("int", 21, 1, 10_000, "bars between purchases (21 ≈ a month of sessions)"),
    }

    def decision_steps(self) -> FloatArray:
        """Act every `every` bars."""
        steps = np.arange(len(self.panel.times))
        marked: FloatArray = (steps % self.p["every"] == 0).astype(np.float64)
        return marked

    def next(self) -> None:
        """Buy on schedule while the cash covers it."""
        if self.step % self.p["every"] != 0:
            return
        share = money(self.p["amount"] / Decimal(len(self.symbols)))
        if self.cash < share * len(self.symbols):
            return
        for symbol in self.symbols:
            self.buy(symbol, notional=share, tag="dca")
