"""Analytics API fixtures: a signed-in user, then a frozen clock and a market the test prices."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from invsim.core.clock import set_clock
from invsim.core.kvstore import MemoryStore
from invsim.extensions import stores
from tests.factories import signed_in
from tests.service.analytics.support import Clock, at, fixed  # noqa: F401


@pytest.fixture()
def headers(client: Any) -> Iterator[dict[str, str]]:
    """Sign a user in under the real clock (tokens carry real instants), private store."""
    previous = stores.kv
    stores.kv = MemoryStore()
    yield signed_in(client)
    stores.kv = previous


@pytest.fixture()
def user(client: Any, headers: dict[str, str]) -> Any:
    """The signed-in user (an object with its id, as service helpers take)."""
    return SimpleNamespace(id=client.get("/api/v1/me", headers=headers).get_json()["id"])


@pytest.fixture()
def stranger(client: Any, headers: dict[str, str]) -> dict[str, str]:
    """Another signed-in user (ask for it before anything freezes the clock)."""
    return signed_in(client)


@pytest.fixture()
def clock(headers: dict[str, str]) -> Iterator[Clock]:
    """Freeze time once the user has signed in."""
    frozen = Clock(at("2025-03-03", "10:00"))
    set_clock(lambda: frozen.now)
    yield frozen
    set_clock(None)
