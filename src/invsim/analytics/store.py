"""Reading and writing equity snapshots (the analytics domain's own table).

Writes are idempotent upserts on (portfolio_id, kind, at): the same snapshot
written twice, or by two workers at once, is stored once. Helpers only flush
through the session they are given; the calling use-case commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from invsim.analytics.history import EquityPoint
from invsim.analytics.models import EquitySnapshot
from invsim.core.clock import utcnow
from invsim.extensions import db

_VALUES = ("generation", "cash", "long_market_value", "short_market_value", "equity",
           "net_cash_flow", "source")


_POINT_COLUMNS = (EquitySnapshot.at, EquitySnapshot.generation, EquitySnapshot.cash,
                  EquitySnapshot.long_market_value, EquitySnapshot.short_market_value,
                  EquitySnapshot.equity, EquitySnapshot.net_cash_flow)


def stored_points(
    portfolio_id: int, kind: str, start: datetime, end: datetime
) -> list[EquityPoint]:
    """Return the portfolio's snapshots of `kind` with start <= at <= end, oldest first."""
    # Columns, not entities: a year of closes is read on every history request.
    rows = db.session.execute(
        select(*_POINT_COLUMNS).where(EquitySnapshot.portfolio_id == portfolio_id,
                                      EquitySnapshot.kind == kind,
                                      EquitySnapshot.at >= start, EquitySnapshot.at <= end)
        .order_by(EquitySnapshot.at))
    return [EquityPoint(*row) for row in rows]


def latest_at(kind: str, portfolio_ids: Iterable[int] | None = None) -> dict[int, datetime]:
    """Return when each portfolio's latest snapshot of `kind` was taken."""
    query = (select(EquitySnapshot.portfolio_id, func.max(EquitySnapshot.at))
             .where(EquitySnapshot.kind == kind).group_by(EquitySnapshot.portfolio_id))
    if portfolio_ids is not None:
        query = query.where(EquitySnapshot.portfolio_id.in_(list(portfolio_ids)))
    # MAX() keeps the column's type, so instants come back aware on both backends.
    return {int(pid): at for pid, at in db.session.execute(query).all()}


def row_of(portfolio_id: int, kind: str, point: EquityPoint, source: str) -> dict[str, Any]:
    """Return the insert values of one snapshot."""
    return {"portfolio_id": portfolio_id, "kind": kind, "at": point.at,
            "generation": point.generation, "cash": point.cash,
            "long_market_value": point.long_market_value,
            "short_market_value": point.short_market_value, "equity": point.equity,
            "net_cash_flow": point.net_cash_flow, "source": source, "created_at": utcnow()}


def upsert(session: Session, rows: Sequence[dict[str, Any]], *, replace: bool = False) -> int:
    """Insert snapshots; an existing (portfolio, kind, at) is kept, or replaced when asked."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(EquitySnapshot)
    keys = ["portfolio_id", "kind", "at"]
    if replace:
        statement = statement.on_conflict_do_update(
            index_elements=keys, set_={name: statement.excluded[name] for name in _VALUES})
    else:
        statement = statement.on_conflict_do_nothing(index_elements=keys)
    session.execute(statement, list(rows))
    return len(rows)
