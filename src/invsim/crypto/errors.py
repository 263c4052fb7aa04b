"""Errors of the encryption layer, in the one error shape (never a 500, never garbage)."""

from __future__ import annotations

from invsim.core.errors import ServiceUnavailable


class KeyUnavailable(ServiceUnavailable):
    """The key provider cannot wrap or unwrap a data key right now (KMS error, throttle)."""

    code = "key_unavailable"


class UndecryptableValue(ServiceUnavailable):
    """A stored value fails to decrypt: tampered, truncated or under an unknown key version."""

    code = "undecryptable_value"
