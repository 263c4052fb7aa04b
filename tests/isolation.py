"""Fixtures that keep one test's process-wide state from reaching the next."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from invsim.core.kvstore import MemoryStore
from invsim.extensions import stores


@pytest.fixture(autouse=True)
def private_memory_store() -> Iterator[None]:
    """Give each test an empty in-process store (quote cache, budgets, provider flags, pub/sub).

    Autouse where a conftest imports it. Only an in-process store is swapped: a Redis-backed
    one is already private to the xdist worker (its own database number).
    """
    previous = stores.kv
    if isinstance(previous, MemoryStore):
        stores.kv = MemoryStore()
    yield
    if isinstance(stores.kv, MemoryStore):
        stores.kv = previous
