"""The live strategies table: a built-in strategy with its parameters attached to a portfolio.

A row is evaluated by the scheduled job on each new daily bar (`backtest.live`).
`last_bar_at` is the start of the last bar the strategy decided on: the job claims
a bar with a guarded UPDATE of it, so a bar is decided at most once even when two
jobs run at the same time or a task is retried.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from invsim.core.clock import utcnow
from invsim.db import Base, UTCDateTime

STATUSES = ("active", "paused", "stopped", "error")


class LiveStrategy(Base):
    """One strategy running live on a paper portfolio."""

    __tablename__ = "live_strategies"
    __table_args__ = (
        CheckConstraint("status IN ('active', 'paused', 'stopped', 'error')", name="status"),
        Index("ix_live_strategies_status", "status"),
        Index("ix_live_strategies_portfolio", "portfolio_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    portfolio_id: Mapped[int] = mapped_column(ForeignKey("portfolios.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    strategy: Mapped[str] = mapped_column(String(32))
    # The resolved parameters as JSON-ready values (decimals as strings).
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    symbols: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(8), default="active")
    # The first bar the strategy decides on: the latest complete bar when it was attached.
    start_bar_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_bar_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    orders_placed: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
