"""Database models of the trading domain: orders, their status history, and fills.

Fills are append-only facts; an order's `filled_qty`, `filled_notional` and
`commission` are caches of its fills, checked by `trading.ledger.verify_ledger`.
Status changes go through `trading.state.transition` only (see `orders_state.py`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from invsim.core.clock import utcnow
from invsim.core.money import ZERO
from invsim.db import Base, Money, Price, Quantity, Rate, UTCDateTime

BigId = BigInteger().with_variant(Integer, "sqlite")

ORDER_SOURCES = ("user", "api", "strategy", "close_position", "liquidation")
# What a person, their bot or their live strategy placed: these count against and are held
# to the restrictions.
CLIENT_SOURCES = ("user", "api", "strategy")
# What a person or their bot placed by hand: refused where only live strategies may trade.
MANUAL_SOURCES = ("user", "api")


class Order(Base):
    """An order in the vocabulary of DESIGN.md §4, with per-status timestamps."""

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("portfolio_id", "client_order_id"),
        CheckConstraint("(qty IS NULL) <> (notional IS NULL)", name="one_size"),
        CheckConstraint("qty IS NULL OR qty > 0", name="qty_positive"),
        CheckConstraint("notional IS NULL OR notional > 0", name="notional_positive"),
        CheckConstraint("filled_qty >= 0", name="filled_qty_not_negative"),
        CheckConstraint("qty IS NULL OR filled_qty <= qty", name="filled_within_qty"),
        CheckConstraint("side IN ('buy', 'sell')", name="side"),
        Index("ix_orders_status_portfolio", "status", "portfolio_id"),
        Index("ix_orders_portfolio_created", "portfolio_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    portfolio_id: Mapped[int] = mapped_column(ForeignKey("portfolios.id", ondelete="CASCADE"))
    generation: Mapped[int] = mapped_column(Integer)
    client_order_id: Mapped[str] = mapped_column(String(48))
    request_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16), default="user")
    symbol: Mapped[str] = mapped_column(String(12))
    side: Mapped[str] = mapped_column(String(4))
    type: Mapped[str] = mapped_column(String(16))
    time_in_force: Mapped[str] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(20))
    qty: Mapped[Decimal | None] = mapped_column(Quantity(), nullable=True)
    notional: Mapped[Decimal | None] = mapped_column(Money(), nullable=True)
    limit_price: Mapped[Decimal | None] = mapped_column(Price(), nullable=True)
    stop_price: Mapped[Decimal | None] = mapped_column(Price(), nullable=True)
    trail_percent: Mapped[Decimal | None] = mapped_column(Rate(), nullable=True)
    trail_price: Mapped[Decimal | None] = mapped_column(Price(), nullable=True)
    hwm: Mapped[Decimal | None] = mapped_column(Price(), nullable=True)
    stop_triggered: Mapped[bool] = mapped_column(Boolean, default=False)
    filled_qty: Mapped[Decimal] = mapped_column(Quantity(), default=ZERO)
    filled_notional: Mapped[Decimal] = mapped_column(Money(), default=ZERO)
    filled_avg_price: Mapped[Decimal | None] = mapped_column(Price(), nullable=True)
    commission: Mapped[Decimal] = mapped_column(Money(), default=ZERO)
    fill_count: Mapped[int] = mapped_column(Integer, default=0)
    reference_price: Mapped[Decimal | None] = mapped_column(Price(), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reason: Mapped[str | None] = mapped_column(String(48), nullable=True)
    replaces_id: Mapped[int | None] = mapped_column(
        ForeignKey("orders.id", ondelete="SET NULL"), nullable=True
    )
    # Bracket, OCO and OTO orders: the legs point at the first order of their group
    # (no foreign key: a group lives and dies with its portfolio, like the orders).
    order_class: Mapped[str] = mapped_column(String(8), default="simple")
    parent_id: Mapped[int | None] = mapped_column(BigId, nullable=True, index=True)
    leg: Mapped[str | None] = mapped_column(String(12), nullable=True)
    replaced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("orders.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    filled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    canceled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    expired_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    replaced_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class OrderEvent(Base):
    """One status change of an order (the audit trail), with the reason when there is one."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(48), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set on creation so one flush inserts the order and its events together.
    order: Mapped[Order] = relationship(lazy="raise")


class Fill(Base):
    """One execution: a fact, never updated or deleted.

    `(order_id, sequence)` is unique, so the same execution can never be written
    twice. `rule` is the fill rule applied and `volume_capped` says the volume
    cap cut it; `price_source` and `priced_at` say which price it used and when.
    """

    __tablename__ = "fills"
    __table_args__ = (
        UniqueConstraint("order_id", "sequence"),
        CheckConstraint("qty > 0", name="qty_positive"),
        CheckConstraint("price > 0", name="price_positive"),
        CheckConstraint("commission >= 0", name="commission_not_negative"),
        Index("ix_fills_portfolio_created", "portfolio_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    sequence: Mapped[int] = mapped_column(Integer)
    portfolio_id: Mapped[int] = mapped_column(ForeignKey("portfolios.id", ondelete="CASCADE"))
    generation: Mapped[int] = mapped_column(Integer)
    symbol: Mapped[str] = mapped_column(String(12))
    side: Mapped[str] = mapped_column(String(4))
    qty: Mapped[Decimal] = mapped_column(Quantity())
    price: Mapped[Decimal] = mapped_column(Price())
    gross: Mapped[Decimal] = mapped_column(Money())
    commission: Mapped[Decimal] = mapped_column(Money())
    realized_pl: Mapped[Decimal] = mapped_column(Money(), default=ZERO)
    price_source: Mapped[str] = mapped_column(String(20))
    priced_at: Mapped[datetime] = mapped_column(UTCDateTime())
    rule: Mapped[str] = mapped_column(String(32))
    volume_capped: Mapped[bool] = mapped_column(Boolean, default=False)
    liquidation: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    order: Mapped[Order] = relationship(lazy="raise")
