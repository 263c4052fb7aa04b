"""trading: corporate actions (dividend entitlements and payments, splits applied to the book)

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import invsim.db

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
OLD_KINDS = "kind IN ('trade', 'commission', 'interest', 'deposit', 'reset', 'liquidation')"
NEW_KINDS = ("kind IN ('trade', 'commission', 'interest', 'deposit', 'reset', 'liquidation', "
             "'dividend', 'dividend_charge')")


def _utc() -> invsim.db.UTCDateTime:
    return invsim.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("cash_entries") as batch:
        batch.drop_constraint(op.f("ck_cash_entries_kind"), type_="check")
        batch.create_check_constraint("kind", NEW_KINDS)
    op.create_table(
        "corporate_action_runs",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("action_key", sa.String(length=48), nullable=False),
        sa.Column("stage", sa.String(length=8), nullable=False),
        sa.Column("symbol", sa.String(length=12), nullable=False),
        sa.Column("portfolios", sa.Integer(), nullable=False),
        sa.Column("applied_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corporate_action_runs")),
        sa.UniqueConstraint("action_key", "stage",
                            name=op.f("uq_corporate_action_runs_action_key_stage")),
    )
    for table in ("dividend_entitlements", "split_adjustments"):
        columns = [
            sa.Column("id", BIG_ID, nullable=False),
            sa.Column("portfolio_id", sa.Integer(), nullable=False),
            sa.Column("generation", sa.Integer(), nullable=False),
            sa.Column("symbol", sa.String(length=12), nullable=False),
            sa.Column("ex_date", sa.Date(), nullable=False),
        ]
        if table == "dividend_entitlements":
            columns += [
                sa.Column("pay_date", sa.Date(), nullable=False),
                sa.Column("per_share", invsim.db.ScaledDecimal(scale=6), nullable=False),
                sa.Column("qty", invsim.db.ScaledDecimal(scale=6), nullable=False),
                sa.Column("amount", invsim.db.ScaledDecimal(scale=2), nullable=False),
                sa.Column("cash_entry_id", BIG_ID, nullable=True),
                sa.ForeignKeyConstraint(
                    ["cash_entry_id"], ["cash_entries.id"], ondelete="SET NULL",
                    name=op.f("fk_dividend_entitlements_cash_entry_id_cash_entries")),
            ]
        else:
            columns += [
                sa.Column("ratio", invsim.db.ScaledDecimal(scale=6), nullable=False),
                sa.Column("after_fill_id", BIG_ID, nullable=False),
                sa.Column("shares_added", invsim.db.ScaledDecimal(scale=6), nullable=False),
            ]
        op.create_table(
            table,
            *columns,
            sa.Column("created_at", _utc(), nullable=False),
            sa.ForeignKeyConstraint(["portfolio_id"], ["portfolios.id"], ondelete="CASCADE",
                                    name=op.f(f"fk_{table}_portfolio_id_portfolios")),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
            sa.UniqueConstraint("portfolio_id", "generation", "symbol", "ex_date",
                                name=op.f(f"uq_{table}_portfolio_id_generation_symbol_ex_date")),
        )
        op.create_index(op.f(f"ix_{table}_portfolio_id"), table, ["portfolio_id"])


def downgrade() -> None:
    for table in ("split_adjustments", "dividend_entitlements"):
        op.drop_index(op.f(f"ix_{table}_portfolio_id"), table_name=table)
        op.drop_table(table)
    op.drop_table("corporate_action_runs")
    with op.batch_alter_table("cash_entries") as batch:
        batch.drop_constraint(op.f("ck_cash_entries_kind"), type_="check")
        batch.create_check_constraint("kind", OLD_KINDS)
