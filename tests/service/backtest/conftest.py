"""Backtest service fixtures: each test starts with an empty in-process store."""

from tests.isolation import private_memory_store  # noqa: F401  (autouse where imported)
