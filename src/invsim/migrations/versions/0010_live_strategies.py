"""backtest: live strategies attached to paper portfolios

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import invsim.db

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _utc() -> invsim.db.UTCDateTime:
    return invsim.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "live_strategies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("portfolio_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("strategy", sa.String(length=32), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("symbols", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("start_bar_at", _utc(), nullable=False),
        sa.Column("last_bar_at", _utc(), nullable=True),
        sa.Column("last_run_at", _utc(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("orders_placed", sa.Integer(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.CheckConstraint("status IN ('active', 'paused', 'stopped', 'error')",
                           name=op.f("ck_live_strategies_status")),
        sa.ForeignKeyConstraint(["portfolio_id"], ["portfolios.id"],
                                name=op.f("fk_live_strategies_portfolio_id_portfolios"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_live_strategies_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_strategies")),
    )
    op.create_index("ix_live_strategies_status", "live_strategies", ["status"])
    op.create_index("ix_live_strategies_portfolio", "live_strategies",
                    ["portfolio_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_live_strategies_portfolio", table_name="live_strategies")
    op.drop_index("ix_live_strategies_status", table_name="live_strategies")
    op.drop_table("live_strategies")
