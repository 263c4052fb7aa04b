"""The market domain's use-cases: the one module other domains call.

Instruments, quotes, bars, the clock and watchlists live in their own modules; this
module gathers them and adds the budgeted refresh of real-provider data.
"""

from __future__ import annotations

from collections.abc import Iterable

from invsim.core.clock import utcnow
from invsim.market.bars import BarsPage, get_bars, latest_bar
from invsim.market.clock import ClockView, Session, market_clock, trading_sessions
from invsim.market.corporate_actions import corporate_actions
from invsim.market.fetch import fetcher
from invsim.market.instruments import (
    get_instrument,
    known_symbols,
    list_instruments,
    search_instruments,
)
from invsim.market.provider import is_simulated
from invsim.market.providers.base import BarView, CorporateAction
from invsim.market.quote_store import quote_cache
from invsim.market.quotes import QuoteView, get_quote, get_quotes
from invsim.market.ticks import CHANNEL as QUOTES_CHANNEL
from invsim.market.ticks import publish_ticks, register_interest, watched_symbols
from invsim.market.watchlists import (
    add_symbol,
    create_watchlist,
    delete_watchlist,
    get_watchlist,
    list_watchlists,
    remove_symbol,
    rename_watchlist,
    watchlist_symbols,
)

__all__ = [
    "QUOTES_CHANNEL",
    "BarView", "BarsPage", "ClockView", "CorporateAction", "QuoteView", "Session", "add_symbol",
    "backfill_daily_bars", "corporate_actions",
    "create_watchlist", "delete_watchlist", "get_bars", "get_instrument", "get_quote",
    "get_quotes", "get_watchlist", "known_symbols", "latest_bar", "list_instruments",
    "list_watchlists", "market_clock", "publish_ticks", "refresh_real_quotes",
    "register_interest", "remove_symbol",
    "rename_watchlist", "search_instruments", "trading_sessions", "watched_symbols",
    "watchlist_symbols",
]


def refresh_real_quotes(priority_tiers: list[list[str]]) -> int:
    """Refresh real quotes that are no longer fresh, tier by tier, within the request budget.

    Tier 1 should be symbols in open orders and held positions, then watchlists, then the
    rest. Returns how many quotes were fetched; the simulated market needs none (0).
    """
    if is_simulated():
        return 0
    ordered = _listed_in_order(symbol for tier in priority_tiers for symbol in tier)
    now = utcnow()
    cached = quote_cache().read(ordered) if ordered else {}
    due = [s for s in ordered if s not in cached or not cached[s].is_fresh(now)]
    return len(fetcher().refresh_quotes(due)) if due else 0


def backfill_daily_bars(symbols: list[str]) -> int:
    """Store missing recent daily bars of real-provider symbols within the budget; count them."""
    if is_simulated():
        return 0
    listed = _listed_in_order(symbols)
    return fetcher().backfill_daily(listed) if listed else 0


def _listed_in_order(symbols: Iterable[str]) -> list[str]:
    """Keep listed symbols (normalised), first occurrence first."""
    known = known_symbols()
    return [s for s in dict.fromkeys(raw.strip().upper() for raw in symbols) if s in known]
