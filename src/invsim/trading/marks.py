"""The one adapter between trading and the market service.

Every price, bar, instrument fact and trading session trading or portfolios use
comes through here, turned into the pure engine's values (`MarketSnapshot`,
`Bar`, `Session`). Nothing else in trading or portfolios imports the market domain.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

from flask import current_app

from invsim.core.clock import MarketCalendar, calendar_for, utcnow
from invsim.core.errors import ServiceUnavailable
from invsim.market import service as market
from invsim.trading.engine.snapshot import Bar, MarketSnapshot
from invsim.trading.engine.tif import Session

_LOOKBACK = timedelta(days=14)  # longer than any run of exchange holidays
_LOOKAHEAD = timedelta(days=14)



@dataclass(frozen=True, slots=True)
class InstrumentFacts:
    """What trading needs to know about an instrument."""

    symbol: str
    sector: str
    tradable: bool
    shortable: bool
    fractionable: bool


@dataclass(frozen=True, slots=True)
class Mark:
    """The latest quote of a symbol, as used to value positions and reserve cash."""

    symbol: str
    bid: Decimal
    ask: Decimal
    last: Decimal
    prev_close: Decimal
    day_open: Decimal
    as_of: datetime
    stale: bool
    volume: int = 0  # shares traded in the session so far


_FACTS_TTL_SECONDS = 300.0
_facts: dict[str, tuple[float, InstrumentFacts]] = {}


def instrument(symbol: str) -> InstrumentFacts:
    """Return the instrument's facts; an unknown symbol raises NotFound `unknown_symbol`.

    Instruments are reference data: each process keeps what it read for a few minutes.
    """
    key = symbol.strip().upper()
    cached = _facts.get(key)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    info = market.get_instrument(symbol)
    facts = InstrumentFacts(symbol=info.symbol, sector=info.sector, tradable=bool(info.tradable),
                            shortable=bool(info.shortable), fractionable=bool(info.fractionable))
    _facts[key] = (time.monotonic() + _FACTS_TTL_SECONDS, facts)
    return facts


def _mark(quote: Any) -> Mark:
    """Turn a market QuoteView into a Mark."""
    return Mark(symbol=quote.symbol, bid=quote.bid, ask=quote.ask, last=quote.last,
                prev_close=quote.prev_close, day_open=quote.day_open, as_of=quote.as_of,
                stale=bool(quote.stale), volume=int(quote.volume))


def mark(symbol: str) -> Mark:
    """Return one symbol's mark; ServiceUnavailable `quote_unavailable` when there is none."""
    return _mark(market.get_quote(symbol))


def marks(symbols: Iterable[str]) -> dict[str, Mark]:
    """Return the marks that can be had for `symbols` (missing ones are left out)."""
    wanted = sorted(set(symbols))
    if not wanted:
        return {}
    try:
        quotes = market.get_quotes(wanted)
    except ServiceUnavailable:
        return {}
    return {symbol: _mark(quote) for symbol, quote in quotes.items()}


_CALENDARS: dict[str, MarketCalendar] = {}


def calendar() -> MarketCalendar:
    """Return the exchange calendar the market runs on (the MARKET_CALENDAR setting)."""
    name = current_app.config["INVSIM_SETTINGS"].market_calendar
    found = _CALENDARS.get(name)
    if found is None:
        found = _CALENDARS.setdefault(name, calendar_for(name))
    return found


def _session_on(cal: MarketCalendar, day: Any) -> Session | None:
    """Return the session held on `day`, or None on a day without trading."""
    opens, closes = cal.session_open(day), cal.session_close(day)
    return None if opens is None or closes is None else Session(opens, closes)


def current_session(now: datetime) -> Session | None:
    """Return the latest session that opened at or before `now` (it may have closed)."""
    cal = calendar()
    for day in reversed(cal.sessions((now - _LOOKBACK).date(), now.date())):
        session = _session_on(cal, day)
        if session is not None and session.open_at <= now:
            return session
    return None


def sessions_from(now: datetime) -> list[Session]:
    """Return the sessions that have not closed by `now`, in time order (a fortnight's worth)."""
    cal = calendar()
    days = cal.sessions((now - timedelta(days=1)).date(), (now + _LOOKAHEAD).date())
    found = (_session_on(cal, day) for day in days)
    return [s for s in found if s is not None and s.close_at > now]


