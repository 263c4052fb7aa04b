"""Database models of the challenges domain: challenges, participants and ranked standings.

Standings are derived, never entered: each `StandingRun` is one ranking of a
challenge at one instant, computed from the ledger and prices, and its
`StandingSnapshot` rows are immutable. The final run (`is_final`) is unique per
challenge, so a late or repeated job cannot write a second set of final standings.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from invsim.core.clock import utcnow
from invsim.db import Base, Money, Rate, ScaledDecimal, UTCDateTime

VISIBILITIES = ("public", "private")
STATS_SCALE = 12  # running sums of interval returns keep 12 decimals


def Stat() -> ScaledDecimal:
    """Column of a running return statistic, exact to 12 decimals."""
    return ScaledDecimal(STATS_SCALE)


class Challenge(Base):
    """A competition: who runs it, when, with how much cash and under which rules.

    `rules` holds the validated `ChallengeRules` as JSON (amounts as strings).
    `finalized_at` is set once, when the final standings are written.
    """

    __tablename__ = "challenges"
    __table_args__ = (
        CheckConstraint("visibility IN ('public', 'private')", name="visibility"),
        CheckConstraint("visibility = 'public' OR invite_code IS NOT NULL",
                        name="private_has_invite_code"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("starting_cash > 0", name="starting_cash_positive"),
        Index("ix_challenges_starts_at", "starts_at"),
        Index("ix_challenges_ends_at", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str] = mapped_column(String(8), default="public")
    invite_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    starting_cash: Mapped[Decimal] = mapped_column(Money())
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    finalized_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Participant(Base):
    """A user taking part in a challenge, and the portfolio they trade it with.

    A user joins a challenge once (unique). The portfolio is opened when the
    challenge starts (or at once for a late entry), so nothing can be traded before.
    """

    __tablename__ = "challenge_participants"
    __table_args__ = (
        UniqueConstraint("challenge_id", "user_id"),
        UniqueConstraint("portfolio_id"),
        Index("ix_challenge_participants_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    portfolio_id: Mapped[int | None] = mapped_column(
        ForeignKey("portfolios.id", ondelete="SET NULL"), nullable=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StandingRun(Base):
    """One ranking of a challenge at `computed_at` (prices as of `computed_at`)."""

    __tablename__ = "challenge_standing_runs"
    __table_args__ = (
        UniqueConstraint("challenge_id", "computed_at"),
        Index("uq_challenge_standing_runs_final", "challenge_id", unique=True,
              postgresql_where=text("is_final"), sqlite_where=text("is_final")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    is_final: Mapped[bool] = mapped_column(Boolean, default=False)
    participant_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StandingSnapshot(Base):
    """One player's place in one run, with the running statistics the next run continues.

    `metric` is the figure ranked on (return, or Sharpe ratio); `disqualified`
    marks a player past the challenge's drawdown limit (ranked after everyone
    else). `peak_equity`, `max_drawdown` and the sums of interval returns carry
    the history forward so a run never re-reads older runs.
    """

    __tablename__ = "challenge_standings"
    __table_args__ = (
        ForeignKeyConstraint(["challenge_id", "computed_at"],
                             ["challenge_standing_runs.challenge_id",
                              "challenge_standing_runs.computed_at"], ondelete="CASCADE"),
        UniqueConstraint("challenge_id", "computed_at", "rank"),
        CheckConstraint("rank >= 1", name="rank_positive"),
        Index("ix_challenge_standings_user", "challenge_id", "user_id", "computed_at"),
    )

    challenge_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(Integer)
    rank: Mapped[int] = mapped_column(Integer)
    equity: Mapped[Decimal] = mapped_column(Money())
    total_return: Mapped[Decimal] = mapped_column(Rate())
    metric: Mapped[Decimal | None] = mapped_column(Rate(), nullable=True)
    disqualified: Mapped[bool] = mapped_column(Boolean, default=False)
    peak_equity: Mapped[Decimal] = mapped_column(Money())
    max_drawdown: Mapped[Decimal] = mapped_column(Rate())
    return_count: Mapped[int] = mapped_column(Integer, default=0)
    return_sum: Mapped[Decimal] = mapped_column(Stat())
    return_sq_sum: Mapped[Decimal] = mapped_column(Stat())
