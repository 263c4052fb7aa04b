"""HTTP endpoints of the market domain: instruments, quotes, bars, clock, stream, watchlists.

Market data is public (no token): prices are not personal, and browsers' EventSource
cannot send an Authorization header. Watchlists belong to a user and need a token.
"""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from flask import Response

from invsim.market import service
from invsim.market.schemas import (
    BarOut,
    BarsOut,
    BarsQuery,
    ClockOut,
    CorporateActionOut,
    CorporateActionsOut,
    CorporateActionsQuery,
    InstrumentListOut,
    InstrumentOut,
    InstrumentSearchQuery,
    QuoteOut,
    QuotesOut,
    QuotesQuery,
    StreamQuery,
    WatchlistIn,
    WatchlistListOut,
    WatchlistOut,
    WatchlistPatch,
    WatchlistSymbolIn,
)
from invsim.market.stream import open_stream
from invsim.market.symbols import split_symbol_list
from invsim.users.auth import current_user, token_auth

bp = APIBlueprint("market", __name__, url_prefix="/api/v1", tag="Market")

BAD_SYMBOL = {422: "Invalid symbol (letters, digits, dot, dash; 12 at most) or query"}
UNKNOWN = {404: "Unknown symbol (`unknown_symbol`)"}
NO_QUOTE = {503: "No price available and none cached (`quote_unavailable`)"}
OWNED = {401: "Missing or invalid token", 404: "No such watchlist (or another user's)"}
WATCHLISTS = ["Watchlists"]
SSE_RESPONSE: dict[str, Any] = {
    "description": "text/event-stream: `event: quote` with a JSON quote per update, after a "
                   "snapshot of the current quotes; a comment line every 15 s keeps it open",
    "content": {"text/event-stream": {"schema": {"type": "string"}}},
}


@bp.get("/market/instruments")
@bp.input(InstrumentSearchQuery, location="query", arg_name="query")
@bp.output(InstrumentListOut)
@bp.doc(summary="Search instruments by symbol or name", responses={**BAD_SYMBOL})
def search_instruments(query: InstrumentSearchQuery) -> InstrumentListOut:
    """Return instruments matching `q` by symbol prefix or words of the name, best first."""
    found = service.search_instruments(query.q, query.limit)
    return InstrumentListOut(instruments=[InstrumentOut.model_validate(i) for i in found])


@bp.get("/market/instruments/<symbol>")
@bp.output(InstrumentOut)
@bp.doc(summary="One instrument", responses={**UNKNOWN, **BAD_SYMBOL})
def get_instrument(symbol: str) -> InstrumentOut:
    """Return the facts about a listed symbol (any case)."""
    return InstrumentOut.model_validate(service.get_instrument(symbol))


@bp.get("/market/instruments/<symbol>/corporate-actions")
@bp.input(CorporateActionsQuery, location="query", arg_name="query")
@bp.output(CorporateActionsOut)
@bp.doc(summary="Dividends and splits of one instrument", responses={
    **UNKNOWN, 422: "Invalid symbol or dates; start after end; range longer than 30 years"})
def get_corporate_actions(symbol: str, query: CorporateActionsQuery) -> CorporateActionsOut:
    """Return the declared dividends and splits going ex between `start` and `end`."""
    actions = service.corporate_actions(symbol, query.start, query.end)
    return CorporateActionsOut(symbol=symbol.strip().upper(), actions=[
        CorporateActionOut.model_validate(a) for a in actions])


@bp.get("/market/quotes")
@bp.input(QuotesQuery, location="query", arg_name="query")
@bp.output(QuotesOut)
@bp.doc(summary="Quotes of up to 100 symbols",
        responses={**UNKNOWN, 422: "Invalid symbol, none, or more than 100", **NO_QUOTE})
def get_quotes(query: QuotesQuery) -> QuotesOut:
    """Return quotes keyed by symbol; symbols with no price at all are listed as unavailable."""
    symbols = split_symbol_list(query.symbols)
    quotes = service.get_quotes(symbols)
    return QuotesOut(quotes={s: QuoteOut.model_validate(q) for s, q in quotes.items()},
                     unavailable=[s for s in symbols if s not in quotes])


@bp.get("/market/quotes/<symbol>")
@bp.output(QuoteOut)
@bp.doc(summary="Quote of one symbol", responses={**UNKNOWN, **BAD_SYMBOL, **NO_QUOTE})
def get_quote(symbol: str) -> QuoteOut:
    """Return the latest quote, marked stale with its age when the provider lags."""
    return QuoteOut.model_validate(service.get_quote(symbol))


@bp.get("/market/bars/<symbol>")
@bp.input(BarsQuery, location="query", arg_name="query")
@bp.output(BarsOut)
@bp.doc(summary="Price history (OHLCV), oldest first, paginated", responses={
    **UNKNOWN, 422: "Invalid symbol, interval, dates, limit, page token; start after end; "
                    "range longer than the interval allows",
    503: "The real provider has no bars for this interval (`interval_unavailable`)"})
def get_bars(symbol: str, query: BarsQuery) -> BarsOut:
    """Return up to `limit` bars from `start` to `end` (default: a span ending now)."""
    page = service.get_bars(symbol, query.interval, query.start, query.end, query.limit,
                            query.page_token, adjusted=query.adjusted)
    bars = [BarOut(t=b.start, o=b.open, h=b.high, l=b.low, c=b.close, v=b.volume)
            for b in page.bars]
    return BarsOut(symbol=page.symbol, interval=page.interval, bars=bars,
                   next_page_token=page.next_page_token)


