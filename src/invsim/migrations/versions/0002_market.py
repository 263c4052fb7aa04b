"""market: instruments, bars, watchlists

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import invsim.db  # noqa: F401

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the market tables (filled in by the market domain)."""


def downgrade() -> None:
    """Drop the market tables."""
