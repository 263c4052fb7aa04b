"""Vectorised screens: rank many parameter combinations of a strategy cheaply with numpy.

A screen approximates a strategy's metric without the engine; the sweep uses it
only to choose which combinations the engine re-runs exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from invsim.backtest.bars import Panel
from invsim.backtest.broker import BrokerConfig
from invsim.backtest.strategy import Strategy

Screen = Callable[[Panel, BrokerConfig, Sequence[dict[str, Any]], str], list[dict[str, Any]]]

SCREENS: dict[str, Screen] = {}


def screen_for(strategy: type[Strategy]) -> Screen | None:
    """Return the vectorised screen of a built-in strategy, or None."""
    return SCREENS.get(strategy.name)
