"""Bounded caches of clear data keys, so KMS is called per thousands of values, not per value.

Encryption reuses one data key for at most `max_age` seconds and `max_uses`
values (the limits AWS's own caching materials manager applies); decryption
keeps recently unwrapped keys, keyed by version and wrapped bytes, for `max_age`.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from invsim.crypto.providers.base import DataKey, KeyProvider


class EncryptionKeyCache:
    """The data key new values are sealed with, replaced when too old or used too often."""

    def __init__(self, provider: KeyProvider, *, max_age: float, max_uses: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.provider, self.max_age, self.max_uses, self.clock = (
            provider, max_age, max_uses, clock)
        self._lock = threading.Lock()
        self._key: DataKey | None = None
        self._born = 0.0
        self._uses = 0

    def _stale(self) -> bool:
        return (self._key is None or self._uses >= self.max_uses
                or self.clock() - self._born >= self.max_age
                or self._key.version != self.provider.current_version())

    def take(self) -> DataKey:
        """Return the current data key, counting one use."""
        with self._lock:
            if self._stale():
                self._key, self._born, self._uses = (
                    self.provider.generate_data_key(), self.clock(), 0)
            self._uses += 1
            assert self._key is not None
            return self._key


class DecryptionKeyCache:
    """Recently unwrapped data keys, least recently used dropped first."""

    def __init__(self, provider: KeyProvider, *, max_age: float, max_entries: int = 1024,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.provider, self.max_age, self.max_entries, self.clock = (
            provider, max_age, max_entries, clock)
        self._lock = threading.Lock()
        self._keys: OrderedDict[tuple[int, bytes], tuple[bytes, float]] = OrderedDict()

    def _cached(self, slot: tuple[int, bytes]) -> bytes | None:
        with self._lock:
            entry = self._keys.get(slot)
            if entry is None or self.clock() - entry[1] >= self.max_age:
                return None
            self._keys.move_to_end(slot)
            return entry[0]

    def unwrap(self, version: int, wrapped: bytes) -> bytes:
        """Return the clear data key for a wrapped one, asking the provider on a miss."""
        found = self._cached((version, wrapped))
        if found is not None:
            return found
        plaintext = self.provider.unwrap(version, wrapped)
        with self._lock:
            self._keys[(version, wrapped)] = (plaintext, self.clock())
            while len(self._keys) > self.max_entries:
                self._keys.popitem(last=False)
        return plaintext

    def remember(self, key: DataKey) -> None:
        """Cache a key this process generated, so reading back what it wrote costs nothing."""
        with self._lock:
            self._keys[(key.version, key.wrapped)] = (key.plaintext, self.clock())
