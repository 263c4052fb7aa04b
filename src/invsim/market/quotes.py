"""Quotes as the rest of invsim sees them: cached, labelled with their source, age and staleness.

Simulated quotes are computed on demand (any process gets the same numbers) and cached
until the next tick. Real quotes are served from the cache; symbols never fetched are
fetched on demand within the request budget; when the provider cannot answer, the last
good value is served marked stale. A real provider never falls back to simulated prices.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from invsim.core import money as m
from invsim.core.clock import utcnow
from invsim.core.errors import ServiceUnavailable
from invsim.market import market_metrics
from invsim.market.cache import CachedQuote
from invsim.market.fetch import fetcher
from invsim.market.instruments import require_known
from invsim.market.provider import (
    get_provider,
    is_simulated,
    market_calendar,
    settings,
)
from invsim.market.quote_store import quote_cache
from invsim.market.symbols import normalise_symbol, normalise_symbols

SERVICE_MAX_SYMBOLS = 2000
ON_DEMAND_FETCHES = 3  # real quotes fetched inside one request, at most


@dataclass(frozen=True, slots=True)
class QuoteView:
    """A quote for callers: prices, when they were current, where from, and whether stale."""

    symbol: str
    bid: Decimal
    ask: Decimal
    last: Decimal
    prev_close: Decimal
    day_open: Decimal
    day_high: Decimal
    day_low: Decimal
    volume: int
    as_of: datetime
    source: str
    stale: bool
    age_seconds: int

    @property
    def change(self) -> Decimal:
        """Return last minus the previous close."""
        return m.price(self.last - self.prev_close)

    @property
    def change_percent(self) -> Decimal:
        """Return the change in percent of the previous close (0 when there is none)."""
        if not self.prev_close:
            return m.ZERO
        return m.rate(self.change / self.prev_close * m.HUNDRED)


def view_of(entry: CachedQuote, now: datetime) -> QuoteView:
    """Label a cached quote with its staleness and age at `now`."""
    q = entry.quote
    age = max(0, int((now - q.as_of).total_seconds()))
    return QuoteView(symbol=q.symbol, bid=q.bid, ask=q.ask, last=q.last,
                     prev_close=q.prev_close, day_open=q.day_open, day_high=q.day_high,
                     day_low=q.day_low, volume=q.volume, as_of=q.as_of, source=q.source,
                     stale=not entry.is_fresh(now), age_seconds=age)


def get_quote(symbol: str) -> QuoteView:
    """Return the quote of one listed symbol; 404 when unknown, 503 when none is available."""
    normalised = normalise_symbol(symbol)
    quotes = get_quotes([normalised])
    return quotes[normalised]


def get_quotes(symbols: list[str], *, fetch_missing: bool = True) -> dict[str, QuoteView]:
    """Return quotes of listed symbols, keyed by symbol, in the order asked.

    Symbols without any quote are left out; when none at all can be served the call is a
    503 `quote_unavailable`. Unknown symbols are a 404 `unknown_symbol`.
    """
    wanted = normalise_symbols(symbols, maximum=SERVICE_MAX_SYMBOLS)
    require_known(wanted)
    now = utcnow()
    if is_simulated():
        entries = _simulated_entries(wanted, now)
    else:
        entries = _real_entries(wanted, now, fetch_missing=fetch_missing)
    views = {s: view_of(entries[s], now) for s in wanted if s in entries}
    if not views:
        raise ServiceUnavailable("No price is available for these symbols right now.",
                                 code="quote_unavailable", details={"symbols": wanted})
    return views


def cached_quotes(symbols: list[str]) -> dict[str, QuoteView]:
    """Return whatever quotes the cache holds (fresh or stale), without computing or fetching."""
    now = utcnow()
    entries = quote_cache().read(symbols)
    return {s: view_of(e, now) for s, e in entries.items() if e.quote.as_of <= now}


def _simulated_entries(symbols: list[str], now: datetime) -> dict[str, CachedQuote]:
    """Serve simulated quotes from the cache, computing the ones of a past tick."""
    cache = quote_cache()
    entries = {s: e for s, e in cache.read(symbols).items() if e.is_fresh(now)}
    missing = [s for s in symbols if s not in entries]
    market_metrics.cache_lookup("simulated", hits=len(entries), misses=len(missing))
    if missing:
        computed = get_provider().quotes(missing, at=now)
        fresh = [CachedQuote(q, now, _simulated_fresh_until(q.as_of, now))
                 for q in computed.values()]
        keep = max(1.0, min((e.fresh_until - now).total_seconds() for e in fresh)) if fresh else 1
        cache.write(fresh, keep + 1)
        entries.update({e.quote.symbol: e for e in fresh})
    return entries


def _simulated_fresh_until(as_of: datetime, now: datetime) -> datetime:
    """A simulated quote holds until the next tick, or the next open while closed."""
    calendar = market_calendar()
    if calendar.is_open(now):
        return max(as_of + timedelta(seconds=settings().market_tick_seconds),
                   now + timedelta(milliseconds=1))
    return min(calendar.next_open(now), now + timedelta(hours=1))


def _real_entries(symbols: list[str], now: datetime, *,
                  fetch_missing: bool) -> dict[str, CachedQuote]:
    """Serve real quotes from the cache; fetch the never-seen ones within the budget."""
    entries = {s: e for s, e in quote_cache().read(symbols).items() if e.quote.as_of <= now}
    missing = [s for s in symbols if s not in entries]
    market_metrics.cache_lookup("real", hits=len(entries), misses=len(missing))
    if missing and fetch_missing:
        entries.update(fetcher().refresh_quotes(missing[:ON_DEMAND_FETCHES]))
    return entries
