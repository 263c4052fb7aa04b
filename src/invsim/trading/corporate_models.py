"""Database models of corporate actions applied to the book.

`CorporateActionRun` makes each stage of an action (a dividend's ex-date and pay date, a
split's ex-date) happen once: its (action, stage) key is unique, and the row is written in
the transaction that applies the stage. `DividendEntitlement` is what a portfolio is owed
(or owes, when short) from the ex-date on, and points at the cash entry that paid it.
`SplitAdjustment` is the fact the ledger check replays: from `after_fill_id` on, the
position's lots count `ratio` times the shares at 1/ratio the price.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from invsim.core.clock import utcnow
from invsim.db import Base, Money, Price, Quantity, UTCDateTime

BigId = BigInteger().with_variant(Integer, "sqlite")


class CorporateActionRun(Base):
    """One stage of one corporate action, applied to every portfolio (once)."""

    __tablename__ = "corporate_action_runs"
    __table_args__ = (UniqueConstraint("action_key", "stage"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    action_key: Mapped[str] = mapped_column(String(48))  # symbol:kind:ex-date
    stage: Mapped[str] = mapped_column(String(8))  # "ex" or "pay"
    symbol: Mapped[str] = mapped_column(String(12))
    portfolios: Mapped[int] = mapped_column(Integer, default=0)  # how many it touched
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DividendEntitlement(Base):
    """A portfolio's claim (long) or charge (short) for one dividend, paid on the pay date."""

    __tablename__ = "dividend_entitlements"
    __table_args__ = (UniqueConstraint("portfolio_id", "generation", "symbol", "ex_date"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    portfolio_id: Mapped[int] = mapped_column(
        ForeignKey("portfolios.id", ondelete="CASCADE"), index=True
    )
    generation: Mapped[int] = mapped_column(Integer)
    symbol: Mapped[str] = mapped_column(String(12))
    ex_date: Mapped[date] = mapped_column(Date())
    pay_date: Mapped[date] = mapped_column(Date())
    per_share: Mapped[Decimal] = mapped_column(Price())
    qty: Mapped[Decimal] = mapped_column(Quantity())  # signed: negative when short
    amount: Mapped[Decimal] = mapped_column(Money())  # signed cash to post on the pay date
    cash_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("cash_entries.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SplitAdjustment(Base):
    """A split applied to one portfolio's position: the ledger check replays it."""

    __tablename__ = "split_adjustments"
    __table_args__ = (UniqueConstraint("portfolio_id", "generation", "symbol", "ex_date"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    portfolio_id: Mapped[int] = mapped_column(
        ForeignKey("portfolios.id", ondelete="CASCADE"), index=True
    )
    generation: Mapped[int] = mapped_column(Integer)
    symbol: Mapped[str] = mapped_column(String(12))
    ex_date: Mapped[date] = mapped_column(Date())
    ratio: Mapped[Decimal] = mapped_column(Price())
    after_fill_id: Mapped[int] = mapped_column(BigId)  # the portfolio's last fill before it
    # new quantity − old (signed): a past holding is Σ fills + Σ shares added, set-based
    shares_added: Mapped[Decimal] = mapped_column(Quantity())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
