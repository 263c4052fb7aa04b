"""Accounts and refresh tokens.

Email and display name are personal data: stored encrypted (see docs/security.md),
found and kept unique through the email's blind index.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, validates

from invsim.core.clock import utcnow
from invsim.crypto.fields import Encrypted, cipher
from invsim.db import Base, UTCDateTime


def email_index(email: str) -> str:
    """Return the blind index that finds an account by email (normalised first)."""
    return cipher.blind_index(email.strip().lower(), field="users.email")


class User(Base):
    """A person who trades; email and username are unique (stored normalised)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # uq_users_email (0001) stays on the ciphertext: SQLite cannot drop it without rebuilding
    # a table others reference with ON DELETE CASCADE. Unique ix_users_email_index is the rule.
    email: Mapped[str] = mapped_column(Encrypted("users.email"), unique=True)
    email_index: Mapped[str] = mapped_column(String(64), index=True, unique=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(Encrypted("users.display_name"))
    password_hash: Mapped[str] = mapped_column(String(255))
    token_version: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    @validates("email")
    def _index_email(self, _key: str, email: str) -> str:
        """Keep the blind index in step with the email it finds."""
        self.email_index = email_index(email)
        return email


class RefreshToken(Base):
    """One issued refresh token; rotation marks it used, reuse revokes its family."""

    __tablename__ = "refresh_tokens"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    family_id: Mapped[str] = mapped_column(String(64), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
