"""Persisted bars of real providers: upsert without duplicates, read back oldest first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from invsim.extensions import db
from invsim.market.models import Bar as StoredBar
from invsim.market.providers.base import Bar, Interval

_UPDATED = ("open", "high", "low", "close", "volume", "source")


def upsert_bars(session: Session, bars: list[Bar], *, source: str) -> int:
    """Insert bars, updating the ones already stored (the last bar of a session can change)."""
    if not bars:
        return 0
    rows = [{"symbol": b.symbol, "interval": b.interval, "start": b.start, "open": b.open,
             "high": b.high, "low": b.low, "close": b.close, "volume": b.volume,
             "source": source} for b in bars]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(StoredBar.__table__)  # type: ignore[arg-type]
    statement = statement.on_conflict_do_update(
        index_elements=["symbol", "interval", "start"],
        set_={name: statement.excluded[name] for name in _UPDATED})
    session.execute(statement, rows)
    return len(rows)


def read_bars(symbol: str, interval: Interval, start: datetime, end: datetime) -> list[Bar]:
    """Return stored bars of `symbol` starting in [start, end], oldest first."""
    rows = db.session.scalars(
        select(StoredBar)
        .where(StoredBar.symbol == symbol, StoredBar.interval == interval,
               StoredBar.start >= start, StoredBar.start <= end)
        .order_by(StoredBar.start))
    return [Bar(symbol=r.symbol, interval=interval, start=r.start, open=r.open, high=r.high,
                low=r.low, close=r.close, volume=r.volume) for r in rows]


def latest_stored_start(symbol: str, interval: Interval) -> datetime | None:
    """Return when the newest stored bar of `symbol` starts, or None."""
    return db.session.scalar(
        select(StoredBar.start).where(StoredBar.symbol == symbol, StoredBar.interval == interval)
        .order_by(StoredBar.start.desc()).limit(1))