def is_open(now: datetime | None = None) -> bool:
    """Say whether continuous trading is running now."""
    return bool(calendar().is_open(now or utcnow()))


_BARS_KEPT = 4096
_bars: dict[tuple[object, str, datetime], Bar | None] = {}


def _market_key() -> tuple[object, ...]:
    """Identify the configured market (two apps in one process may run different ones)."""
    config = current_app.config["INVSIM_SETTINGS"]
    return (config.market_data_provider, config.market_seed, config.market_calendar,
            config.market_tick_seconds)


def _bar(symbol: str, as_of: datetime) -> Bar | None:
    """Return the forming one-minute bar of `symbol` as the engine's Bar (None if unknown).

    The bar only changes with the quote, so each process keeps it per (symbol, quote time).
    """
    key = (_market_key(), symbol, as_of)
    if key in _bars:
        return _bars[key]
    raw = market.latest_bar(symbol, "1m")
    try:
        bar = None if raw is None else Bar(raw.start, raw.open, raw.high, raw.low, raw.close,
                                           Decimal(raw.volume))
    except ValueError:
        bar = None  # an inconsistent bar gives no volume information
    if len(_bars) >= _BARS_KEPT:
        _bars.clear()
    _bars[key] = bar
    return bar


def snapshot_from(quote: Mark, bar: Bar | None, session: Session | None) -> MarketSnapshot:
    """Build the engine's snapshot from a mark, the forming bar and the session.

    The session's official opening price is the quote's day open once the
    session has opened; after the close the quote is the closing price.
    """
    opening = closing = None
    if session is not None and quote.as_of >= session.open_at:
        opening = quote.day_open
    if session is not None and quote.as_of >= session.close_at:
        closing = quote.last
    if bar is not None and bar.start > quote.as_of:
        bar = None
    return MarketSnapshot(bid=quote.bid, ask=quote.ask, last=quote.last, as_of=quote.as_of,
                          bar=bar, stale=quote.stale, session=session,
                          opening_price=opening, closing_price=closing,
                          minute_volume=minute_volume(quote, session))


def minute_volume(quote: Mark, session: Session | None) -> Decimal | None:
    """Return the session's average volume per minute so far (None before it opens).

    This is the depth the volume cap measures against besides the forming bar: a bar a
    few seconds old has traded little, yet an order small against a typical minute of
    the session would fill at once in a real market.
    """
    if session is None or quote.volume <= 0 or quote.as_of < session.open_at:
        return None
    elapsed = (min(quote.as_of, session.close_at) - session.open_at).total_seconds()
    minutes = max(Decimal(1), Decimal(int(elapsed)) / 60)
    return (Decimal(quote.volume) / minutes).quantize(Decimal(1), rounding=ROUND_DOWN)


def market_views(
    symbols: Iterable[str], now: datetime | None = None
) -> dict[str, tuple[Mark, MarketSnapshot]]:
    """Return each symbol's mark and engine snapshot (symbols without a quote are left out)."""
    found = marks(symbols)
    if not found:
        return {}
    session = current_session(now or utcnow())
    return {symbol: (m, snapshot_from(m, _bar(symbol, m.as_of), session))
            for symbol, m in found.items()}


def snapshots(symbols: Iterable[str], now: datetime | None = None) -> dict[str, MarketSnapshot]:
    """Return snapshots for every symbol a quote can be had for (one quote round trip)."""
    return {symbol: view[1] for symbol, view in market_views(symbols, now).items()}


def market_view(symbol: str, now: datetime | None = None) -> tuple[Mark, MarketSnapshot]:
    """Return one symbol's mark and snapshot; ServiceUnavailable `quote_unavailable` if none."""
    found = market_views([symbol], now)
    if symbol not in found:
        raise ServiceUnavailable("No price is available for this symbol right now.",
                                 code="quote_unavailable", details={"symbol": symbol})
    return found[symbol]


def snapshot(symbol: str, now: datetime | None = None) -> MarketSnapshot:
    """Return one symbol's engine snapshot; ServiceUnavailable `quote_unavailable` if none."""
    return market_view(symbol, now)[1]
