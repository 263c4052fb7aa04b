"""The embedded provider: a keyring of key-encryption keys in one file under VAR_DIR.

The first key is generated on first use, like the secret key. `add_version`
appends a new key (rotation); old keys stay so old values still decrypt. The
file's modification time is checked on use, so a process sees a key another
process (the `invsim keys` command) added without a restart.
"""

from __future__ import annotations

import base64
import json
import os
import threading
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from invsim.crypto.errors import KeyUnavailable, UndecryptableValue
from invsim.crypto.providers.base import DataKey

KEY_BYTES = 32
NONCE_BYTES = 12


def _aad(version: int) -> bytes:
    return f"invsim-data-key/{version}".encode()


class LocalKeyProvider:
    """Wrap data keys with AES-256-GCM under a key from the local keyring file."""

    name = "local"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._keys: dict[int, bytes] = {}
        self._current = 0
        self._mtime = -1.0
        self._refresh(create=True)

    def _refresh(self, *, create: bool = False) -> None:
        """Reload the keyring when the file changed (another process may have added a key)."""
        with self._lock:
            if create and not self.path.exists():
                self._write({1: os.urandom(KEY_BYTES)}, current=1)
            try:
                mtime = self.path.stat().st_mtime
                if mtime == self._mtime:
                    return
                data = json.loads(self.path.read_text())
                self._keys = {int(v): base64.b64decode(k) for v, k in data["keys"].items()}
                self._current, self._mtime = int(data["current"]), mtime
            except (OSError, ValueError, KeyError) as error:
                raise KeyUnavailable(f"The local keyring {self.path} cannot be read: {error}",
                                     code="key_unavailable") from None

    def _write(self, keys: dict[int, bytes], *, current: int) -> None:
        """Write the keyring atomically, readable by its owner only."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = {"current": current,
                "keys": {str(v): base64.b64encode(k).decode() for v, k in sorted(keys.items())}}
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(body, indent=1))
        temporary.chmod(0o600)
        temporary.replace(self.path)

    def current_version(self) -> int:
        """Return the newest key version in the keyring."""
        self._refresh()
        return self._current

    def add_version(self) -> int:
        """Append a new key-encryption key and make it current; return its version."""
        self._refresh()
        with self._lock:
            version = max(self._keys) + 1
            self._write({**self._keys, version: os.urandom(KEY_BYTES)}, current=version)
        self._refresh()
        return version

    def generate_data_key(self) -> DataKey:
        """Return a random data key wrapped under the current key."""
        version = self.current_version()
        plaintext, nonce = os.urandom(KEY_BYTES), os.urandom(NONCE_BYTES)
        wrapped = nonce + AESGCM(self._keys[version]).encrypt(nonce, plaintext, _aad(version))
        return DataKey(plaintext=plaintext, wrapped=wrapped, version=version)

    def unwrap(self, version: int, wrapped: bytes) -> bytes:
        """Unwrap a data key; an unknown version or a changed byte is a clear error."""
        if version not in self._keys:
            self._refresh()
        key = self._keys.get(version)
        if key is None:
            raise UndecryptableValue(
                f"Key version {version} is not in the local keyring {self.path} "
                f"(it has versions {sorted(self._keys)}).",
                details={"reason": "unknown_key_version", "key_version": version})
        try:
            return AESGCM(key).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], _aad(version))
        except (InvalidTag, ValueError):
            raise UndecryptableValue(
                f"A wrapped data key does not open with local key version {version}.",
                details={"reason": "wrapped_key_rejected", "key_version": version}) from None
