"""Deterministic bars for the sweep and walk-forward tests (a random walk, seeded)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import numpy as np

from invsim.backtest.bars import OHLCV, BarSeries, Panel, align


def random_walk(symbol: str, bars: int, seed: int, start: datetime | None = None,
                drift: float = 0.0002, volatility: float = 0.015) -> BarSeries:
    """Return `bars` daily bars of a seeded random walk with realistic gaps and ranges."""
    rng = np.random.default_rng(seed)
    closes = 100 * np.exp(np.cumsum(rng.normal(drift, volatility, bars)))
    first = start or datetime(2015, 1, 2, 21, tzinfo=UTC)
    made, previous = [], closes[0]
    for i, close in enumerate(closes):
        opening = previous * (1 + rng.normal(0, 0.004))
        high = max(opening, close) * (1 + abs(rng.normal(0, 0.005)))
        low = min(opening, close) * (1 - abs(rng.normal(0, 0.005)))
        o, h, lo, c = (Decimal(f"{v:.2f}") for v in (opening, high, low, close))
        made.append(OHLCV(first + timedelta(days=i), o, max(h, o, c), min(lo, o, c), c,
                          Decimal(5_000_000)))
        previous = close
    return BarSeries(symbol, tuple(made))


def walk_panel(bars: int = 750, seed: int = 7, symbols: tuple[str, ...] = ("AAA",),
               drift: float = 0.0002, volatility: float = 0.015) -> Panel:
    """Return a panel of seeded random walks, one per symbol."""
    return align([random_walk(s, bars, seed + i, drift=drift, volatility=volatility)
                  for i, s in enumerate(symbols)])
