"""Database models of the analytics domain: equity snapshots.

A snapshot is a derived figure, not a fact: it can always be rebuilt from the
ledger (fills and cash entries) and the price history. Snapshots are written
by the snapshot job (intraday samples while the market is open, and one close
per session) and read back to draw the equity curve quickly.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from invsim.core.clock import utcnow
from invsim.db import Base, Money, UTCDateTime

BigId = BigInteger().with_variant(Integer, "sqlite")

SNAPSHOT_KINDS = ("intraday", "close")
SNAPSHOT_SOURCES = ("quotes", "ledger")


class EquitySnapshot(Base):
    """A portfolio's cash, market values and equity at one instant.

    `kind` is `intraday` (a sample every `snapshot_interval_seconds`, at the
    start of its interval) or `close` (at a session's close instant).
    `short_market_value` is the size of the short book (≥ 0), so
    `equity = cash + long_market_value − short_market_value`.
    `net_cash_flow` is the net external flow (deposits, resets) booked after the
    previous snapshot of the same kind and at or before `at`. `source` says how
    it was valued: `quotes` (live prices when the job ran) or `ledger` (rebuilt
    from the facts and daily closes).
    """

    __tablename__ = "equity_snapshots"
    __table_args__ = (
        UniqueConstraint("portfolio_id", "kind", "at"),
        # The job asks "who has a snapshot of this kind at (or after) this instant?".
        Index("ix_equity_snapshots_kind_at", "kind", "at"),
        CheckConstraint("kind IN ('intraday', 'close')", name="kind"),
        CheckConstraint("source IN ('quotes', 'ledger')", name="source"),
        CheckConstraint("long_market_value >= 0", name="long_not_negative"),
        CheckConstraint("short_market_value >= 0", name="short_not_negative"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    portfolio_id: Mapped[int] = mapped_column(ForeignKey("portfolios.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    generation: Mapped[int] = mapped_column(Integer)
    cash: Mapped[Decimal] = mapped_column(Money())
    long_market_value: Mapped[Decimal] = mapped_column(Money())
    short_market_value: Mapped[Decimal] = mapped_column(Money())
    equity: Mapped[Decimal] = mapped_column(Money())
    net_cash_flow: Mapped[Decimal] = mapped_column(Money())
    source: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
