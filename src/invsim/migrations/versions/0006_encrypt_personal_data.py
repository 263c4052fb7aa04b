"""users: encrypt email and display name, add the email blind index

Revision ID: 0006
Revises: 0005

Resumable and safe on a live PostgreSQL database: the schema change commits
first, then existing rows are encrypted in batches of BATCH rows, each row in
its own short statement (no long lock on users). A row still to do is one whose
email_index is empty; rerunning after an interruption carries on from there.
The keys come from the settings the runner passes (or the environment).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import context, op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH = 500


def _cipher() -> Any:
    from invsim.config import load_settings
    from invsim.crypto.fields import FieldCipher
    from invsim.crypto.setup import configure_cipher

    settings = context.config.attributes.get("settings") or load_settings()
    return configure_cipher(FieldCipher(), settings)


def _encrypt_batch(connection: sa.Connection, cipher: Any) -> int:
    rows = connection.execute(sa.text(
        "SELECT id, email, display_name FROM users WHERE email_index = '' "
        "ORDER BY id LIMIT :n"), {"n": BATCH}).all()
    for user_id, email, display_name in rows:
        connection.execute(sa.text(
            "UPDATE users SET email = :email, display_name = :name, email_index = :ix "
            "WHERE id = :id AND email_index = ''"),
            {"id": user_id, "email": cipher.encrypt(email, field="users.email"),
             "name": cipher.encrypt(display_name, field="users.display_name"),
             "ix": cipher.blind_index(email.strip().lower(), field="users.email")})
    return len(rows)


def _encrypt_existing_rows() -> None:
    connection = op.get_bind()
    if connection.scalar(sa.text("SELECT count(*) FROM users WHERE email_index = ''")) == 0:
        return
    cipher = _cipher()
    while _encrypt_batch(connection, cipher):
        pass


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("users")}
    if "email_index" not in columns:
        # NOT NULL with an empty default: SQLite cannot change nullability in place
        op.add_column("users", sa.Column("email_index", sa.String(64), nullable=False,
                                         server_default=""))
    if postgres:
        op.alter_column("users", "email", type_=sa.Text(), existing_nullable=False)
        op.alter_column("users", "display_name", type_=sa.Text(), existing_nullable=False)
        with op.get_context().autocommit_block():
            _encrypt_existing_rows()
        op.alter_column("users", "email_index", server_default=None)
    else:
        _encrypt_existing_rows()
    op.create_index(op.f("ix_users_email_index"), "users", ["email_index"], unique=True)


def downgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, email, display_name FROM users")).all()
    cipher = _cipher() if rows else None
    for user_id, email, display_name in rows:
        connection.execute(sa.text(
            "UPDATE users SET email = :email, display_name = :name WHERE id = :id"),
            {"id": user_id, "email": cipher.decrypt(email, field="users.email"),
             "name": cipher.decrypt(display_name, field="users.display_name")})
    op.drop_index(op.f("ix_users_email_index"), table_name="users")
    # plain ALTER TABLE (SQLite 3.35+): a batch rebuild would cascade-delete every child row
    op.execute("ALTER TABLE users DROP COLUMN email_index")
