"""Who is calling /alpaca: the API key in Alpaca's headers, and the portfolio it acts on.

The key is checked on every request with one indexed read, so a revoked key is
refused at once in every process; the portfolio comes from the key, never from
the request, so a key can only ever act on its own portfolio.
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from flask import g, request

from invsim.brokerapi import keys
from invsim.brokerapi.models import ApiKey
from invsim.core.errors import Forbidden, Unauthorized
from invsim.portfolios import service as portfolios
from invsim.portfolios.models import Portfolio

KEY_HEADER = "APCA-API-KEY-ID"
SECRET_HEADER = "APCA-API-SECRET-KEY"  # noqa: S105 - a header name, not a secret
# An unknown path is a 404 whoever asks (nothing there to protect).
PUBLIC_ENDPOINTS = frozenset({"alpaca.unknown_endpoint"})


@dataclass(frozen=True)
class Caller:
    """The authenticated key, its owner and its portfolio."""

    key: ApiKey
    portfolio: Portfolio

    @property
    def owner_id(self) -> int:
        """The user who owns the key's portfolio."""
        return self.key.user_id


def presented_key_id() -> str:
    """The key id the request claims (the rate-limit key, before it is checked)."""
    return (request.headers.get(KEY_HEADER) or "").strip()[:24]


def trading_key(key_id: str, secret: str) -> tuple[ApiKey, Portfolio]:
    """The active key and its portfolio, if that portfolio may still be traded by key
    (401 for bad credentials, 403 for a closed portfolio or a challenge without bots)."""
    key = keys.authenticate(key_id, secret)
    portfolio = portfolios.get_portfolio(owner_id=key.user_id, portfolio_id=key.portfolio_id,
                                         include_archived=True)
    if portfolio.archived_at is not None:
        raise Forbidden("the key's portfolio has been closed", code="account_closed")
    if not portfolios.rules_of(portfolio).api_trading:
        raise Forbidden("API trading is not allowed in this portfolio (a challenge rule)",
                        code="api_trading_not_allowed")
    return key, portfolio


def authenticate_request() -> None:
    """Check the key headers and load the key's portfolio (401/403 in Alpaca's shape)."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    key_id = presented_key_id()
    secret = (request.headers.get(SECRET_HEADER) or "").strip()
    if not key_id or not secret:
        raise Unauthorized("request is not authorized: send APCA-API-KEY-ID and "
                           "APCA-API-SECRET-KEY", code="missing_api_key")
    key, portfolio = trading_key(key_id, secret)
    keys.touch(key)
    g.broker_caller = Caller(key, portfolio)
    structlog.contextvars.bind_contextvars(user_id=key.user_id, api_key=key.key_id)


def caller() -> Caller:
    """The authenticated caller of this request."""
    found: Caller | None = g.get("broker_caller")
    if found is None:
        raise Unauthorized("request is not authorized", code="missing_api_key")
    return found
