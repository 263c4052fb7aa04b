"""The configured market's quote cache, and how long a real provider's quote stays fresh.

Shared by the quote service (which reads it) and the fetcher (which fills it),
so neither imports the other back.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from invsim.extensions import stores
from invsim.market.cache import QuoteCache
from invsim.market.provider import cache_namespace, market_calendar

REAL_KEEP = timedelta(days=30)  # the last good value outlives its freshness this long
REAL_FRESH_OPEN = timedelta(minutes=15)
REAL_FRESH_CLOSED_MAX = timedelta(days=4)


def quote_cache() -> QuoteCache:
    """Return the quote cache of the configured market."""
    return QuoteCache(stores.kv, cache_namespace())


def real_fresh_until(now: datetime) -> datetime:
    """A real quote stays fresh a short while when open, until the next open when closed."""
    calendar = market_calendar()
    if calendar.is_open(now):
        return now + REAL_FRESH_OPEN
    return min(calendar.next_open(now), now + REAL_FRESH_CLOSED_MAX)
