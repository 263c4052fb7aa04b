"""trading: bracket, OCO and OTO order groups (order_class, parent_id, leg)

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column("orders", sa.Column("order_class", sa.String(length=8), nullable=False,
                                      server_default="simple"))
    op.add_column("orders", sa.Column("parent_id", BIG_ID, nullable=True))
    op.add_column("orders", sa.Column("leg", sa.String(length=12), nullable=True))
    op.create_index(op.f("ix_orders_parent_id"), "orders", ["parent_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_orders_parent_id"), table_name="orders")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("leg")
        batch.drop_column("parent_id")
        batch.drop_column("order_class")