@bp.get("/market/clock")
@bp.output(ClockOut)
@bp.doc(summary="Market clock")
def get_clock() -> ClockOut:
    """Tell whether the market is open and when it next opens and closes."""
    return ClockOut.model_validate(service.market_clock())


@bp.get("/market/stream")
@bp.input(StreamQuery, location="query", arg_name="query")
@bp.doc(summary="Live quotes (Server-Sent Events)", responses={  # type: ignore[arg-type]
    200: SSE_RESPONSE, **UNKNOWN, 422: "Invalid symbol, none, or more than 100"})
def stream_quotes(query: StreamQuery) -> Response:
    """Stream quote updates of up to 100 symbols; served by the stream process in production."""
    events = open_stream(split_symbol_list(query.symbols))
    return Response(events, mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@bp.get("/watchlists")
@bp.auth_required(token_auth)
@bp.output(WatchlistListOut)
@bp.doc(summary="Your watchlists", tags=WATCHLISTS, responses={401: OWNED[401]})
def list_watchlists() -> WatchlistListOut:
    """Return the signed-in user's watchlists."""
    found = service.list_watchlists(user_id=current_user().id)
    return WatchlistListOut(watchlists=[WatchlistOut.model_validate(w) for w in found])


@bp.post("/watchlists")
@bp.auth_required(token_auth)
@bp.input(WatchlistIn, arg_name="body")
@bp.output(WatchlistOut, status_code=201)
@bp.doc(summary="Create a watchlist", tags=WATCHLISTS, responses={
    401: OWNED[401], **UNKNOWN, 409: "You already have a watchlist with this name",
    422: "Invalid name or symbol, or too many watchlists"})
def create_watchlist(body: WatchlistIn) -> WatchlistOut:
    """Create a watchlist, optionally with symbols."""
    created = service.create_watchlist(user_id=current_user().id, name=body.name,
                                       symbols=body.symbols)
    return WatchlistOut.model_validate(created)


@bp.get("/watchlists/<int:watchlist_id>")
@bp.auth_required(token_auth)
@bp.output(WatchlistOut)
@bp.doc(summary="One watchlist", tags=WATCHLISTS, responses=OWNED)
def get_watchlist(watchlist_id: int) -> WatchlistOut:
    """Return one of your watchlists."""
    found = service.get_watchlist(user_id=current_user().id, watchlist_id=watchlist_id)
    return WatchlistOut.model_validate(found)


@bp.patch("/watchlists/<int:watchlist_id>")
@bp.auth_required(token_auth)
@bp.input(WatchlistPatch, arg_name="body")
@bp.output(WatchlistOut)
@bp.doc(summary="Rename a watchlist", tags=WATCHLISTS, responses={
    **OWNED, 409: "You already have a watchlist with this name", 422: "Invalid name"})
def rename_watchlist(watchlist_id: int, body: WatchlistPatch) -> WatchlistOut:
    """Rename one of your watchlists."""
    renamed = service.rename_watchlist(user_id=current_user().id, watchlist_id=watchlist_id,
                                       name=body.name)
    return WatchlistOut.model_validate(renamed)


@bp.delete("/watchlists/<int:watchlist_id>")
@bp.auth_required(token_auth)
@bp.output({}, status_code=204)
@bp.doc(summary="Delete a watchlist", tags=WATCHLISTS, responses=OWNED)
def delete_watchlist(watchlist_id: int) -> tuple[str, int]:
    """Delete one of your watchlists."""
    service.delete_watchlist(user_id=current_user().id, watchlist_id=watchlist_id)
    return "", 204


@bp.post("/watchlists/<int:watchlist_id>/symbols")
@bp.auth_required(token_auth)
@bp.input(WatchlistSymbolIn, arg_name="body")
@bp.output(WatchlistOut)
@bp.doc(summary="Add a symbol to a watchlist", tags=WATCHLISTS, responses={
    401: OWNED[401], 404: "No such watchlist, or unknown symbol",
    422: "Invalid symbol, or the watchlist is full"})
def add_watchlist_symbol(watchlist_id: int, body: WatchlistSymbolIn) -> WatchlistOut:
    """Append a symbol (adding one already there changes nothing)."""
    updated = service.add_symbol(user_id=current_user().id, watchlist_id=watchlist_id,
                                 symbol=body.symbol)
    return WatchlistOut.model_validate(updated)


@bp.delete("/watchlists/<int:watchlist_id>/symbols/<symbol>")
@bp.auth_required(token_auth)
@bp.output(WatchlistOut)
@bp.doc(summary="Remove a symbol from a watchlist", tags=WATCHLISTS, responses={
    401: OWNED[401], 404: "No such watchlist, or the symbol is not on it", **BAD_SYMBOL})
def remove_watchlist_symbol(watchlist_id: int, symbol: str) -> WatchlistOut:
    """Remove a symbol from one of your watchlists."""
    updated = service.remove_symbol(user_id=current_user().id, watchlist_id=watchlist_id,
                                    symbol=symbol)
    return WatchlistOut.model_validate(updated)
