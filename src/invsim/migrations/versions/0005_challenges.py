"""challenges: challenges, participants, standings

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import invsim.db  # noqa: F401

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the challenges tables (filled in by the challenges domain)."""


def downgrade() -> None:
    """Drop the challenges tables."""
