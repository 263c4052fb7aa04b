"""analytics: equity snapshots

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import invsim.db  # noqa: F401

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the analytics tables (filled in by the analytics domain)."""


def downgrade() -> None:
    """Drop the analytics tables."""
