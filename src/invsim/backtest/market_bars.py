"""A cheap probe before a run is saved: which symbols have no daily bar in the range.

The job loads the bars with `backtest.data.load_panel` (every page, forming bar
left out); this only asks the market service for one bar per symbol, so a
request naming a symbol without data is refused (422) before anything is written.
"""

from __future__ import annotations

from datetime import datetime

from invsim.market import service as market


def symbols_without_bars(symbols: list[str], start: datetime, end: datetime) -> list[str]:
    """Return the symbols that are unknown or have no daily bar in [start, end]."""
    known = set(market.known_symbols())
    missing = [s for s in symbols if s not in known]
    for symbol in symbols:
        if symbol in known and not market.get_bars(symbol, "1d", start, end, limit=1).bars:
            missing.append(symbol)
    return missing
