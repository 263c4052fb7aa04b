"""Momentum rotation: each month hold the top N of a universe by trailing return, equal weights."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any, ClassVar

import talib

from invsim.backtest.params import Param, ParamError
from invsim.backtest.strategies.common import FRACTION, PERIODS, period_key
from invsim.backtest.strategy import Strategy


class MomentumRotation(Strategy):
    """Rank symbols by their `lookback`-bar rate of change; hold the best `top_n` equally."""

    name = "momentum"
    summary = "Every month, hold the top N symbols by trailing return, equally weighted."
    params: ClassVar[dict[str, Param]] = {
        "top_n": Param("int", 3, 1, 100, "how many symbols to hold"),
        "lookback": Param("int", 126, 2, 1000, "bars of trailing return to rank by"),
        "period": Param("str", "monthly", choices=PERIODS, help="how often to rotate"),
        "fraction": FRACTION,
    }

    @classmethod
    def check(cls, params: dict[str, Any], symbols: list[str]) -> None:
        """Require more symbols than the number held."""
        if params["top_n"] >= len(symbols):
            raise ParamError("top_n must be smaller than the number of symbols")

    def init(self) -> None:
        """Compute every symbol's rate of change with TA-Lib."""
        self.roc = {s: self.indicator(talib.ROCP, self.series(s), self.p["lookback"])
                    for s in self.symbols}
        self.last_period: tuple[int, int] | None = None

    def next(self) -> None:
        """Rotate on the first bar of a new period once every ranking is defined."""
        period = period_key(self.now, self.p["period"])
        if period == self.last_period:
            return
        scores = {s: self.roc[s][-1] for s in self.symbols}
        ranked = sorted((s for s, v in scores.items() if not math.isnan(v)),
                        key=lambda s: (-scores[s], s))
        if len(ranked) < self.p["top_n"]:
            return
        self.last_period = period
        chosen = set(ranked[: self.p["top_n"]])
        weight = self.p["fraction"] / Decimal(self.p["top_n"])
        for symbol in [s for s in self.symbols if s not in chosen and self.position(s)]:
            self.order_target(symbol, 0, tag="rotate_out")
        for symbol in sorted(chosen):
            self.order_target(symbol, weight, tag="rotate_in")
