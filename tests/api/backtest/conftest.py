"""Backtest API fixtures: signed-in users with a private key-value store, and a poller."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from invsim.core.kvstore import MemoryStore
from invsim.extensions import stores
from tests.factories import signed_in
from tests.service.challenges.support import appctx, clock  # noqa: F401

SMA = {"strategy": "sma_cross", "params": {"fast": 5, "slow": 20}, "symbols": ["AAPL"],
       "start": "2024-01-01", "end": "2024-12-31", "cash": "10000"}


@pytest.fixture()
def headers(client: Any) -> Iterator[dict[str, str]]:
    """A signed-in user; the daily counters live in a store of this test only."""
    previous = stores.kv
    stores.kv = MemoryStore()
    yield signed_in(client)
    stores.kv = previous


@pytest.fixture()
def stranger(client: Any, headers: dict[str, str]) -> dict[str, str]:
    """Another signed-in user."""
    return signed_in(client)


def wait_for(client: Any, headers: dict[str, str], run_id: int,
             timeout: float = 60.0) -> dict[str, Any]:
    """Poll a run until it is done or failed; return its body."""
    deadline = time.monotonic() + timeout
    while True:
        body: dict[str, Any] = client.get(f"/api/v1/backtests/{run_id}",
                                          headers=headers).get_json()
        if body["status"] in ("done", "failed") or time.monotonic() > deadline:
            return body
        time.sleep(0.05)


def submit(client: Any, headers: dict[str, str], **changes: Any) -> Any:
    """POST a backtest: the SMA request with `changes` applied."""
    return client.post("/api/v1/backtests", json={**SMA, **changes}, headers=headers)
