"""Alpaca's Market Data API v2 (stocks) under /alpaca/v2: bars, latest quotes and trades, snapshots.

alpaca-py's `StockHistoricalDataClient(key, secret, url_override=".../alpaca")` and
alpaca-trade-api's `REST` (with `APCA_API_DATA_URL` pointing at /alpaca) read prices
here with the same key as the Trading API. Every price comes from the market
service, the same numbers /api/v1/market serves.

Choices where Alpaca's answer is not invsim's:
- Prices are JSON numbers, as Alpaca sends them; invsim's exact decimals are
  converted at the boundary (`marketdata_wire.number`) with no digit lost.
- Multi-symbol requests leave unknown symbols out (200, as Alpaca does); a
  single-symbol request for an unknown symbol is a 404 in Alpaca's error shape.
- Bad timeframe, dates, limit, sort, feed, symbol or page token: 422.
- `feed`, `adjustment` and `asof` are checked and ignored (one simulated or
  provider feed, no corporate actions); `currency` must be USD.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Response, jsonify, request

from invsim.brokerapi import marketdata_wire as wire
from invsim.brokerapi.blueprint import bp
from invsim.brokerapi.marketdata_bars import read_bars
from invsim.brokerapi.marketdata_query import (
    check_ignored,
    parse_bars_query,
    parse_symbol,
    parse_symbols,
)
from invsim.core.errors import NotFound, ServiceUnavailable
from invsim.market import service as market
from invsim.market.service import QuoteView

SNAPSHOT_LOOKBACK_DAYS = 20


def _args() -> dict[str, str]:
    return request.args.to_dict()


def _answer(payload: dict[str, Any]) -> Response:
    """A JSON answer; the payload is already plain (strings, floats, ints)."""
    return jsonify(payload)


def _listed(symbols: list[str]) -> dict[str, str]:
    """The listing venue of each listed symbol; unknown ones are left out."""
    venues: dict[str, str] = {}
    for symbol in symbols:
        try:
            venues[symbol] = market.get_instrument(symbol).exchange
        except NotFound:
            continue
    return venues


def _one_listed(text: str) -> tuple[str, str]:
    """A single-symbol route's symbol and venue; an unknown symbol is a 404."""
    symbol = parse_symbol(text)
    return symbol, market.get_instrument(symbol).exchange


def _quotes(symbols: list[str]) -> dict[str, QuoteView]:
    """Quotes of listed symbols; none available at all is an empty answer, not an error."""
    if not symbols:
        return {}
    try:
        return market.get_quotes(symbols)
    except ServiceUnavailable:
        return {}


@bp.get("/v2/stocks/bars")
def stock_bars() -> Response:
    """Bars of several symbols: `{"bars": {symbol: [...]}, "next_page_token"}`."""
    args = _args()
    symbols = parse_symbols(args.get("symbols"))
    result = read_bars(symbols, parse_bars_query(args))
    return _answer({"bars": {s: [wire.bar(b) for b in bars] for s, bars in result.bars.items()},
                    "next_page_token": result.next_page_token})


@bp.get("/v2/stocks/<symbol>/bars")
def symbol_bars(symbol: str) -> Response:
    """Bars of one symbol: `{"bars": [...], "symbol", "next_page_token"}`."""
    query = parse_bars_query(_args())
    listed, _ = _one_listed(symbol)
    result = read_bars([listed], query)
    return _answer({"bars": [wire.bar(b) for b in result.bars.get(listed, [])],
                    "symbol": listed, "next_page_token": result.next_page_token})


@bp.get("/v2/stocks/bars/latest")
def latest_bars() -> Response:
    """The latest minute bar of several symbols: `{"bars": {symbol: bar}}`."""
    check_ignored(_args())
    bars = {s: market.latest_bar(s, "1m") for s in _listed(parse_symbols(_args().get("symbols")))}
    return _answer({"bars": {s: wire.bar(b) for s, b in bars.items() if b is not None}})


@bp.get("/v2/stocks/<symbol>/bars/latest")
def latest_bar(symbol: str) -> Response:
    """The latest minute bar of one symbol: `{"symbol", "bar"}`."""
    check_ignored(_args())
    listed, _ = _one_listed(symbol)
    found = market.latest_bar(listed, "1m")
    if found is None:
        raise NotFound(f"no bar found for {listed}", code="bar_not_found")
    return _answer({"symbol": listed, "bar": wire.bar(found)})


@bp.get("/v2/stocks/quotes/latest")
def latest_quotes() -> Response:
    """The latest quote of several symbols: `{"quotes": {symbol: quote}}`."""
    check_ignored(_args())
    venues = _listed(parse_symbols(_args().get("symbols")))
    quotes = _quotes(list(venues))
    return _answer({"quotes": {s: wire.quote(q, venues[s]) for s, q in quotes.items()}})


@bp.get("/v2/stocks/<symbol>/quotes/latest")
def latest_quote(symbol: str) -> Response:
    """The latest quote of one symbol: `{"symbol", "quote"}` (503 when there is none)."""
    check_ignored(_args())
    listed, venue = _one_listed(symbol)
    return _answer({"symbol": listed, "quote": wire.quote(market.get_quote(listed), venue)})


@bp.get("/v2/stocks/trades/latest")
def latest_trades() -> Response:
    """The last price of several symbols as trades: `{"trades": {symbol: trade}}`."""
    check_ignored(_args())
    venues = _listed(parse_symbols(_args().get("symbols")))
    quotes = _quotes(list(venues))
    return _answer({"trades": {s: wire.trade(q, venues[s]) for s, q in quotes.items()}})


@bp.get("/v2/stocks/<symbol>/trades/latest")
def latest_trade(symbol: str) -> Response:
    """The last price of one symbol as a trade: `{"symbol", "trade"}`."""
    check_ignored(_args())
    listed, venue = _one_listed(symbol)
    return _answer({"symbol": listed, "trade": wire.trade(market.get_quote(listed), venue)})


@bp.get("/v2/stocks/snapshots")
def snapshots() -> Response:
    """Snapshots of several symbols, keyed by symbol at the top level (Alpaca's shape)."""
    check_ignored(_args())
    venues = _listed(parse_symbols(_args().get("symbols")))
    quotes = _quotes(list(venues))
    return _answer({s: _snapshot(s, quotes.get(s), venue) for s, venue in venues.items()})


@bp.get("/v2/stocks/<symbol>/snapshot")
def snapshot(symbol: str) -> Response:
    """The snapshot of one symbol: `{"symbol", "latestTrade", ...}`."""
    check_ignored(_args())
    listed, venue = _one_listed(symbol)
    return _answer({"symbol": listed,
                    **_snapshot(listed, _quotes([listed]).get(listed), venue)})


def _snapshot(symbol: str, quote: QuoteView | None, venue: str) -> dict[str, Any]:
    """Latest trade and quote, the minute bar, today's bar and the day before's."""
    daily = market.latest_bar(symbol, "1d")
    return wire.snapshot(quote, venue, market.latest_bar(symbol, "1m"), daily,
                         _previous_day(symbol, daily))


def _previous_day(symbol: str, daily: market.BarView | None) -> market.BarView | None:
    """The daily bar before `daily` (within a few weeks of it), or None."""
    if daily is None:
        return None
    before = daily.start - timedelta(microseconds=1)
    page = market.get_bars(symbol, "1d", before - timedelta(days=SNAPSHOT_LOOKBACK_DAYS),
                           before, limit=SNAPSHOT_LOOKBACK_DAYS + 1)
    return page.bars[-1] if page.bars else None
