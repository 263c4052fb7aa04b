"""JWT access and refresh tokens, and the revocation list in the key-value store."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from invsim.core.clock import utcnow
from invsim.core.errors import Unauthorized
from invsim.core.kvstore import KeyValueStore

ALGORITHM = "HS256"
ISSUER = "invsim"


@dataclass(frozen=True)
class TokenSettings:
    """Signing key and lifetimes."""

    secret_key: str
    access_lifetime: timedelta
    refresh_lifetime: timedelta


@dataclass(frozen=True)
class AccessClaims:
    """What an accepted access token says."""

    user_id: int
    jti: str
    family_id: str
    version: int
    expires_at: datetime


@dataclass(frozen=True)
class IssuedToken:
    """A signed token and the facts needed to store it."""

    token: str
    jti: str
    expires_at: datetime


def new_id() -> str:
    """Return a random token or family id."""
    return uuid.uuid4().hex


def _encode(settings: TokenSettings, claims: dict[str, Any], lifetime: timedelta) -> IssuedToken:
    now = utcnow()
    jti = new_id()
    expires_at = now + lifetime
    payload = {**claims, "jti": jti, "iat": now, "nbf": now, "exp": expires_at, "iss": ISSUER}
    return IssuedToken(jwt.encode(payload, settings.secret_key, ALGORITHM), jti, expires_at)


def issue_access(settings: TokenSettings, *, user_id: int, family_id: str, version: int
                 ) -> IssuedToken:
    """Sign a short-lived access token."""
    claims = {"sub": str(user_id), "type": "access", "fam": family_id, "ver": version}
    return _encode(settings, claims, settings.access_lifetime)


def issue_refresh(settings: TokenSettings, *, user_id: int, family_id: str) -> IssuedToken:
    """Sign a long-lived refresh token belonging to a rotation family."""
    claims = {"sub": str(user_id), "type": "refresh", "fam": family_id}
    return _encode(settings, claims, settings.refresh_lifetime)


def decode(settings: TokenSettings, token: str, *, expected_type: str) -> dict[str, Any]:
    """Verify signature, expiry and type; raise Unauthorized otherwise."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token, settings.secret_key, algorithms=[ALGORITHM], issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "jti", "type", "fam"]},
            leeway=5,
        )
    except jwt.ExpiredSignatureError:
        raise Unauthorized("The token has expired.", code="token_expired") from None
    except jwt.PyJWTError:
        raise Unauthorized("The token is invalid.", code="invalid_token") from None
    if claims.get("type") != expected_type:
        raise Unauthorized("The token is invalid.", code="invalid_token")
    return claims


def access_claims(claims: dict[str, Any]) -> AccessClaims:
    """Read the fields of decoded access-token claims."""
    try:
        return AccessClaims(
            user_id=int(claims["sub"]), jti=str(claims["jti"]), family_id=str(claims["fam"]),
            version=int(claims.get("ver", -1)),
            expires_at=datetime.fromtimestamp(int(claims["exp"]), tz=UTC),
        )
    except (KeyError, ValueError, TypeError):
        raise Unauthorized("The token is invalid.", code="invalid_token") from None


class RevocationList:
    """Revoked access tokens and token families; entries expire with the tokens."""

    def __init__(self, store: KeyValueStore, access_lifetime: timedelta) -> None:
        self._store = store
        self._family_ttl = access_lifetime.total_seconds() + 60

    def revoke_access(self, jti: str, expires_at: datetime) -> None:
        """Refuse one access token until it would have expired anyway."""
        ttl = max(1.0, (expires_at - utcnow()).total_seconds() + 10)
        self._store.set(f"revoked:jti:{jti}", "1", ttl)

    def revoke_family(self, family_id: str) -> None:
        """Refuse every access token minted from a refresh family."""
        self._store.set(f"revoked:fam:{family_id}", "1", self._family_ttl)

    def is_revoked(self, claims: AccessClaims) -> bool:
        """Tell whether the token or its family was revoked."""
        return self.check(claims, [])[0]

    def check(self, claims: AccessClaims, also: list[str]) -> tuple[bool, list[str | None]]:
        """Tell whether the token or its family was revoked; read the `also` keys in the same
        round trip and return their values."""
        keys = [f"revoked:jti:{claims.jti}", f"revoked:fam:{claims.family_id}", *also]
        values = self._store.get_many(keys)
        return any(value is not None for value in values[:2]), values[2:]
