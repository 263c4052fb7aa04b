"""The latest quote per symbol in the shared key-value store (Redis, or in-process).

Each entry holds the provider's quote, when it was fetched and until when it counts as
fresh. Entries outlive their freshness for real providers: the last good value is what
the service serves, marked stale, when the provider cannot answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from invsim.core.kvstore import KeyValueStore
from invsim.market.providers.base import Quote

_PRICES = ("bid", "ask", "last", "prev_close", "day_open", "day_high", "day_low")


@dataclass(frozen=True, slots=True)
class CachedQuote:
    """A provider quote with its fetch time and freshness deadline."""

    quote: Quote
    fetched_at: datetime
    fresh_until: datetime

    def is_fresh(self, now: datetime) -> bool:
        """Tell whether the quote may be served without a stale mark (never from the future)."""
        return self.quote.as_of <= now < self.fresh_until


def encode(entry: CachedQuote) -> str:
    """Serialise an entry compactly (Decimals as strings, instants as epoch seconds)."""
    q = entry.quote
    record: dict[str, object] = {name: str(getattr(q, name)) for name in _PRICES}
    record.update(s=q.symbol, v=q.volume, t=q.as_of.timestamp(), src=q.source,
                  f=entry.fetched_at.timestamp(), u=entry.fresh_until.timestamp())
    return json.dumps(record, separators=(",", ":"))


def decode(text: str) -> CachedQuote:
    """Read an entry written by `encode`."""
    record = json.loads(text)
    quote = Quote(symbol=record["s"], volume=int(record["v"]), source=record["src"],
                  as_of=datetime.fromtimestamp(record["t"], UTC),
                  **{name: Decimal(record[name]) for name in _PRICES})
    return CachedQuote(quote=quote, fetched_at=datetime.fromtimestamp(record["f"], UTC),
                       fresh_until=datetime.fromtimestamp(record["u"], UTC))


class QuoteCache:
    """Read and write cached quotes of one market (provider and configuration)."""

    def __init__(self, kv: KeyValueStore, namespace: str) -> None:
        self._kv = kv
        self._prefix = f"mkt:q:{namespace}:"

    def read(self, symbols: list[str]) -> dict[str, CachedQuote]:
        """Return the cached entries of `symbols` that exist (one round trip)."""
        values = self._kv.get_many([self._prefix + symbol for symbol in symbols])
        return {symbol: decode(value)
                for symbol, value in zip(symbols, values, strict=True) if value is not None}

    def write(self, entries: list[CachedQuote], keep_seconds: float) -> None:
        """Store entries; each disappears `keep_seconds` after being written."""
        for entry in entries:
            self._kv.set(self._prefix + entry.quote.symbol, encode(entry), max(1.0, keep_seconds))

    def forget(self, symbol: str) -> None:
        """Drop the entry of `symbol`."""
        self._kv.delete(self._prefix + symbol)
