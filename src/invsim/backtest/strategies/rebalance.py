"""Periodic rebalance to target weights (60/40 SPY/TLT, say) at the start of each period."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from invsim.backtest.bars import FloatArray
from invsim.backtest.params import Param, ParamError
from invsim.backtest.strategies.common import PERIODS, period_key, period_starts
from invsim.backtest.strategy import Strategy


class Rebalance(Strategy):
    """Hold `weights` of equity; on the first bar of each period trade back to them."""

    name = "rebalance"
    summary = "Keep target weights, trading back to them every month, quarter or year."
    params: ClassVar[dict[str, Param]] = {
        "weights": Param("weights", None, help="targets like SPY:0.6,TLT:0.4 (sum ≤ 1)"),
        "period": Param("str", "monthly", choices=PERIODS, help="how often to rebalance"),
    }

    @classmethod
    def check(cls, params: dict[str, Any], symbols: list[str]) -> None:
        """Require weights for exactly the run's symbols."""
        weights = params["weights"]
        if weights is None:
            raise ParamError("weights is required, e.g. SPY:0.6,TLT:0.4")
        if set(weights) != set(symbols):
            raise ParamError("weights must name exactly the run's symbols")

    def init(self) -> None:
        """Remember the period of the previous bar."""
        self.last_period: tuple[int, int] | None = None

    def decision_steps(self) -> FloatArray:
        """Act on the first bar of each period."""
        return period_starts(self.panel.times, self.p["period"])

    def next(self) -> None:
        """Rebalance on the first bar of a new period (sells first, so buys find the cash)."""
        period = period_key(self.now, self.p["period"])
        if period == self.last_period:
            return
        self.last_period = period
        weights: dict[str, Decimal] = self.p["weights"]
        equity = self.equity
        def excess(symbol: str) -> Decimal:
            return self.position(symbol) * Decimal(str(self.close(symbol)[-1])) - (
                weights[symbol] * equity)
        for symbol in sorted(weights, key=excess, reverse=True):
            if self.has_bar(symbol):
                self.order_target(symbol, weights[symbol], tag="rebalance")
