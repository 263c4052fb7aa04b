"""Market API fixtures: a private in-process store per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from invsim.core.kvstore import MemoryStore
from invsim.extensions import stores


@pytest.fixture(autouse=True)
def _private_memory_store() -> Iterator[None]:
    """Give each test an empty in-process store (quote cache, budgets, pub/sub)."""
    previous = stores.kv
    if isinstance(previous, MemoryStore):
        stores.kv = MemoryStore()
    yield
    if isinstance(stores.kv, MemoryStore):
        stores.kv = previous
