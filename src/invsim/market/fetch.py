"""Spending a real provider's request budget: quotes and daily bars, one request at a time.

Every request first takes a unit of the shared budget. When the provider says "slow down"
(Throttled) or "quota spent" (QuotaExhausted) the fetcher backs off until the next window
and callers keep serving the last good values, marked stale. "Not entitled" is permanent
for this API key: it is remembered and the free alternative is used instead.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import structlog

from invsim.core.clock import utcnow
from invsim.core.kvstore import KeyValueStore
from invsim.extensions import db, stores
from invsim.market import market_metrics
from invsim.market.bar_store import latest_stored_start, upsert_bars
from invsim.market.budget import RequestBudget
from invsim.market.cache import CachedQuote, QuoteCache
from invsim.market.provider import get_provider, market_calendar, settings
from invsim.market.providers.base import (
    Bar,
    Interval,
    InvalidApiKey,
    MarketDataProvider,
    NotEntitled,
    ProviderError,
    ProviderUnavailable,
    QuotaExhausted,
    Quote,
    Throttled,
    UnknownSymbol,
)
from invsim.market.quote_store import REAL_KEEP, quote_cache, real_fresh_until

log = structlog.get_logger("invsim.market.fetch")

T = TypeVar("T")

EPOCH = datetime(1990, 1, 1, tzinfo=UTC)  # "from the start": the provider returns what it has
NOT_ENTITLED_TTL = 7 * 86400.0
UNKNOWN_TTL = 86400.0
DAILY_RETRY_TTL = 6 * 3600.0  # a symbol's daily bars are fetched at most this often
INTRADAY_RETRY_TTL = 300.0
INVALID_KEY_BACK_OFF = timedelta(hours=1)


class Stop(Exception):
    """No more requests now: budget spent, back-off, or the provider is unreachable."""


class Unentitled(Exception):
    """The call needs a plan this API key does not have."""


class Fetcher:
    """Fetches real quotes and bars within the shared budget of one API key."""

    def __init__(self, provider: MarketDataProvider, kv: KeyValueStore, *, key_id: str,
                 per_minute: int, per_day: int, cache: QuoteCache) -> None:
        self.provider = provider
        self.kv = kv
        self.prefix = f"mkt:{provider.name}:{key_id}:"
        self.budget = RequestBudget(kv, namespace=f"{provider.name}:{key_id}",
                                    per_minute=per_minute, per_day=per_day)
        self.cache = cache

    # --- quotes ---------------------------------------------------------------------------

    def refresh_quotes(self, symbols: list[str]) -> dict[str, CachedQuote]:
        """Fetch quotes of `symbols` in order until the budget or the provider says stop."""
        fetched: dict[str, CachedQuote] = {}
        for symbol in dict.fromkeys(symbols):
            if self._flag("unknown", symbol):
                continue
            try:
                quote = self._quote(symbol)
            except Stop:
                break
            if quote is not None:
                fetched[symbol] = self._remember(quote)
        return fetched

    def _quote(self, symbol: str) -> Quote | None:
        """Fetch one quote (GLOBAL_QUOTE, or the daily series when quotes are not entitled)."""
        try:
            found = self._call("quote", symbol, lambda: self.provider.quotes([symbol]))
        except Unentitled:
            return self._quote_from_daily(symbol)
        if found is not None and symbol not in found:
            self._mark("unknown", symbol, UNKNOWN_TTL)
        return None if found is None else found.get(symbol)

    def _quote_from_daily(self, symbol: str) -> Quote | None:
        """Build a quote from the last daily bars (the free alternative) and keep the bars."""
        bars = self._bars(symbol, "1d")
        if not bars:
            return None
        last, prev = bars[-1], (bars[-2] if len(bars) > 1 else bars[-1])
        close = market_calendar().session_close(last.start.date())
        as_of = min(close, utcnow()) if close else last.start
        return Quote(symbol=symbol, bid=last.close, ask=last.close, last=last.close,
                     prev_close=prev.close, day_open=last.open, day_high=last.high,
                     day_low=last.low, volume=last.volume, as_of=as_of,
                     source=self.provider.name)

    def _remember(self, quote: Quote) -> CachedQuote:
        """Cache a freshly fetched quote as the last good value."""
        now = utcnow()
        entry = CachedQuote(quote=quote, fetched_at=now, fresh_until=real_fresh_until(now))
        self.cache.write([entry], REAL_KEEP.total_seconds())
        return entry

    # --- bars ---------------------------------------------------------------------------

    def backfill_daily(self, symbols: list[str]) -> int:
        """Fetch and store daily bars of symbols whose stored history is behind; count them."""
        done = 0
        for symbol in dict.fromkeys(symbols):
            if not self._bars_due(symbol, "1d"):
                continue
            try:
                done += bool(self._bars(symbol, "1d"))
            except Stop:
                break
        return done

    def ensure_bars(self, symbol: str, interval: Interval) -> None:
        """Bring stored bars of `symbol` up to date if due and the budget allows."""
        if self._bars_due(symbol, interval):
            try:
                self._bars(symbol, interval)
            except Stop:
                pass

    def not_entitled(self, interval: Interval) -> bool:
        """Tell whether this API key may not fetch bars of `interval`."""
        return self._flag("not_entitled", _bars_kind(interval))

    def _bars_due(self, symbol: str, interval: Interval) -> bool:
        """Tell whether stored bars miss the latest period and were not just tried."""
        if self._flag("unknown", symbol) or self._flag("tried", f"{symbol}:{interval}"):
            return False
        if interval != "1d":
            return True
        latest = latest_stored_start(symbol, "1d")
        return latest is None or latest < _last_session_open(utcnow())

    def _bars(self, symbol: str, interval: Interval) -> list[Bar]:
        """Fetch every bar the provider gives, store them in one transaction, return them.

        The provider asks for the compact series (about 100 bars) or the full one, as its
        plan allows; stored bars from earlier fetches stay.
        """
        retry = DAILY_RETRY_TTL if interval == "1d" else INTRADAY_RETRY_TTL
        self._mark("tried", f"{symbol}:{interval}", retry)
        try:
            bars = self._call(_bars_kind(interval), symbol,
                              lambda: self.provider.bars(symbol, interval, EPOCH, utcnow()))
        except Unentitled:
            return []
        if not bars:
            return []
        with db.transaction() as session:
            upsert_bars(session, bars, source=self.provider.name)
        return bars

    # --- one budgeted request -------------------------------------------------------------

    def _call(self, what: str, symbol: str, request: Callable[[], T]) -> T | None:
        """Make one request within the budget; None when the provider has nothing for it.

        Provider errors that concern every request become Stop (after a back-off where the
        provider asked for one); "not entitled" becomes Unentitled and is remembered.
        """
        if self._flag("not_entitled", what):
            raise Unentitled(what)
        if not self.budget.acquire():
            market_metrics.budget_refused(self.provider.name, what)
            raise Stop("budget")
        try:
            return self._measured(what, request)
        except Throttled as error:
            self._back_off(utcnow() + timedelta(seconds=error.retry_after_seconds), "throttled")
        except QuotaExhausted as error:
            self._back_off(error.retry_at, "quota_exhausted")
        except InvalidApiKey:
            log.error("market_provider_api_key_invalid", provider=self.provider.name)
            self._back_off(utcnow() + INVALID_KEY_BACK_OFF, "invalid_api_key")
        except NotEntitled:
            log.warning("market_provider_not_entitled", what=what, symbol=symbol)
            self._mark("not_entitled", what, NOT_ENTITLED_TTL)
            raise Unentitled(what) from None
        except UnknownSymbol:
            self._mark("unknown", symbol, UNKNOWN_TTL)
            return None
        except ProviderUnavailable as error:
            log.warning("market_provider_unavailable", error=str(error))
        except ProviderError as error:
            log.warning("market_provider_error", what=what, symbol=symbol, error=str(error))
            return None
        raise Stop(what)

    def _measured(self, what: str, request: Callable[[], T]) -> T:
        """Make the request and record it (outcome, latency, budget left) as EMF."""
        started, failure = time.perf_counter(), None
        try:
            return request()
        except ProviderError as error:
            failure = error
            raise
        finally:
            market_metrics.provider_call(self.provider.name, what, failure,
                                         time.perf_counter() - started, self.budget)

    def _back_off(self, until: datetime, reason: str) -> None:
        """Remember a back-off every process respects."""
        log.info("market_provider_back_off", reason=reason, until=until.isoformat())
        self.budget.back_off(until, reason)

    def _flag(self, kind: str, name: str) -> bool:
        return self.kv.get(f"{self.prefix}{kind}:{name}") is not None

    def _mark(self, kind: str, name: str, ttl: float) -> None:
        self.kv.set(f"{self.prefix}{kind}:{name}", "1", ttl)


def _bars_kind(interval: Interval) -> str:
    """Name the entitlement bars of `interval` need ("daily" or "intraday")."""
    return "daily" if interval in ("1d", "1w") else "intraday"


def _last_session_open(now: datetime) -> datetime:
    """Return when the latest session that has opened by `now` opened."""
    calendar = market_calendar()
    for back in range(0, 15):
        day = (now - timedelta(days=back)).date()
        opened = calendar.session_open(day)
        if opened is not None and opened <= now:
            return opened
    return now - timedelta(days=15)


def fetcher() -> Fetcher:
    """Return a fetcher for the configured real provider and API key."""
    config = settings()
    key_id = hashlib.sha256(config.alpha_vantage_api_key.encode()).hexdigest()[:12]
    return Fetcher(get_provider(), stores.kv, key_id=key_id,
                   per_minute=config.alpha_vantage_per_minute,
                   per_day=config.alpha_vantage_per_day, cache=quote_cache())
