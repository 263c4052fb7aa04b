"""Alpaca's UUID ids over invsim's integer keys.

Alpaca's SDKs parse every id as a UUID; invsim keeps integer primary keys. An id
is encoded reversibly as `KKKKKKKK-0000-4000-8000-NNNNNNNNNNNN`: the kind in the
first group, the integer in the last (hex), version 4 and the RFC 4122 variant
so it is a well-formed UUID. No column or lookup table is needed, and an id of
another user's object still answers 404 (every read is scoped to the key's portfolio).
"""

from __future__ import annotations

import re
import uuid
from enum import IntEnum

from invsim.core.errors import ValidationFailed

_PATTERN = re.compile(r"^([0-9a-f]{8})-0000-4000-8000-([0-9a-f]{12})$")
MAX_ENCODED = 16**12 - 1


class Kind(IntEnum):
    """What an id names (its first group). Assets are named by symbol: see `wire.asset_id`."""

    ORDER = 1
    ACCOUNT = 2
    WATCHLIST = 4


def encode(kind: Kind, number: int) -> str:
    """Return the UUID string of an object's integer id."""
    if not 0 <= number <= MAX_ENCODED:
        raise ValueError(f"id {number} does not fit a UUID")
    return f"{int(kind):08x}-0000-4000-8000-{number:012x}"


def is_uuid(text: str) -> bool:
    """Say whether the text is a UUID at all (any version)."""
    try:
        uuid.UUID(text)
    except (ValueError, AttributeError, TypeError):
        return False
    return True


def decode(kind: Kind, text: str) -> int | None:
    """Return the integer id, None for a UUID that names no such object, 422 for a non-UUID."""
    if not is_uuid(text):
        raise ValidationFailed(f"{text[:60]!r} is not a valid UUID.", code="invalid_uuid")
    match = _PATTERN.match(str(uuid.UUID(text)))
    if match is None or int(match.group(1), 16) != kind:
        return None
    return int(match.group(2), 16)
