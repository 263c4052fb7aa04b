"""The built-in strategies the server runs (users' own code runs only on their machine)."""

from __future__ import annotations

from invsim.backtest.strategies.buy_hold import BuyAndHold
from invsim.backtest.strategies.dca import DollarCostAveraging
from invsim.backtest.strategies.momentum import MomentumRotation
from invsim.backtest.strategies.rebalance import Rebalance
from invsim.backtest.strategies.rsi import RsiReversion
from invsim.backtest.strategies.sma_cross import SmaCross
from invsim.backtest.strategy import Strategy

BUILTINS: dict[str, type[Strategy]] = {
    cls.name: cls
    for cls in (BuyAndHold, SmaCross, MomentumRotation, Rebalance, RsiReversion,
                DollarCostAveraging)
}
