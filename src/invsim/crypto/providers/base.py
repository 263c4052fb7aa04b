"""The key-provider interface every provider implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class DataKey:
    """A fresh AES-256 data key, in clear (memory only) and wrapped (stored beside the data)."""

    plaintext: bytes
    wrapped: bytes
    version: int


class KeyProvider(Protocol):
    """Wraps data keys under a key-encryption key; each key has an integer version."""

    name: str

    def current_version(self) -> int:
        """Return the version new data keys are wrapped under."""
        ...

    def generate_data_key(self) -> DataKey:
        """Return a new data key wrapped under the current version."""
        ...

    def unwrap(self, version: int, wrapped: bytes) -> bytes:
        """Return the clear data key; unknown versions and bad blobs raise UndecryptableValue."""
        ...
