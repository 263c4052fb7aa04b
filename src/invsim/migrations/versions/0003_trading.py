"""trading: portfolios, orders, fills, cash ledger, positions

Revision ID: 0003
Revises: 0002

Portfolios with their rules, the append-only cash ledger (cash_entries) and fills,
cached positions and FIFO tax lots, orders with their status history, and resets.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import invsim.db

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the portfolio and trading tables."""
    op.create_table('portfolios',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('challenge_id', sa.Integer(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('starting_cash', invsim.db.ScaledDecimal(scale=2), nullable=False),
    sa.Column('cash', invsim.db.ScaledDecimal(scale=2), nullable=False),
    sa.Column('account_type', sa.String(length=8), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('generation_started_at', invsim.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('archived_at', invsim.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', invsim.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', invsim.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("account_type = 'margin' OR cash >= 0", name=op.f('ck_portfolios_cash_account_not_negative')),
    sa.CheckConstraint("account_type IN ('cash', 'margin')", name=op.f('ck_portfolios_account_type')),
    sa.CheckConstraint("kind IN ('personal', 'challenge')", name=op.f('ck_portfolios_kind')),
    sa.CheckConstraint('generation >= 0', name=op.f('ck_portfolios_generation_not_negative')),
    sa.CheckConstraint('starting_cash > 0', name=op.f('ck_portfolios_starting_cash_positive')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_portfolios_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portfolios'))
    )
    op.create_index(op.f('ix_portfolios_challenge_id'), 'portfolios', ['challenge_id'], unique=False)
    op.create_index(op.f('ix_portfolios_user_id'), 'portfolios', ['user_id'], unique=False)
    op.create_table('orders',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('portfolio_id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('client_order_id', sa.String(length=48), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('symbol', sa.String(length=12), nullable=False),
    sa.Column('side', sa.String(length=4), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('time_in_force', sa.String(length=4), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('qty', invsim.db.ScaledDecimal(scale=6), nullable=True),
    sa.Column('notional', invsim.db.ScaledDecimal(scale=2), nullable=True),
    sa.Column('limit_price', invsim.db.ScaledDecimal(scale=6), nullable=True),
    sa.Column('stop_price', invsim.db.ScaledDecimal(scale=6), nullable=True),
    sa.Column('trail_percent', invsim.db.ScaledDecimal(scale=6), nullable=True),
    sa.Column('trail_price', invsim.db.ScaledDecimal(scale=6), nullable=True),
    sa.Column('hwm', invsim.db.ScaledDecimal(scale=6), nullable=True),
    sa.Column('stop_triggered', sa.Boolean(), nullable=False),
    sa.Column('filled_qty', invsim.db.ScaledDecimal(scale=6), nullable=False),
    sa.Column('filled_notional', invsim.db.ScaledDecimal(scale=2), nullable=False),
    sa.Column('filled_avg_price', invsim.db.ScaledDecimal(scale=6), nullable=True),
    sa.Column('commission', invsim.db.ScaledDecimal(scale=2), nullable=False),
    sa.Column('fill_count', sa.Integer(), nullable=False),
    sa.Column('reference_price', invsim.db.ScaledDecimal(scale=6), nullable=True),
    sa.Column('expires_at', invsim.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.String(length=48), nullable=True),
    sa.Column('replaces_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('replaced_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', invsim.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', invsim.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', invsim.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('filled_at', invsim.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('canceled_at', invsim.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expired_at', invsim.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('replaced_at', invsim.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('failed_at', invsim.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("side IN ('buy', 'sell')", name=op.f('ck_orders_side')),
    sa.CheckConstraint('(qty IS NULL) <> (notional IS NULL)', name=op.f('ck_orders_one_size')),
    sa.CheckConstraint('filled_qty >= 0', name=op.f('ck_orders_filled_qty_not_negative')),
    sa.CheckConstraint('notional IS NULL OR notional > 0', name=op.f('ck_orders_notional_positive')),
    sa.CheckConstraint('qty IS NULL OR filled_qty <= qty', name=op.f('ck_orders_filled_within_qty')),
    sa.CheckConstraint('qty IS NULL OR qty > 0', name=op.f('ck_orders_qty_positive')),
    sa.ForeignKeyConstraint(['portfolio_id'], ['portfolios.id'], name=op.f('fk_orders_portfolio_id_portfolios'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['replaced_by_id'], ['orders.id'], name=op.f('fk_orders_replaced_by_id_orders'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['replaces_id'], ['orders.id'], name=op.f('fk_orders_replaces_id_orders'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('portfolio_id', 'client_order_id', name=op.f('uq_orders_portfolio_id_client_order_id'))
    )
    op.create_index('ix_orders_portfolio_created', 'orders', ['portfolio_id', 'created_at'], unique=False)
    op.create_index('ix_orders_status_portfolio', 'orders', ['status', 'portfolio_id'], unique=False)
    op.create_table('portfolio_resets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('portfolio_id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('cash_before', invsim.db.ScaledDecimal(scale=2), nullable=False),
    sa.Column('long_market_value', invsim.db.ScaledDecimal(scale=2), nullable=False),
    sa.Column('short_market_value', invsim.db.ScaledDecimal(scale=2), nullable=False),
    sa.Column('equity_before', invsim.db.ScaledDecimal(scale=2), nullable=False),
    sa.Column('created_at', invsim.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['portfolio_id'], ['portfolios.id'], name=op.f('fk_portfolio_resets_portfolio_id_portfolios'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portfolio_resets')),
    sa.UniqueConstraint('portfolio_id', 'generation', name=op.f('uq_portfolio_resets_portfolio_id_generation'))
    )
    op.create_table('positions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('portfolio_id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('symbol', sa.String(length=12), nullable=False),
    sa.Column('qty', invsim.db.ScaledDecimal(scale=6), nullable=False),
    sa.Column('avg_entry_price', invsim.db.ScaledDecimal(scale=6), nullable=True),
    sa.Column('cost_basis', invsim.db.ScaledDecimal(scale=2), nullable=False),
    sa.Column('realized_pl', invsim.db.ScaledDecimal(scale=2), nullable=False),
    sa.Column('created_at', invsim.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', invsim.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['portfolio_id'], ['portfolios.id'], name=op.f('fk_positions_portfolio_id_portfolios'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_positions')),
    sa.UniqueConstraint('portfolio_id', 'generation', 'symbol', name=op.f('uq_positions_portfolio_id_generation_symbol'))
    )
    op.create_table('fills',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('portfolio_id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('symbol', sa.String(length=12), nullable=False),
    sa.Column('side', sa.String(length=4), nullable=False),
    sa.Column('qty', invsim.db.ScaledDecimal(scale=6), nullable=False),
    sa.Column('price', invsim.db.ScaledDecimal(scale=6), nullable=False),
    sa.Column('gross', invsim.db.ScaledDecimal(scale=2), nullable=False),
    sa.Column('commission', invsim.db.ScaledDecimal(scale=2), nullable=False),
    sa.Column('realized_pl', invsim.db.ScaledDecimal(scale=2), nullable=False),
    sa.Column('price_source', sa.String(length=20), nullable=False),
    sa.Column('priced_at', invsim.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('rule', sa.String(length=32), nullable=False),
    sa.Column('volume_capped', sa.Boolean(), nullable=False),
    sa.Column('liquidation', sa.Boolean(), nullable=False),
    sa.Column('created_at', invsim.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('commission >= 0', name=op.f('ck_fills_commission_not_negative')),
    sa.CheckConstraint('price > 0', name=op.f('ck_fills_price_positive')),
    sa.CheckConstraint('qty > 0', name=op.f('ck_fills_qty_positive')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_fills_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['portfolio_id'], ['portfolios.id'], name=op.f('fk_fills_portfolio_id_portfolios'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fills')),
    sa.UniqueConstraint('order_id', 'sequence', name=op.f('uq_fills_order_id_sequence'))
    )
    op.create_index('ix_fills_portfolio_created', 'fills', ['portfolio_id', 'created_at'], unique=False)
    op.create_table('order_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=48), nullable=True),
    sa.Column('at', invsim.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_events_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_events'))
    )
    op.create_index(op.f('ix_order_events_order_id'), 'order_events', ['order_id'], unique=False)
    op.create_table('cash_entries',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('portfolio_id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('amount', invsim.db.ScaledDecimal(scale=2), nullable=False),
    sa.Column('fill_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('memo', sa.String(length=200), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', invsim.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('trade', 'commission', 'interest', 'deposit', 'reset', 'liquidation')", name=op.f('ck_cash_entries_kind')),
    sa.ForeignKeyConstraint(['fill_id'], ['fills.id'], name=op.f('fk_cash_entries_fill_id_fills'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['portfolio_id'], ['portfolios.id'], name=op.f('fk_cash_entries_portfolio_id_portfolios'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cash_entries')),
    sa.UniqueConstraint('portfolio_id', 'idempotency_key', name=op.f('uq_cash_entries_portfolio_id_idempotency_key'))
    )
    op.create_index(op.f('ix_cash_entries_fill_id'), 'cash_entries', ['fill_id'], unique=False)
    op.create_index('ix_cash_entries_portfolio_created', 'cash_entries', ['portfolio_id', 'created_at'], unique=False)
    op.create_table('tax_lots',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('portfolio_id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('symbol', sa.String(length=12), nullable=False),
    sa.Column('fill_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('qty', invsim.db.ScaledDecimal(scale=6), nullable=False),
    sa.Column('price', invsim.db.ScaledDecimal(scale=6), nullable=False),
    sa.Column('opened_at', invsim.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('qty <> 0', name=op.f('ck_tax_lots_qty_not_zero')),
    sa.ForeignKeyConstraint(['fill_id'], ['fills.id'], name=op.f('fk_tax_lots_fill_id_fills'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['portfolio_id'], ['portfolios.id'], name=op.f('fk_tax_lots_portfolio_id_portfolios'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tax_lots'))
    )
    op.create_index(op.f('ix_tax_lots_fill_id'), 'tax_lots', ['fill_id'], unique=False)
    op.create_index('ix_tax_lots_position', 'tax_lots', ['portfolio_id', 'generation', 'symbol'], unique=False)


def downgrade() -> None:
    """Drop the portfolio and trading tables."""
    op.drop_index('ix_tax_lots_position', table_name='tax_lots')
    op.drop_index(op.f('ix_tax_lots_fill_id'), table_name='tax_lots')
    op.drop_table('tax_lots')
    op.drop_index('ix_cash_entries_portfolio_created', table_name='cash_entries')
    op.drop_index(op.f('ix_cash_entries_fill_id'), table_name='cash_entries')
    op.drop_table('cash_entries')
    op.drop_index(op.f('ix_order_events_order_id'), table_name='order_events')
    op.drop_table('order_events')
    op.drop_index('ix_fills_portfolio_created', table_name='fills')
    op.drop_table('fills')
    op.drop_table('positions')
    op.drop_table('portfolio_resets')
    op.drop_index('ix_orders_status_portfolio', table_name='orders')
    op.drop_index('ix_orders_portfolio_created', table_name='orders')
    op.drop_table('orders')
    op.drop_index(op.f('ix_portfolios_user_id'), table_name='portfolios')
    op.drop_index(op.f('ix_portfolios_challenge_id'), table_name='portfolios')
    op.drop_table('portfolios')
