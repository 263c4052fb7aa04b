"""backtest: saved backtest runs (request, provenance, progress, summary, result)

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import invsim.db

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _utc() -> invsim.db.UTCDateTime:
    return invsim.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "backtest_runs",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("request", sa.JSON(), nullable=False),
        sa.Column("provenance", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("started_at", _utc(), nullable=True),
        sa.Column("finished_at", _utc(), nullable=True),
        sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')",
                           name=op.f("ck_backtest_runs_status")),
        sa.CheckConstraint("kind IN ('run', 'sweep', 'walk_forward')",
                           name=op.f("ck_backtest_runs_kind")),
        sa.CheckConstraint("progress >= 0 AND progress <= 100",
                           name=op.f("ck_backtest_runs_progress_range")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_backtest_runs_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_backtest_runs")),
    )
    op.create_index("ix_backtest_runs_user_id_id", "backtest_runs", ["user_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_backtest_runs_user_id_id", table_name="backtest_runs")
    op.drop_table("backtest_runs")
