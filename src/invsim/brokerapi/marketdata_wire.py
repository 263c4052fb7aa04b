"""Alpaca's Market Data v2 shapes (bars, quotes, trades, snapshots) and its page token.

Unlike the Trading API, Alpaca's market data sends prices as JSON numbers, and the
SDKs' models are floats. invsim's prices are exact decimals of at most 6 places and
well under 10**9, so at most 15 significant digits: `float()` of such a decimal
prints back (shortest repr) as exactly the same digits. The conversion happens here,
at the boundary, and nowhere else.

Fields invsim does not model are filled so the SDKs parse them, and said so in
docs/bots.md: quote and trade sizes are nominal (1), `vw` is the bar's typical price
(h+l+c)/3, `n` estimates one trade per 100 shares, the exchange is the listing venue.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from invsim.brokerapi.marketdata_query import BarsQuery
from invsim.brokerapi.wire import iso
from invsim.core.errors import ValidationFailed
from invsim.market.service import BarView, QuoteView

PRICE_PLACES = Decimal("0.000001")
NOMINAL_SIZE = 1
SHARES_PER_TRADE = 100
# Listing venue -> (Alpaca's exchange code, consolidated tape).
VENUES = {"NYSE": ("N", "A"), "NYSE ARCA": ("P", "B"), "NASDAQ": ("Q", "C")}
OTHER_VENUE = ("V", "C")  # IEX, the venue of Alpaca's free feed


def number(value: Decimal) -> float:
    """An exact price as the JSON number Alpaca sends (the same digits; see the docstring)."""
    return float(value)


def venue(listing: str) -> tuple[str, str]:
    """Alpaca's exchange code and tape of a listing venue."""
    return VENUES.get(listing, OTHER_VENUE)


def bar(row: BarView) -> dict[str, Any]:
    """A bar as Alpaca's `Bar` (t, o, h, l, c, v, n, vw)."""
    typical = ((row.high + row.low + row.close) / 3).quantize(PRICE_PLACES, ROUND_HALF_EVEN)
    trades = -(-row.volume // SHARES_PER_TRADE)
    return {"t": iso(row.start), "o": number(row.open), "h": number(row.high),
            "l": number(row.low), "c": number(row.close), "v": row.volume, "n": trades,
            "vw": number(typical)}


def quote(view: QuoteView, listing: str) -> dict[str, Any]:
    """A quote as Alpaca's latest `Quote` (sizes are nominal)."""
    code, tape = venue(listing)
    return {"t": iso(view.as_of), "ax": code, "ap": number(view.ask), "as": NOMINAL_SIZE,
            "bx": code, "bp": number(view.bid), "bs": NOMINAL_SIZE, "c": ["R"], "z": tape}


def trade(view: QuoteView, listing: str) -> dict[str, Any]:
    """The last price as Alpaca's latest `Trade`; its id is the instant in microseconds."""
    code, tape = venue(listing)
    ident = int(view.as_of.timestamp() * 1_000_000)
    return {"t": iso(view.as_of), "x": code, "p": number(view.last), "s": NOMINAL_SIZE,
            "c": ["@"], "i": ident, "z": tape}


def snapshot(view: QuoteView | None, listing: str, minute: BarView | None,
             daily: BarView | None, previous: BarView | None) -> dict[str, Any]:
    """A symbol's snapshot as Alpaca's `Snapshot` (missing parts are null)."""
    return {"latestTrade": trade(view, listing) if view else None,
            "latestQuote": quote(view, listing) if view else None,
            "minuteBar": bar(minute) if minute else None,
            "dailyBar": bar(daily) if daily else None,
            "prevDailyBar": bar(previous) if previous else None}


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where the next page of a bars request starts.

    `symbol` is the first symbol of the page; `inner` the market's own page token
    within it (ascending), `offset` how many of its bars were sent (descending).
    The range is carried too, so every page reads the same one.
    """

    symbol: str
    inner: str | None
    offset: int
    start: datetime
    end: datetime


def encode_cursor(cursor: Cursor, query: BarsQuery) -> str:
    """Pack a cursor into Alpaca's opaque `next_page_token`."""
    payload = {"s": cursor.symbol, "p": cursor.inner, "o": cursor.offset,
               "a": cursor.start.timestamp(), "e": cursor.end.timestamp(),
               "i": query.interval, "d": query.sort}
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str, query: BarsQuery, symbols: list[str]) -> Cursor:
    """Unpack a token issued for this request (symbols, timeframe, sort); else a 422."""
    try:
        payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        cursor = Cursor(symbol=str(payload["s"]), inner=_optional_text(payload["p"]),
                        offset=int(payload["o"]),
                        start=datetime.fromtimestamp(float(payload["a"]), UTC),
                        end=datetime.fromtimestamp(float(payload["e"]), UTC))
        matches = (cursor.symbol in symbols and payload["i"] == query.interval
                   and payload["d"] == query.sort and cursor.offset >= 0)
    except (binascii.Error, ValueError, KeyError, TypeError, OverflowError, OSError):
        matches = False
    if not matches:
        raise ValidationFailed("invalid page token", code="invalid_page_token")
    return cursor


def _optional_text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("inner token")
    return value
