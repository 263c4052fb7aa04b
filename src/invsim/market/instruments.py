"""Instruments: look-up by symbol, search, and the set of symbols this market knows."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from invsim.core.errors import NotFound, ValidationFailed
from invsim.extensions import db
from invsim.market.models import Instrument
from invsim.market.symbols import normalise_symbol
from invsim.market.universe import load_universe

MAX_SEARCH_LIMIT = 50
_KNOWN_TTL_SECONDS = 300.0

_known_lock = threading.Lock()
_known: dict[str, tuple[float, frozenset[str]]] = {}


def get_instrument(symbol: str) -> Instrument:
    """Return the instrument for `symbol` (any case); unknown symbols are a 404."""
    normalised = normalise_symbol(symbol)
    instrument = db.session.scalar(select(Instrument).where(Instrument.symbol == normalised))
    if instrument is None:
        raise unknown_symbol(normalised)
    return instrument


def unknown_symbol(*symbols: str) -> NotFound:
    """Build the 404 for symbols the market does not list."""
    listed = ", ".join(symbols)
    return NotFound(f"No instrument is listed as {listed}.", code="unknown_symbol",
                    details={"symbols": list(symbols)})


def search_instruments(text: str, limit: int = 10) -> list[Instrument]:
    """Return up to `limit` instruments matching `text` by symbol or name, best first."""
    text = text.strip()
    if not text or len(text) > 64:
        raise ValidationFailed("Search for 1 to 64 characters.", code="invalid_query")
    if not 1 <= limit <= MAX_SEARCH_LIMIT:
        raise ValidationFailed(f"The limit is 1 to {MAX_SEARCH_LIMIT}.", code="invalid_limit")
    ranked = [match.symbol for match in load_universe().search(text, limit)]
    if not ranked:
        return []
    rows = db.session.scalars(select(Instrument).where(Instrument.symbol.in_(ranked)))
    by_symbol = {row.symbol: row for row in rows}
    return [by_symbol[symbol] for symbol in ranked if symbol in by_symbol]


def list_instruments(*, asset_class: str | None = None,
                     exchange: str | None = None) -> list[Instrument]:
    """Return every listed instrument by symbol, optionally of one class or exchange."""
    query = select(Instrument).order_by(Instrument.symbol)
    if asset_class is not None:
        query = query.where(Instrument.asset_class == asset_class)
    if exchange is not None:
        query = query.where(Instrument.exchange == exchange)
    return list(db.session.scalars(query))


def known_symbols() -> frozenset[str]:
    """Return every listed symbol (read from the database, kept a few minutes per process)."""
    url = str(db.engine.url) if db.engine is not None else ""
    cached = _known.get(url)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    with _known_lock:
        symbols = frozenset(db.session.scalars(select(Instrument.symbol)))
        _known[url] = (time.monotonic() + _KNOWN_TTL_SECONDS, symbols)
    return symbols


def require_known(symbols: list[str]) -> None:
    """Raise a 404 naming every symbol that is not listed."""
    known = known_symbols()
    missing = [symbol for symbol in symbols if symbol not in known]
    if missing:
        raise unknown_symbol(*missing)


def sync_instruments() -> int:
    """Add instruments of the packaged universe that the database lacks; return how many."""
    with db.transaction() as session:
        present = set(session.scalars(select(Instrument.symbol)))
        added = [Instrument(symbol=info.symbol, name=info.name, exchange=info.exchange,
                            sector=info.sector, industry=info.industry,
                            asset_class=info.asset_class, tradable=info.tradable,
                            shortable=info.shortable, fractionable=info.fractionable)
                 for info in (listing.info for listing in load_universe().listings)
                 if info.symbol not in present]
        session.add_all(added)
    _known.clear()
    return len(added)
