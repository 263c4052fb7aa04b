"""Thin periodic jobs of the market domain (listed in invsim.jobs.JOBS).

Each is idempotent and safe on two workers at once: a short lock in the shared store lets
one worker do a period's work; the other finds the lock taken and returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import current_app

from invsim.core.clock import utcnow
from invsim.extensions import stores
from invsim.market import service
from invsim.market.provider import cache_namespace, is_simulated, settings


def tick() -> int:
    """Advance the simulated market one tick: publish the quotes open streams watch."""
    seconds = settings().market_tick_seconds
    period = int(utcnow().timestamp()) // seconds
    if not stores.kv.set_if_absent(f"mkt:lock:tick:{cache_namespace()}:{period}", "1",
                                   2 * seconds):
        return 0
    return service.publish_ticks()


def refresh_real_quotes() -> int:
    """Spend the real provider's budget on quotes: holdings and orders, watchlists, streams."""
    if is_simulated() or not stores.kv.set_if_absent("mkt:lock:refresh", "1", 50):
        return 0
    tiers = [symbols_in_use(), service.watchlist_symbols(), service.watched_symbols()]
    return service.refresh_real_quotes(tiers)


def backfill_daily_bars() -> int:
    """Store recent daily bars of instruments in use (real provider only)."""
    if is_simulated() or not stores.kv.set_if_absent("mkt:lock:backfill", "1", 3600):
        return 0
    return service.backfill_daily_bars([*symbols_in_use(), *service.watchlist_symbols()])


SYMBOLS_IN_USE = "invsim.symbols_in_use"  # app.extensions key of the source the app wires in
SymbolSource = Callable[[], Iterable[str]]


def symbols_in_use() -> list[str]:
    """Symbols in open orders and held positions, from the source `create_app` wired in.

    Trading imports the market domain, so the market never imports trading back:
    the app hands it trading's `symbols_in_use` (no source wired: none in use).
    """
    source: SymbolSource | None = current_app.extensions.get(SYMBOLS_IN_USE)
    return list(source()) if source is not None else []
