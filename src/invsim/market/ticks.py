"""Live quotes: which symbols open streams watch, and publishing their current quotes.

Stream processes record interest per symbol in the shared store (a key with a short TTL,
refreshed while a client watches). The tick job computes quotes of the watched symbols
and publishes each on the "quotes" channel; every stream process fans them out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from invsim.core import money as m
from invsim.core.kvstore import KeyValueStore
from invsim.extensions import stores
from invsim.market.instruments import known_symbols
from invsim.market.provider import is_simulated
from invsim.market.quotes import QuoteView, cached_quotes, get_quotes

CHANNEL = "quotes"
INTEREST_TTL_SECONDS = 60.0
_INTEREST_PREFIX = "mkt:watch:"


def register_interest(kv: KeyValueStore, symbols: Iterable[str]) -> None:
    """Record that a stream watches `symbols` (for the next minute)."""
    for symbol in symbols:
        kv.set(_INTEREST_PREFIX + symbol, "1", INTEREST_TTL_SECONDS)


def watched_symbols() -> list[str]:
    """Return the listed symbols some open stream watches."""
    candidates = sorted(known_symbols())
    flags = stores.kv.get_many([_INTEREST_PREFIX + symbol for symbol in candidates])
    return [symbol for symbol, flag in zip(candidates, flags, strict=True) if flag]


def publish_ticks(symbols: Iterable[str] = ()) -> int:
    """Publish the current quote of every watched symbol and of `symbols`; return how many.

    Simulated quotes are computed for the current tick; real quotes come from the cache
    (fresh or stale) and are never fetched here. Publishing twice sends the same quotes.
    """
    known = known_symbols()
    wanted = list(dict.fromkeys([*watched_symbols(), *(s for s in symbols if s in known)]))
    if not wanted:
        return 0
    if is_simulated():
        quotes = get_quotes(wanted, fetch_missing=False)
    else:
        quotes = cached_quotes(wanted)
    for quote in quotes.values():
        stores.kv.publish(CHANNEL, quote_message(quote))
    return len(quotes)


def quote_payload(quote: QuoteView) -> dict[str, Any]:
    """Return a quote as JSON-ready data (amounts as strings), the shape the API uses."""
    return {
        "symbol": quote.symbol,
        "bid": m.format_decimal(quote.bid),
        "ask": m.format_decimal(quote.ask),
        "last": m.format_decimal(quote.last),
        "prev_close": m.format_decimal(quote.prev_close),
        "day_open": m.format_decimal(quote.day_open),
        "day_high": m.format_decimal(quote.day_high),
        "day_low": m.format_decimal(quote.day_low),
        "change": m.format_decimal(quote.change),
        "change_percent": m.format_decimal(quote.change_percent),
        "volume": quote.volume,
        "as_of": quote.as_of.isoformat().replace("+00:00", "Z"),
        "source": quote.source,
        "stale": quote.stale,
        "age_seconds": quote.age_seconds,
    }


def quote_message(quote: QuoteView) -> str:
    """Serialise a quote for the "quotes" channel and SSE `data:` lines."""
    return json.dumps(quote_payload(quote), separators=(",", ":"))
