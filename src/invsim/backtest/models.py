"""Database model of the backtest domain: one saved run (its request, provenance and result).

A run is a derived record, not a ledger fact: it never moves money. Its
request and provenance say exactly what was run (data source and range, the
simulated market's seed, strategy and parameters, engine version) so a run can
be reproduced; its result is kept compact (daily points, capped lists).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from invsim.core.clock import utcnow
from invsim.db import Base, UTCDateTime

BigId = BigInteger().with_variant(Integer, "sqlite")

STATUSES = ("queued", "running", "done", "failed")
ACTIVE_STATUSES = ("queued", "running")
KINDS = ("run", "sweep", "walk_forward")


class BacktestRun(Base):
    """A user's backtest: queued, running, done (with a result) or failed (with an error)."""

    __tablename__ = "backtest_runs"
    __table_args__ = (
        # The list is "this user's runs, newest first"; the limits count a user's active runs.
        Index("ix_backtest_runs_user_id_id", "user_id", "id"),
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
        CheckConstraint("kind IN ('run', 'sweep', 'walk_forward')", name="kind"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_range"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(8), default="queued")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(12))
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    provenance: Mapped[dict[str, Any]] = mapped_column(JSON)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
