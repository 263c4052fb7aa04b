"""Bearer-token authentication for API views, and who the current user is."""

from __future__ import annotations

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
from invsim.users.tokens import (
    AccessClaims,
    RevocationList,
    TokenSettings,
    access_claims,
    decode,
)


class Authn:
    """Token settings and the revocation list of this app."""

    def __init__(self) -> None:
        self.tokens = TokenSettings("", timedelta(minutes=15), timedelta(days=30))
        self.revocations = RevocationList(stores.kv, self.tokens.access_lifetime)

    def init_app(self, app: APIFlask, settings: Settings) -> None:
        """Read the signing key and lifetimes; bind the revocation list to the store."""
        self.tokens = TokenSettings(
            secret_key=settings.secret_key,
            access_lifetime=timedelta(minutes=settings.access_token_minutes),
            refresh_lifetime=timedelta(days=settings.refresh_token_days),
        )
        self.revocations = RevocationList(stores.kv, self.tokens.access_lifetime)


authn = Authn()
token_auth = HTTPTokenAuth(scheme="Bearer", description="Access token from /api/v1/auth/login")


@token_auth.verify_token
def _verify_token(token: str) -> User:
    """Accept a valid, unrevoked access token of an active user at its current version."""
    if not token:
        raise Unauthorized("Sign in to use this endpoint.", code="missing_token")
    claims = access_claims(decode(authn.tokens, token, expected_type="access"))
    if authn.revocations.is_revoked(claims):
        raise Unauthorized("The token has been revoked.", code="token_revoked")
    user = db.session.get(User, claims.user_id)
    if user is None or not user.is_active or user.token_version != claims.version:
        raise Unauthorized("The token has been revoked.", code="token_revoked")
    g.access_claims = claims
    structlog.contextvars.bind_contextvars(user_id=user.id)
    return user


@token_auth.error_processor
def _missing_credentials(error: HTTPError) -> tuple[dict[str, Any], int, Any]:
    """Answer a request without a bearer token (verify_token raises for all other cases)."""
    body = error_body("missing_token", "Sign in to use this endpoint.")
    return body, 401, {"WWW-Authenticate": 'Bearer realm="invsim"'}


def current_user() -> User:
    """Return the authenticated user of this request."""
    user = token_auth.current_user
    if user is None:
        raise Unauthorized("Sign in to use this endpoint.", code="missing_token")
    return user  # type: ignore[no-any-return]


def current_claims() -> AccessClaims:
    """Return the claims of this request's access token."""
    claims: AccessClaims = g.access_claims
    return claims
