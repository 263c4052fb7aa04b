"""Create, list, revoke and check API keys.

A key is a public id (`PK` + 18 characters, like Alpaca's) and a 40-character
secret shown once. Only the secret's SHA-256 is stored: the secret is random
(238 bits), so a slow password hash would add latency to every request and no
safety. Revocation is a column checked on every request, so a revoked key is
refused at once by every process.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from invsim.brokerapi.models import ApiKey
from invsim.core.clock import utcnow
from invsim.core.errors import Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed
from invsim.extensions import db
from invsim.portfolios import service as portfolios

KEY_ALPHABET = string.ascii_uppercase + string.digits
SECRET_ALPHABET = string.ascii_letters + string.digits
MAX_ACTIVE_KEYS = 10
NAME_MAX = 64
# last_used_at is written at most this often per key, so a busy bot does not write per request
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedKey:
    """A new key with its secret: the only time the secret exists outside the client."""

    key: ApiKey
    secret: str


def _new_key_id() -> str:
    return "PK" + "".join(secrets.choice(KEY_ALPHABET) for _ in range(18))


def _new_secret() -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(40))


def secret_digest(secret: str) -> str:
    """Return the stored form of a secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _checked_name(name: str) -> str:
    text = " ".join(name.split())
    if not 1 <= len(text) <= NAME_MAX:
        problem = f"must be 1 to {NAME_MAX} characters"
        raise ValidationFailed(f"name {problem}.", code="invalid_name",
                               details={"fields": {"name": [problem]}})
    return text


def create_key(*, owner_id: int, portfolio_id: int, name: str) -> IssuedKey:
    """Issue a key for one of the user's portfolios (at most ten active keys each)."""
    checked = _checked_name(name)
    with db.transaction() as session:
        portfolio = portfolios.lock_owned(owner_id=owner_id, portfolio_id=portfolio_id)
        if not portfolios.rules_of(portfolio).api_trading:
            raise Forbidden("This challenge does not allow API trading, so its portfolio "
                            "cannot have API keys.", code="api_trading_not_allowed")
        active = session.scalar(select(func.count()).select_from(ApiKey).where(
            ApiKey.portfolio_id == portfolio.id, ApiKey.revoked_at.is_(None)))
        if (active or 0) >= MAX_ACTIVE_KEYS:
            raise Conflict(f"A portfolio can have at most {MAX_ACTIVE_KEYS} active API keys; "
                           "revoke one first.", code="too_many_api_keys")
        secret = _new_secret()
        key = ApiKey(key_id=_new_key_id(), user_id=owner_id, portfolio_id=portfolio.id,
                     name=checked, secret_hash=secret_digest(secret), created_at=utcnow())
        session.add(key)
    return IssuedKey(key, secret)


def list_keys(*, owner_id: int, portfolio_id: int) -> list[ApiKey]:
    """Return the portfolio's keys, newest first, revoked ones included."""
    portfolio = portfolios.get_portfolio(owner_id=owner_id, portfolio_id=portfolio_id)
    return list(db.session.scalars(select(ApiKey).where(ApiKey.portfolio_id == portfolio.id)
                                   .order_by(ApiKey.id.desc())))


def key_not_found(key_id: str) -> NotFound:
    """Build the 404 for a key that does not exist for this portfolio."""
    return NotFound("API key not found.", code="api_key_not_found", details={"key_id": key_id})


def revoke_key(*, owner_id: int, portfolio_id: int, key_id: str) -> ApiKey:
    """Revoke a key at once; revoking a revoked key is a no-op that returns it."""
    with db.transaction() as session:
        portfolio = portfolios.get_portfolio(owner_id=owner_id, portfolio_id=portfolio_id)
        key = session.scalar(select(ApiKey).where(ApiKey.key_id == key_id,
                                                  ApiKey.portfolio_id == portfolio.id))
        if key is None:
            raise key_not_found(key_id)
        if key.revoked_at is None:
            key.revoked_at = utcnow()
    return key


def authenticate(key_id: str, secret: str) -> ApiKey:
    """Return the active key for these credentials, or raise 401 (the same for every failure)."""
    if not key_id or not secret or len(key_id) > 24 or len(secret) > 128:
        raise Unauthorized("Invalid API key or secret.", code="invalid_api_key")
    key = db.session.scalar(select(ApiKey).where(ApiKey.key_id == key_id))
    stored = key.secret_hash if key is not None else secret_digest("")
    # compare even when the key is unknown, so timing does not tell which part was wrong
    matches = hmac.compare_digest(stored, secret_digest(secret))
    if key is None or not matches or key.revoked_at is not None:
        raise Unauthorized("Invalid API key or secret.", code="invalid_api_key")
    return key


def touch(key: ApiKey, now: datetime | None = None) -> None:
    """Record that the key was used (at most once a minute; its own short write)."""
    now = now or utcnow()
    if key.last_used_at is not None and now - key.last_used_at < LAST_USED_RESOLUTION:
        return
    with db.transaction() as session:
        session.execute(update(ApiKey).where(ApiKey.id == key.id).values(last_used_at=now))
    set_committed_value(key, "last_used_at", now)  # known, not a pending change
