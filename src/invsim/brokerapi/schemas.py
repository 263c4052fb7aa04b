"""Request and response models of the API-key endpoints under /api/v1."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from invsim.api.schemas import ResponseModel, StrictModel
from invsim.brokerapi.models import ApiKey


class ApiKeyIn(StrictModel):
    """A new key's name (what the bot is, for you to recognise it later)."""

    name: Annotated[str, Field(min_length=1, max_length=64, examples=["sma-bot"])]


class ApiKeyOut(ResponseModel):
    """A key as listed: never its secret."""

    key_id: str
    name: str
    portfolio_id: int
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    status: str

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyOut:
        """Build the response for a key row."""
        return cls(key_id=key.key_id, name=key.name, portfolio_id=key.portfolio_id,
                   created_at=key.created_at, last_used_at=key.last_used_at,
                   revoked_at=key.revoked_at,
                   status="revoked" if key.revoked_at is not None else "active")


class IssuedKeyOut(ApiKeyOut):
    """A new key with its secret: shown once, store it now."""

    secret: str


class ApiKeyListOut(ResponseModel):
    """The portfolio's keys, newest first."""

    items: list[ApiKeyOut]
