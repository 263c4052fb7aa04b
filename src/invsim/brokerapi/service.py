"""The brokerapi domain's public service API: API keys (the /alpaca layer itself is HTTP only)."""

from __future__ import annotations

from invsim.brokerapi.keys import (
    IssuedKey,
    authenticate,
    create_key,
    list_keys,
    revoke_key,
    touch,
)

__all__ = ["IssuedKey", "authenticate", "create_key", "list_keys", "revoke_key", "touch"]
