"""Vectorised screens: rank many parameter combinations of a strategy cheaply with numpy.

A screen approximates a strategy's figures without the engine (floats, no
order book, no volume cap, costs as a flat rate per change of position). The
sweep uses it only to choose which combinations the engine re-runs exactly;
no figure a screen computes is ever reported as the winner's.

The SMA-crossover screen reads the strategy's own signals (`crossed_above` on
TA-Lib SMAs, each window computed once per symbol for the whole sweep) and
follows the engine's timing: decided on a bar's close, traded at the next open.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
import talib

from invsim.analytics.frequency import periods_per_year
from invsim.backtest.bars import FloatArray, Panel
from invsim.backtest.broker import BrokerConfig
from invsim.backtest.strategies.sma_cross import SmaCross, crossed_above
from invsim.backtest.strategy import Strategy
from invsim.core.money import money
from invsim.trading.engine.costs import CommissionKind

Screen = Callable[[Panel, BrokerConfig, Sequence[dict[str, Any]], str], list[dict[str, Any]]]

BATCH = 256  # combinations per matrix (memory: BATCH × steps floats a few times)
DRAWDOWN_NOISE = 1e-12


def screen_for(strategy: type[Strategy]) -> Screen | None:
    """Return the vectorised screen of a built-in strategy (by class, not name), or None."""
    return SCREENS.get(strategy)


# --- the SMA crossover --------------------------------------------------------------------

class SmaCache:
    """TA-Lib SMAs of each symbol's closes, computed once per window for a whole sweep."""

    def __init__(self, panel: Panel) -> None:
        self._closes = {s: panel.closes(s) for s in panel.symbols}
        self._done: dict[tuple[str, int], FloatArray] = {}

    def sma(self, symbol: str, window: int) -> FloatArray:
        """Return the SMA exactly as the strategy computes it (talib.SMA of the closes)."""
        key = (symbol, window)
        if key not in self._done:
            self._done[key] = np.asarray(talib.SMA(self._closes[symbol], window))
        return self._done[key]


def screen_sma_cross(panel: Panel, broker: BrokerConfig, combos: Sequence[dict[str, Any]],
                     metric: str) -> list[dict[str, Any]]:
    """Estimate each SMA-crossover combination's figures; one dict per combination."""
    cache = SmaCache(panel)
    legs = [_leg(panel, symbol) for symbol in panel.symbols]
    cost = cost_rate(broker)
    shorting = broker.rules.shorting_allowed
    last_of_day = _last_step_of_each_day(panel)
    # the analytics metrics' year: 252 on an exchange calendar, 365 on an always-open one
    year = periods_per_year(sorted({at.date() for at in panel.times}))
    found: list[dict[str, Any]] = []
    for start in range(0, len(combos), BATCH):
        batch = combos[start:start + BATCH]
        total = np.zeros((len(batch), len(panel.times) - 1))
        entries = np.zeros(len(batch))
        for symbol, (gap, intraday) in zip(panel.symbols, legs, strict=True):
            held = np.stack([_held(cache, symbol, c, shorting) for c in batch])
            weight = np.array([float(c["fraction"]) for c in batch])[:, None] / len(legs)
            moved = np.diff(held, axis=1)
            total += weight * (held[:, :-1] * gap + held[:, 1:] * intraday
                               - cost * np.abs(moved))
            # a trade opens wherever the position changes to a non-zero one
            entries += np.count_nonzero((moved != 0) & (held[:, 1:] != 0), axis=1)
        found.extend(_figures(total, last_of_day, float(broker.cash), entries, year))
    return found


def _leg(panel: Panel, symbol: str) -> tuple[FloatArray, FloatArray]:
    """Return a symbol's gap (open / previous close) and intraday (close / open) returns."""
    closes, opens = panel.closes(symbol), panel.field(symbol, "open")
    with np.errstate(invalid="ignore", divide="ignore"):
        gap = opens[1:] / closes[:-1] - 1.0
        intraday = closes[1:] / opens[1:] - 1.0
    # before a symbol's first bar (NaN) or on a step it has no bar (carried) nothing moves
    traded = panel.index[symbol][1:] >= 0
    gap = np.where(traded & np.isfinite(gap), gap, 0.0)
    intraday = np.where(traded & np.isfinite(intraday), intraday, 0.0)
    return gap, intraday


