"""Reading and writing equity snapshots (the analytics domain's own table).

Writes are idempotent upserts on (portfolio_id, kind, at): the same snapshot
written twice, or by two workers at once, is stored once. Helpers only flush
through the session they are given; the calling use-case commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, func, select
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


def taken_at(session: Session, kind: str, at: datetime) -> list[int]:
    """Return the portfolios that already have a snapshot of `kind` at `at`."""
    return list(session.scalars(select(EquitySnapshot.portfolio_id).where(
        EquitySnapshot.kind == kind, EquitySnapshot.at == at)))


def latest_before(kind: str, at: datetime, *, since: datetime) -> dict[int, datetime]:
    """Return each portfolio's latest snapshot of `kind` in [since, at) (none: left out)."""
    query = (select(EquitySnapshot.portfolio_id, func.max(EquitySnapshot.at))
             .where(EquitySnapshot.kind == kind, EquitySnapshot.at >= since,
                    EquitySnapshot.at < at)
             .group_by(EquitySnapshot.portfolio_id))
    # MAX() keeps the column's type, so instants come back aware on both backends.
    return {int(pid): found for pid, found in db.session.execute(query).all()}


def prune(session: Session, kind: str, before: datetime) -> None:
    """Delete the snapshots of `kind` taken before `before`."""
    session.execute(delete(EquitySnapshot).where(EquitySnapshot.kind == kind,
                                                 EquitySnapshot.at < before))


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
    # The table, not the entity: Core executemany skips the ORM's per-row bookkeeping.
    statement = insert(cast(Table, EquitySnapshot.__table__))
    keys = ["portfolio_id", "kind", "at"]
    if replace:
        statement = statement.on_conflict_do_update(
            index_elements=keys, set_={name: statement.excluded[name] for name in _VALUES})
    else:
        statement = statement.on_conflict_do_nothing(index_elements=keys)
    session.execute(statement, list(rows))
    return len(rows)
