"""Daily bars from the market service for the API's runs (until bt-cli's data.load_panel lands).

A private stand-in, named for what it does: it reads `market.service.get_bars`
(the simulated market, or the stored Alpha Vantage history within its budget)
page by page and aligns the symbols on one calendar.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from invsim.backtest.bars import OHLCV, BarSeries, Panel, align
from invsim.market import service as market

PAGE = 5000


def symbols_without_bars(symbols: list[str], start: datetime, end: datetime) -> list[str]:
    """Return the symbols that are unknown or have no daily bar in [start, end] (a cheap probe)."""
    known = set(market.known_symbols())
    missing = [s for s in symbols if s not in known]
    for symbol in symbols:
        if symbol in known and not market.get_bars(symbol, "1d", start, end, limit=1).bars:
            missing.append(symbol)
    return missing


def load_market_panel(symbols: list[str], start: datetime, end: datetime) -> Panel:
    """Read every daily bar of each symbol in [start, end] and align them."""
    return align([BarSeries(symbol, tuple(_daily_bars(symbol, start, end)))
                  for symbol in symbols])


def _daily_bars(symbol: str, start: datetime, end: datetime) -> list[OHLCV]:
    """Follow the market service's pages until the range is read."""
    bars: list[OHLCV] = []
    token: str | None = None
    while True:
        page = market.get_bars(symbol, "1d", start, end, limit=PAGE, page_token=token)
        bars += [OHLCV(bar.start, bar.open, bar.high, bar.low, bar.close, Decimal(bar.volume))
                 for bar in page.bars]
        token = page.next_page_token
        if token is None:
            return bars
