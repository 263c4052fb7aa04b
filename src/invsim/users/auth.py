"""Bearer-token authentication for API views, and who the current user is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog
from apiflask import APIFlask, HTTPTokenAuth
from apiflask.exceptions import HTTPError
from flask import g

from invsim.api.errors import error_body
from invsim.config import Settings
from invsim.core.errors import Unauthorized
from invsim.extensions import db, stores
from invsim.users.models import User
from invsim.users.token_state import TokenState, TokenStates, state_key
from invsim.users.tokens import (
    AccessClaims,
    RevocationList,
    TokenSettings,
    access_claims,
    decode,
)


class Authn:
    """Token settings, the revocation list and the users' token states of this app."""

    def __init__(self) -> None:
        self.tokens = TokenSettings("", timedelta(minutes=15), timedelta(days=30))
        self.revocations = RevocationList(stores.kv, self.tokens.access_lifetime)
        self.states = TokenStates(stores.kv)

    def init_app(self, app: APIFlask, settings: Settings) -> None:
        """Read the signing key and lifetimes; bind the revocation list to the store."""
        self.tokens = TokenSettings(
            secret_key=settings.secret_key,
            access_lifetime=timedelta(minutes=settings.access_token_minutes),
            refresh_lifetime=timedelta(days=settings.refresh_token_days),
        )
        self.revocations = RevocationList(stores.kv, self.tokens.access_lifetime)
        self.states = TokenStates(stores.kv)


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Who an accepted access token belongs to (the user row is read only when a view asks)."""

    id: int


authn = Authn()
token_auth = HTTPTokenAuth(scheme="Bearer", description="Access token from /api/v1/auth/login")


@token_auth.verify_token
def _verify_token(token: str) -> SignedIn:
    """Accept a valid, unrevoked access token of an active user at its current version.

    The revocation list and the user's token state come in one store round trip; the
    users table is read only when the state is not in the store (see token_state).
    """
    if not token:
        raise Unauthorized("Sign in to use this endpoint.", code="missing_token")
    claims = access_claims(decode(authn.tokens, token, expected_type="access"))
    revoked, (stored,) = authn.revocations.check(claims, [state_key(claims.user_id)])
    if revoked:
        raise Unauthorized("The token has been revoked.", code="token_revoked")
    state = TokenState.decode(stored) if stored is not None else None
    if state is None or not state.accepts(claims.version):
        # A miss, or a refusal: the row decides (it is never older than the store, and a
        # refusal is rare, so reading it then costs little and survives a reused user id).
        state = _read_state(claims.user_id)
    if state is None or not state.accepts(claims.version):
        raise Unauthorized("The token has been revoked.", code="token_revoked")
    g.access_claims = claims
    structlog.contextvars.bind_contextvars(user_id=claims.user_id)
    return SignedIn(claims.user_id)


def _read_state(user_id: int) -> TokenState | None:
    """Read a user's token state from the row and remember it (None: no such user)."""
    user = db.session.get(User, user_id)
    if user is None:
        return None
    state = TokenState(user.token_version, bool(user.is_active))
    authn.states.remember(user_id, state)
    return state


def token_state_changed(user: User) -> None:
    """Publish a user's committed token version and active flag to every worker."""
    authn.states.changed(user.id, TokenState(user.token_version, bool(user.is_active)))


@token_auth.error_processor
def _missing_credentials(error: HTTPError) -> tuple[dict[str, Any], int, Any]:
    """Answer a request without a bearer token (verify_token raises for all other cases)."""
    body = error_body("missing_token", "Sign in to use this endpoint.")
    return body, 401, {"WWW-Authenticate": 'Bearer realm="invsim"'}


def current_user_id() -> int:
    """Return the id of this request's authenticated user (reads nothing)."""
    signed_in = token_auth.current_user
    if signed_in is None:
        raise Unauthorized("Sign in to use this endpoint.", code="missing_token")
    return int(signed_in.id)


def current_user() -> User:
    """Return the authenticated user's row (read once per request, when a view needs it)."""
    user = db.session.get(User, current_user_id())
    if user is None:
        raise Unauthorized("The token has been revoked.", code="token_revoked")
    return user


def current_claims() -> AccessClaims:
    """Return the claims of this request's access token."""
    claims: AccessClaims = g.access_claims
    return claims
