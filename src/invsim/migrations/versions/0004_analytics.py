"""analytics: equity snapshots

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import invsim.db

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the equity snapshots table."""
    op.create_table(
        "equity_snapshots",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("portfolio_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("at", invsim.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("cash", invsim.db.ScaledDecimal(scale=2), nullable=False),
        sa.Column("long_market_value", invsim.db.ScaledDecimal(scale=2), nullable=False),
        sa.Column("short_market_value", invsim.db.ScaledDecimal(scale=2), nullable=False),
        sa.Column("equity", invsim.db.ScaledDecimal(scale=2), nullable=False),
        sa.Column("net_cash_flow", invsim.db.ScaledDecimal(scale=2), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("created_at", invsim.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('intraday', 'close')",
                           name=op.f("ck_equity_snapshots_kind")),
        sa.CheckConstraint("source IN ('quotes', 'ledger')",
                           name=op.f("ck_equity_snapshots_source")),
        sa.CheckConstraint("long_market_value >= 0",
                           name=op.f("ck_equity_snapshots_long_not_negative")),
        sa.CheckConstraint("short_market_value >= 0",
                           name=op.f("ck_equity_snapshots_short_not_negative")),
        sa.ForeignKeyConstraint(["portfolio_id"], ["portfolios.id"],
                                name=op.f("fk_equity_snapshots_portfolio_id_portfolios"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_equity_snapshots")),
        sa.UniqueConstraint("portfolio_id", "kind", "at",
                            name=op.f("uq_equity_snapshots_portfolio_id_kind_at")),
    )
    op.create_index("ix_equity_snapshots_kind_at", "equity_snapshots", ["kind", "at"])


def downgrade() -> None:
    """Drop the equity snapshots table."""
    op.drop_index("ix_equity_snapshots_kind_at", table_name="equity_snapshots")
    op.drop_table("equity_snapshots")
