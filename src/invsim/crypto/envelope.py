"""The ciphertext format: one self-describing AES-256-GCM envelope per text value.

Text form: ``enc.<key version>.<base64url payload>``. The key version stays in
clear text so SQL can find the values still under an old key (rotation) without
decrypting anything. Payload: wrapped data key length (2 bytes, big endian), the
wrapped data key, a 12-byte nonce, the ciphertext with its 16-byte tag. The
associated data binds the text prefix and the field name, so a value copied into
another column or relabelled with another version fails authentication.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from invsim.crypto.errors import UndecryptableValue

MARKER = "enc."
NONCE_BYTES = 12
_TEXT = re.compile(r"^enc\.([0-9]{1,9})\.([A-Za-z0-9_-]+={0,2})$")


@dataclass(frozen=True)
class Envelope:
    """The parts of one stored ciphertext."""

    key_version: int
    wrapped_key: bytes
    nonce: bytes
    body: bytes


def version_prefix(key_version: int) -> str:
    """Return the text every ciphertext under `key_version` starts with."""
    return f"{MARKER}{key_version}."


def _associated_data(key_version: int, field: str) -> bytes:
    return f"{version_prefix(key_version)}{field}".encode()


def seal(plaintext: str, *, data_key: bytes, wrapped_key: bytes, key_version: int,
         field: str) -> str:
    """Encrypt `plaintext` for `field` under a data key and return the envelope text."""
    nonce = os.urandom(NONCE_BYTES)
    body = AESGCM(data_key).encrypt(nonce, plaintext.encode(),
                                    _associated_data(key_version, field))
    payload = len(wrapped_key).to_bytes(2, "big") + wrapped_key + nonce + body
    return version_prefix(key_version) + base64.urlsafe_b64encode(payload).decode()


def parse(text: str) -> Envelope:
    """Split an envelope text into its parts; anything else is an undecryptable value."""
    match = _TEXT.match(text)
    if match is None:
        raise UndecryptableValue("A stored value is not an invsim ciphertext.",
                                 details={"reason": "malformed"})
    try:
        payload = base64.urlsafe_b64decode(match.group(2))
    except (binascii.Error, ValueError):
        raise UndecryptableValue("A stored ciphertext is not valid base64.",
                                 details={"reason": "malformed"}) from None
    size = int.from_bytes(payload[:2], "big")
    wrapped, rest = payload[2:2 + size], payload[2 + size:]
    if len(wrapped) != size or len(rest) < NONCE_BYTES + 16:
        raise UndecryptableValue("A stored ciphertext is truncated.",
                                 details={"reason": "truncated"})
    return Envelope(int(match.group(1)), wrapped, rest[:NONCE_BYTES], rest[NONCE_BYTES:])


def open_envelope(envelope: Envelope, *, data_key: bytes, field: str) -> str:
    """Decrypt an envelope with its unwrapped data key; a changed byte fails loudly."""
    try:
        plain = AESGCM(data_key).decrypt(envelope.nonce, envelope.body,
                                         _associated_data(envelope.key_version, field))
    except InvalidTag:
        raise UndecryptableValue(
            f"A stored value of {field} failed authentication (tampered or not from this key).",
            details={"reason": "authentication_failed", "field": field,
                     "key_version": envelope.key_version}) from None
    return plain.decode()
