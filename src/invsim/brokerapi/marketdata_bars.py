"""Bars of several symbols in Alpaca's pages: `limit` counts bars across symbols.

Alpaca pages a multi-symbol request symbol by symbol (in symbol order), each
symbol's bars by time, and one `next_page_token` resumes wherever the page
stopped, possibly inside a symbol. The market service pages one symbol at a time
(at most 5000 bars), so the token here wraps the market's own token with the
symbol it belongs to. `sort=desc` reverses each symbol's bars (symbols stay in
order), paging by offset within the symbol's range.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from invsim.brokerapi.marketdata_query import BarsQuery
from invsim.brokerapi.marketdata_wire import Cursor, decode_cursor, encode_cursor
from invsim.core.errors import NotFound
from invsim.market import service as market
from invsim.market.service import BarView

MARKET_PAGE = 5000  # the market service's largest page

Reader = Callable[[Cursor, BarsQuery, int], "tuple[list[BarView], Cursor | None]"]


@dataclass(frozen=True, slots=True)
class BarsResult:
    """One page: bars by symbol (symbols without bars in it are absent) and the token."""

    bars: dict[str, list[BarView]]
    next_page_token: str | None


def read_bars(symbols: list[str], query: BarsQuery) -> BarsResult:
    """Up to `query.limit` bars of `symbols`, from the page the token names.

    An unknown symbol is left out (Alpaca's multi-symbol answer; the single-symbol
    route checks the symbol first and answers 404).
    """
    cursor = (decode_cursor(query.page_token, query, symbols) if query.page_token
              else Cursor(symbols[0], None, 0, query.start, query.end))
    if cursor.start > cursor.end:
        return BarsResult({}, None)
    reader = _ascending if query.sort == "asc" else _descending
    found: dict[str, list[BarView]] = {}
    room = query.limit
    index = symbols.index(cursor.symbol)
    while room > 0:
        bars, after = _read(reader, cursor, query, room)
        if bars:
            found.setdefault(cursor.symbol, []).extend(bars)
        room -= len(bars)
        if after is not None:  # more of this symbol: on this page if it has room
            cursor = after
            if not bars:
                break
            continue
        index += 1
        if index == len(symbols):
            return BarsResult(found, None)
        cursor = Cursor(symbols[index], None, 0, cursor.start, cursor.end)
    return BarsResult(found, encode_cursor(cursor, query))


def _read(reader: Reader, cursor: Cursor, query: BarsQuery,
          room: int) -> tuple[list[BarView], Cursor | None]:
    try:
        return reader(cursor, query, room)
    except NotFound as error:
        if error.code != "unknown_symbol":
            raise
        return [], None


def _ascending(cursor: Cursor, query: BarsQuery, room: int) -> tuple[list[BarView], Cursor | None]:
    """One market page of the cursor's symbol, oldest first."""
    page = market.get_bars(cursor.symbol, query.interval, cursor.start, cursor.end,
                           min(room, MARKET_PAGE), cursor.inner)
    after = replace(cursor, inner=page.next_page_token) if page.next_page_token else None
    return list(page.bars), after


def _descending(cursor: Cursor, query: BarsQuery,
                room: int) -> tuple[list[BarView], Cursor | None]:
    """The symbol's bars newest first, `room` of them after the cursor's offset."""
    newest_first = list(reversed(_whole_range(cursor, query)))
    chunk = newest_first[cursor.offset:cursor.offset + room]
    sent = cursor.offset + len(chunk)
    return chunk, replace(cursor, offset=sent) if sent < len(newest_first) else None


def _whole_range(cursor: Cursor, query: BarsQuery) -> list[BarView]:
    """Every bar of the symbol in the range (bounded: the market caps a request's span)."""
    bars: list[BarView] = []
    token: str | None = None
    while True:
        page = market.get_bars(cursor.symbol, query.interval, cursor.start, cursor.end,
                               MARKET_PAGE, token)
        bars += page.bars
        token = page.next_page_token
        if token is None:
            return bars
