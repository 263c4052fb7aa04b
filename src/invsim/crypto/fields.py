"""Encrypted columns and blind indexes, served by one process-wide `cipher` bound in create_app.

`Encrypted("users.email")` is a column type: values are sealed on the way into
the database and opened on the way out, so services and queries that select
the column see plain text. Equality on an encrypted column is impossible by
design; lookups go through a blind index (a keyed HMAC of the normalised value).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from sqlalchemy import Dialect, Text
from sqlalchemy.types import TypeDecorator

from invsim.crypto import envelope
from invsim.crypto.cache import DecryptionKeyCache, EncryptionKeyCache
from invsim.crypto.errors import KeyUnavailable
from invsim.crypto.providers.base import KeyProvider


class FieldCipher:
    """Seal and open field values with envelope encryption; compute blind indexes."""

    def __init__(self) -> None:
        self.provider: KeyProvider | None = None
        self._encrypting: EncryptionKeyCache | None = None
        self._decrypting: DecryptionKeyCache | None = None
        self._index_key = b""
        self.bound_to: object = None  # the settings it was bound from (tests re-bind)

    def configure(self, provider: KeyProvider, *, index_key: bytes, max_age: float,
                  max_uses: int) -> None:
        """Bind a provider, the blind-index key and the data-key cache limits."""
        self.provider = provider
        self._encrypting = EncryptionKeyCache(provider, max_age=max_age, max_uses=max_uses)
        self._decrypting = DecryptionKeyCache(provider, max_age=max_age)
        self._index_key = index_key

    def _caches(self) -> tuple[EncryptionKeyCache, DecryptionKeyCache]:
        if self._encrypting is None or self._decrypting is None:
            raise KeyUnavailable("Field encryption is not configured (no key provider bound).")
        return self._encrypting, self._decrypting

    def current_version(self) -> int:
        """Return the key version new values are sealed under."""
        return self._caches()[0].provider.current_version()

    def encrypt(self, plaintext: str, *, field: str) -> str:
        """Seal one value of `field`."""
        encrypting, decrypting = self._caches()
        key = encrypting.take()
        decrypting.remember(key)
        return envelope.seal(plaintext, data_key=key.plaintext, wrapped_key=key.wrapped,
                             key_version=key.version, field=field)

    def decrypt(self, text: str, *, field: str) -> str:
        """Open one stored value of `field`; tampering and unknown versions raise."""
        parsed = envelope.parse(text)
        data_key = self._caches()[1].unwrap(parsed.key_version, parsed.wrapped_key)
        return envelope.open_envelope(parsed, data_key=data_key, field=field)

    def blind_index(self, value: str, *, field: str) -> str:
        """Return the keyed HMAC-SHA256 of a normalised value (hex), separate per field."""
        if not self._index_key:
            raise KeyUnavailable("Field encryption is not configured (no blind-index key).")
        message = f"{field}\x00{value}".encode()
        return hmac.new(self._index_key, message, hashlib.sha256).hexdigest()


cipher = FieldCipher()


class Encrypted(TypeDecorator[str]):
    """A text column stored as an envelope ciphertext of its value."""

    impl = Text
    cache_ok = True

    def __init__(self, field: str) -> None:
        super().__init__()
        self.field = field

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        """Seal the value before it reaches the database."""
        return None if value is None else cipher.encrypt(str(value), field=self.field)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        """Open the stored ciphertext."""
        return None if value is None else cipher.decrypt(str(value), field=self.field)
