"""market: instruments, bars, watchlists

Revision ID: 0002
Revises: 0001

Loads the instrument universe shipped with the package (market/data/instruments.csv),
so every database knows the same instruments.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import invsim.db

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the market tables and load the instrument universe."""
    instruments = op.create_table(
        "instruments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("exchange", sa.String(length=32), nullable=False),
        sa.Column("sector", sa.String(length=64), nullable=False),
        sa.Column("industry", sa.String(length=128), nullable=False),
        sa.Column("asset_class", sa.String(length=16), nullable=False),
        sa.Column("tradable", sa.Boolean(), nullable=False),
        sa.Column("shortable", sa.Boolean(), nullable=False),
        sa.Column("fractionable", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instruments")),
        sa.UniqueConstraint("symbol", name=op.f("uq_instruments_symbol")),
    )
    op.create_table(
        "bars",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("symbol", sa.String(length=12), nullable=False),
        sa.Column("interval", sa.String(length=4), nullable=False),
        sa.Column("start", invsim.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("open", invsim.db.ScaledDecimal(scale=6), nullable=False),
        sa.Column("high", invsim.db.ScaledDecimal(scale=6), nullable=False),
        sa.Column("low", invsim.db.ScaledDecimal(scale=6), nullable=False),
        sa.Column("close", invsim.db.ScaledDecimal(scale=6), nullable=False),
        sa.Column("volume", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bars")),
        sa.UniqueConstraint("symbol", "interval", "start",
                            name=op.f("uq_bars_symbol_interval_start")),
    )
    op.create_table(
        "watchlists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("created_at", invsim.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_watchlists_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlists")),
        sa.UniqueConstraint("user_id", "name", name=op.f("uq_watchlists_user_id_name")),
    )
    with op.batch_alter_table("watchlists", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_watchlists_user_id"), ["user_id"], unique=False)
    op.create_table(
        "watchlist_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("watchlist_id", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(length=12), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("added_at", invsim.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["watchlist_id"], ["watchlists.id"],
                                name=op.f("fk_watchlist_items_watchlist_id_watchlists"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_items")),
        sa.UniqueConstraint("watchlist_id", "symbol",
                            name=op.f("uq_watchlist_items_watchlist_id_symbol")),
    )
    with op.batch_alter_table("watchlist_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_watchlist_items_symbol"), ["symbol"], unique=False)
        batch_op.create_index(batch_op.f("ix_watchlist_items_watchlist_id"), ["watchlist_id"],
                              unique=False)
    op.bulk_insert(instruments, _universe_rows())


def _universe_rows() -> list[dict[str, object]]:
    """Read the packaged universe into instrument rows."""
    from invsim.market.universe import load_universe

    return [
        {"symbol": info.symbol, "name": info.name, "exchange": info.exchange,
         "sector": info.sector, "industry": info.industry, "asset_class": info.asset_class,
         "tradable": info.tradable, "shortable": info.shortable,
         "fractionable": info.fractionable}
        for info in (listing.info for listing in load_universe().listings)
    ]


def downgrade() -> None:
    """Drop the market tables."""
    with op.batch_alter_table("watchlist_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_watchlist_items_watchlist_id"))
        batch_op.drop_index(batch_op.f("ix_watchlist_items_symbol"))
    op.drop_table("watchlist_items")
    with op.batch_alter_table("watchlists", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_watchlists_user_id"))
    op.drop_table("watchlists")
    op.drop_table("bars")
    op.drop_table("instruments")
