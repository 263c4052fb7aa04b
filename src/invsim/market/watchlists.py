"""Watchlists: each user's named lists of symbols. Another user's list answers 404."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from invsim.core.errors import Conflict, NotFound, ValidationFailed
from invsim.extensions import db
from invsim.market.instruments import require_known
from invsim.market.models import Watchlist, WatchlistItem
from invsim.market.symbols import normalise_symbol, normalise_symbols

MAX_WATCHLISTS = 50
MAX_SYMBOLS = 200
MAX_NAME = 64
MAX_ID = 2**31 - 1  # ids are 32-bit integers; larger ones cannot exist


def list_watchlists(*, user_id: int) -> list[Watchlist]:
    """Return the user's watchlists, oldest first."""
    return list(db.session.scalars(
        select(Watchlist).where(Watchlist.user_id == user_id).order_by(Watchlist.id)))


def get_watchlist(*, user_id: int, watchlist_id: int) -> Watchlist:
    """Return one of the user's watchlists; anyone else's is a 404."""
    return _owned(db.session(), user_id, watchlist_id)


def create_watchlist(*, user_id: int, name: str, symbols: list[str] | None = None) -> Watchlist:
    """Create a watchlist, optionally with symbols; the name is unique per user."""
    name = _checked_name(name)
    wanted = normalise_symbols(symbols, maximum=MAX_SYMBOLS) if symbols else []
    require_known(wanted)
    with db.transaction() as session:
        count = session.scalar(select(func.count()).where(Watchlist.user_id == user_id))
        if (count or 0) >= MAX_WATCHLISTS:
            raise ValidationFailed(f"A user keeps at most {MAX_WATCHLISTS} watchlists.",
                                   code="too_many_watchlists")
        watchlist = Watchlist(user_id=user_id, name=name)
        watchlist.items = [WatchlistItem(symbol=s, position=i) for i, s in enumerate(wanted)]
        session.add(watchlist)
        _flush_unique_name(session, name)
    return watchlist


def rename_watchlist(*, user_id: int, watchlist_id: int, name: str) -> Watchlist:
    """Rename one of the user's watchlists."""
    name = _checked_name(name)
    with db.transaction() as session:
        watchlist = _owned(session, user_id, watchlist_id)
        watchlist.name = name
        _flush_unique_name(session, name)
    return watchlist


def delete_watchlist(*, user_id: int, watchlist_id: int) -> None:
    """Delete one of the user's watchlists and its symbols."""
    with db.transaction() as session:
        watchlist = _owned(session, user_id, watchlist_id)
        session.delete(watchlist)


def add_symbol(*, user_id: int, watchlist_id: int, symbol: str) -> Watchlist:
    """Append a listed symbol to a watchlist; adding one already there changes nothing."""
    normalised = normalise_symbol(symbol)
    require_known([normalised])
    with db.transaction() as session:
        watchlist = _owned(session, user_id, watchlist_id, lock=True)
        if any(item.symbol == normalised for item in watchlist.items):
            return watchlist
        if len(watchlist.items) >= MAX_SYMBOLS:
            raise ValidationFailed(f"A watchlist holds at most {MAX_SYMBOLS} symbols.",
                                   code="watchlist_full")
        position = max((item.position for item in watchlist.items), default=-1) + 1
        watchlist.items.append(WatchlistItem(symbol=normalised, position=position))
    return watchlist


def remove_symbol(*, user_id: int, watchlist_id: int, symbol: str) -> Watchlist:
    """Remove a symbol from a watchlist; a symbol not on it is a 404."""
    normalised = normalise_symbol(symbol)
    with db.transaction() as session:
        watchlist = _owned(session, user_id, watchlist_id, lock=True)
        item = next((i for i in watchlist.items if i.symbol == normalised), None)
        if item is None:
            raise NotFound(f"{normalised} is not on this watchlist.",
                           code="symbol_not_in_watchlist", details={"symbol": normalised})
        watchlist.items.remove(item)
    return watchlist


def watchlist_symbols() -> list[str]:
    """Return every symbol on any watchlist, most watched first."""
    rows = db.session.execute(
        select(WatchlistItem.symbol, func.count().label("n"))
        .group_by(WatchlistItem.symbol).order_by(func.count().desc(), WatchlistItem.symbol))
    return [symbol for symbol, _ in rows]


def _checked_name(name: str) -> str:
    """Trim a watchlist name and refuse empty, overlong or control-character names."""
    cleaned = name.strip()
    if not 1 <= len(cleaned) <= MAX_NAME or any(ord(ch) < 32 or ord(ch) == 127 for ch in cleaned):
        raise ValidationFailed(f"A watchlist name is 1 to {MAX_NAME} printable characters.",
                               code="invalid_name")
    return cleaned


def _owned(session: Session, user_id: int, watchlist_id: int, *,
           lock: bool = False) -> Watchlist:
    """Load a watchlist of this user, or answer 404 as if it did not exist."""
    if not 0 < watchlist_id <= MAX_ID:
        raise NotFound("No such watchlist.", code="watchlist_not_found",
                       details={"id": watchlist_id})
    query = select(Watchlist).where(Watchlist.id == watchlist_id, Watchlist.user_id == user_id)
    watchlist = session.scalar(query.with_for_update() if lock else query)
    if watchlist is None:
        raise NotFound("No such watchlist.", code="watchlist_not_found",
                       details={"id": watchlist_id})
    return watchlist


def _flush_unique_name(session: Session, name: str) -> None:
    """Write pending changes; a name the user already uses is a 409."""
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("You already have a watchlist with this name.",
                       code="watchlist_name_taken", details={"name": name}) from None
