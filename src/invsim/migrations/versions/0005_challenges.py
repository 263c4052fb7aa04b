"""challenges: challenges, participants, standings

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import invsim.db

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _utc() -> invsim.db.UTCDateTime:
    return invsim.db.UTCDateTime(timezone=True)


def _create_challenges() -> None:
    op.create_table(
        "challenges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("visibility", sa.String(length=8), nullable=False),
        sa.Column("invite_code", sa.String(length=32), nullable=True),
        sa.Column("starts_at", _utc(), nullable=False),
        sa.Column("ends_at", _utc(), nullable=False),
        sa.Column("starting_cash", invsim.db.ScaledDecimal(scale=2), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("finalized_at", _utc(), nullable=True),
        sa.Column("closed_at", _utc(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.CheckConstraint("visibility = 'public' OR invite_code IS NOT NULL",
                           name=op.f("ck_challenges_private_has_invite_code")),
        sa.CheckConstraint("visibility IN ('public', 'private')",
                           name=op.f("ck_challenges_visibility")),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_challenges_ends_after_start")),
        sa.CheckConstraint("starting_cash > 0", name=op.f("ck_challenges_starting_cash_positive")),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"],
                                name=op.f("fk_challenges_owner_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_challenges")),
    )
    op.create_index("ix_challenges_ends_at", "challenges", ["ends_at"], unique=False)
    op.create_index(op.f("ix_challenges_owner_id"), "challenges", ["owner_id"], unique=False)
    op.create_index("ix_challenges_starts_at", "challenges", ["starts_at"], unique=False)


def _create_participants() -> None:
    op.create_table(
        "challenge_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("portfolio_id", sa.Integer(), nullable=True),
        sa.Column("joined_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(["challenge_id"], ["challenges.id"],
                                name=op.f("fk_challenge_participants_challenge_id_challenges"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["portfolio_id"], ["portfolios.id"],
                                name=op.f("fk_challenge_participants_portfolio_id_portfolios"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_challenge_participants_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_challenge_participants")),
        sa.UniqueConstraint("challenge_id", "user_id",
                            name=op.f("uq_challenge_participants_challenge_id_user_id")),
        sa.UniqueConstraint("portfolio_id", name=op.f("uq_challenge_participants_portfolio_id")),
    )
    op.create_index("ix_challenge_participants_user", "challenge_participants", ["user_id"],
                    unique=False)


def _create_runs() -> None:
    op.create_table(
        "challenge_standing_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.Column("computed_at", _utc(), nullable=False),
        sa.Column("is_final", sa.Boolean(), nullable=False),
        sa.Column("participant_count", sa.Integer(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(["challenge_id"], ["challenges.id"],
                                name=op.f("fk_challenge_standing_runs_challenge_id_challenges"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_challenge_standing_runs")),
        sa.UniqueConstraint("challenge_id", "computed_at",
                            name=op.f("uq_challenge_standing_runs_challenge_id_computed_at")),
    )
    # One final run per challenge: the database refuses a second set of final standings.
    op.create_index("uq_challenge_standing_runs_final", "challenge_standing_runs",
                    ["challenge_id"], unique=True, postgresql_where=sa.text("is_final"),
                    sqlite_where=sa.text("is_final"))


def _create_standings() -> None:
    money, rate, stat = (invsim.db.ScaledDecimal(scale=2), invsim.db.ScaledDecimal(scale=6),
                         invsim.db.ScaledDecimal(scale=12))
    op.create_table(
        "challenge_standings",
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.Column("computed_at", _utc(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("equity", money, nullable=False),
        sa.Column("total_return", rate, nullable=False),
        sa.Column("metric", rate, nullable=True),
        sa.Column("disqualified", sa.Boolean(), nullable=False),
        sa.Column("peak_equity", money, nullable=False),
        sa.Column("max_drawdown", rate, nullable=False),
        sa.Column("return_count", sa.Integer(), nullable=False),
        sa.Column("return_sum", stat, nullable=False),
        sa.Column("return_sq_sum", stat, nullable=False),
        sa.CheckConstraint("rank >= 1", name=op.f("ck_challenge_standings_rank_positive")),
        sa.ForeignKeyConstraint(
            ["challenge_id", "computed_at"],
            ["challenge_standing_runs.challenge_id", "challenge_standing_runs.computed_at"],
            name=op.f("fk_challenge_standings_challenge_id_challenge_standing_runs"),
            ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("challenge_id", "computed_at", "user_id",
                                name=op.f("pk_challenge_standings")),
        sa.UniqueConstraint("challenge_id", "computed_at", "rank",
                            name=op.f("uq_challenge_standings_challenge_id_computed_at_rank")),
    )
    op.create_index("ix_challenge_standings_user", "challenge_standings",
                    ["challenge_id", "user_id", "computed_at"], unique=False)


def upgrade() -> None:
    """Create the challenges, participants, standing runs and standings tables."""
    _create_challenges()
    _create_participants()
    _create_runs()
    _create_standings()


def downgrade() -> None:
    """Drop the challenges tables."""
    op.drop_index("ix_challenge_standings_user", table_name="challenge_standings")
    op.drop_table("challenge_standings")
    op.drop_index("uq_challenge_standing_runs_final", table_name="challenge_standing_runs")
    op.drop_table("challenge_standing_runs")
    op.drop_index("ix_challenge_participants_user", table_name="challenge_participants")
    op.drop_table("challenge_participants")
    op.drop_index("ix_challenges_starts_at", table_name="challenges")
    op.drop_index(op.f("ix_challenges_owner_id"), table_name="challenges")
    op.drop_index("ix_challenges_ends_at", table_name="challenges")
    op.drop_table("challenges")
