"""Database models of the portfolios domain: portfolios, the cash ledger, positions and lots.

Cash entries are append-only facts. `Portfolio.cash`, `Position` and `TaxLot` are
caches derived from the facts (fills and cash entries), written in the same
transaction and proved equal by `trading.ledger.verify_ledger`.

A reset closes the current *generation* and starts the next one: every row that
belongs to a portfolio's history carries the generation it was written in.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from invsim.core.clock import utcnow
from invsim.db import Base, Money, Price, Quantity, UTCDateTime

if TYPE_CHECKING:
    from invsim.trading.models import Fill

BigId = BigInteger().with_variant(Integer, "sqlite")

PORTFOLIO_KINDS = ("personal", "challenge")
CASH_ENTRY_KINDS = ("trade", "commission", "interest", "deposit", "reset", "liquidation",
                    "dividend", "dividend_charge")


class Portfolio(Base):
    """A user's simulated account: starting cash, rules, and the cached cash balance.

    `version` is bumped by every update (optimistic check behind the row lock);
    `account_type` repeats the rules' account type so the database itself refuses
    negative cash in a cash account.
    """

    __tablename__ = "portfolios"
    __table_args__ = (
        CheckConstraint("kind IN ('personal', 'challenge')", name="kind"),
        CheckConstraint("account_type IN ('cash', 'margin')", name="account_type"),
        CheckConstraint("starting_cash > 0", name="starting_cash_positive"),
        CheckConstraint("account_type = 'margin' OR cash >= 0", name="cash_account_not_negative"),
        CheckConstraint("generation >= 0", name="generation_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), default="personal")
    challenge_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    starting_cash: Mapped[Decimal] = mapped_column(Money())
    cash: Mapped[Decimal] = mapped_column(Money())
    account_type: Mapped[str] = mapped_column(String(8), default="cash")
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    generation_started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class CashEntry(Base):
    """One movement of cash: a fact, never updated or deleted.

    Trade and liquidation entries carry the fill's gross value (negative for a
    buy), commission entries the fill's fee (negative); both point at the fill.
    `idempotency_key` makes periodic postings (daily interest) happen once.
    """

    __tablename__ = "cash_entries"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('trade', 'commission', 'interest', 'deposit', 'reset', 'liquidation', "
            "'dividend', 'dividend_charge')",
            name="kind",
        ),
        UniqueConstraint("portfolio_id", "idempotency_key"),
        Index("ix_cash_entries_portfolio_created", "portfolio_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    portfolio_id: Mapped[int] = mapped_column(ForeignKey("portfolios.id", ondelete="CASCADE"))
    generation: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Money())
    fill_id: Mapped[int | None] = mapped_column(
        ForeignKey("fills.id", ondelete="CASCADE"), nullable=True, index=True
    )
    memo: Mapped[str] = mapped_column(String(200), default="")
    idempotency_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set on creation, so one flush writes the fill and its entries in order.
    fill: Mapped[Fill | None] = relationship(lazy="raise")


class Position(Base):
    """A portfolio's cached position in one symbol for one generation.

    `qty` is signed (negative when short), `cost_basis` is the signed cost of the
    open lots to the cent, `realized_pl` the P&L closed lots realized so far.
    A flat position keeps its row so its realized P&L stays visible.
    """

    __tablename__ = "positions"
    __table_args__ = (UniqueConstraint("portfolio_id", "generation", "symbol"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    portfolio_id: Mapped[int] = mapped_column(ForeignKey("portfolios.id", ondelete="CASCADE"))
    generation: Mapped[int] = mapped_column(Integer)
    symbol: Mapped[str] = mapped_column(String(12))
    qty: Mapped[Decimal] = mapped_column(Quantity())
    avg_entry_price: Mapped[Decimal | None] = mapped_column(Price(), nullable=True)
    cost_basis: Mapped[Decimal] = mapped_column(Money())
    realized_pl: Mapped[Decimal] = mapped_column(Money())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class TaxLot(Base):
    """An open FIFO lot: shares one fill opened and no later fill has closed yet (signed)."""

    __tablename__ = "tax_lots"
    __table_args__ = (
        CheckConstraint("qty <> 0", name="qty_not_zero"),
        Index("ix_tax_lots_position", "portfolio_id", "generation", "symbol"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    portfolio_id: Mapped[int] = mapped_column(ForeignKey("portfolios.id", ondelete="CASCADE"))
    generation: Mapped[int] = mapped_column(Integer)
    symbol: Mapped[str] = mapped_column(String(12))
    fill_id: Mapped[int] = mapped_column(ForeignKey("fills.id", ondelete="CASCADE"), index=True)
    qty: Mapped[Decimal] = mapped_column(Quantity())
    price: Mapped[Decimal] = mapped_column(Price())
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    fill: Mapped[Fill] = relationship(lazy="raise")


class PortfolioReset(Base):
    """What a reset closed: the generation, and the cash and equity it had at that moment."""

    __tablename__ = "portfolio_resets"
    __table_args__ = (UniqueConstraint("portfolio_id", "generation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    portfolio_id: Mapped[int] = mapped_column(ForeignKey("portfolios.id", ondelete="CASCADE"))
    generation: Mapped[int] = mapped_column(Integer)
    cash_before: Mapped[Decimal] = mapped_column(Money())
    long_market_value: Mapped[Decimal] = mapped_column(Money())
    short_market_value: Mapped[Decimal] = mapped_column(Money())
    equity_before: Mapped[Decimal] = mapped_column(Money())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