def _held(cache: SmaCache, symbol: str, combo: dict[str, Any], shorting: bool) -> FloatArray:
    """Return the position (+1, 0, −1) held from each step's open, as the engine trades it."""
    fast, slow = cache.sma(symbol, combo["fast"]), cache.sma(symbol, combo["slow"])
    up, down = crossed_above(fast, slow) > 0, crossed_above(slow, fast) > 0
    below = -1.0 if combo["long_short"] and shorting else 0.0
    events = np.where(up, 1.0, np.where(down, below, np.nan))
    events[0] = 0.0 if np.isnan(events[0]) else events[0]
    steps = np.arange(events.size)
    latest = np.maximum.accumulate(np.where(np.isnan(events), 0, steps))
    decided = events[latest]
    # decided on close t, held from the open of t+1
    held = np.empty_like(decided)
    held[0], held[1:] = 0.0, decided[:-1]
    return held


def cost_rate(broker: BrokerConfig) -> float:
    """Return the costs of a trade as a share of its value: slippage plus a percent commission."""
    rules = broker.rules
    rate = float(rules.slippage_bps) / 10_000
    if rules.commission.kind is CommissionKind.PERCENT:
        rate += float(rules.commission.rate) / 100
    return rate


def _last_step_of_each_day(panel: Panel) -> npt.NDArray[np.int64]:
    """Return the last calendar step of each UTC day (the metrics measure daily)."""
    days = [at.date() for at in panel.times]
    last = [i for i in range(len(days)) if i + 1 == len(days) or days[i + 1] != days[i]]
    return np.array(last, dtype=np.int64)


def _figures(step_returns: FloatArray, last_of_day: npt.NDArray[np.int64], cash: float,
             entries: FloatArray, year: int) -> list[dict[str, Any]]:
    """Turn per-step returns (one row a combination) into the metrics a sweep ranks by."""
    growth = np.concatenate([np.ones((step_returns.shape[0], 1)),
                             np.cumprod(1.0 + step_returns, axis=1)], axis=1)
    daily_levels = growth[:, last_of_day]
    daily = daily_levels[:, 1:] / daily_levels[:, :-1] - 1.0
    peaks = np.maximum.accumulate(daily_levels, axis=1)
    drawdowns = (daily_levels / peaks - 1.0).min(axis=1)
    rows = []
    for i in range(step_returns.shape[0]):
        rows.append(_one(daily[i], float(growth[i, -1]), float(drawdowns[i]), cash,
                         int(entries[i]), year))
    return rows


def _one(daily: FloatArray, growth: float, drawdown: float, cash: float,
         entries: int, year: int) -> dict[str, Any]:
    """Return one combination's estimated figures (the analytics metrics' definitions)."""
    n = daily.size
    deviation = float(daily.std(ddof=1)) if n >= 2 else 0.0
    downside = math.sqrt(float(np.mean(np.minimum(daily, 0.0) ** 2))) * math.sqrt(year)
    mean = float(daily.mean()) if n else 0.0
    annual = growth ** (year / n) - 1.0 if n >= year and growth > 0 else None
    deep = drawdown < -DRAWDOWN_NOISE
    return {
        "final_equity": str(money(Decimal(repr(cash * growth)))),
        "total_return": growth - 1.0,
        "sharpe": mean / deviation * math.sqrt(year) if deviation > 0 else None,
        "sortino": mean * year / downside if downside > 0 else None,
        "max_drawdown": drawdown,
        "calmar": annual / abs(drawdown) if annual is not None and deep else None,
        "annualized_return": annual,
        "trades": entries,
        "screen": True,
    }


SCREENS: dict[type[Strategy], Screen] = {SmaCross: screen_sma_cross}
