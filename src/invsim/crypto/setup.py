"""Build the key provider named by the settings and bind the process-wide cipher."""

from __future__ import annotations

import base64
import hashlib

from invsim.config import Settings
from invsim.crypto.fields import FieldCipher, cipher
from invsim.crypto.providers.base import KeyProvider
from invsim.crypto.providers.kms import KmsKeyProvider, make_client
from invsim.crypto.providers.local import LocalKeyProvider


def build_provider(settings: Settings) -> KeyProvider:
    """Return the provider KEY_PROVIDER names (checked by Settings)."""
    if settings.key_provider == "aws-kms":
        client = make_client(region=settings.aws_region, endpoint_url=settings.kms_endpoint_url,
                             max_attempts=settings.kms_max_attempts)
        return KmsKeyProvider(settings.kms_key_id_list, client)
    return LocalKeyProvider(settings.effective_local_keyring)


def index_key(settings: Settings) -> bytes:
    """Derive the 32-byte HMAC key from BLIND_INDEX_KEY (any long random string)."""
    text = settings.blind_index_key
    try:
        raw = base64.b64decode(text, validate=True)
        if len(raw) == 32:
            return raw
    except ValueError:
        pass
    return hashlib.sha256(text.encode()).digest()


def configure_cipher(target: FieldCipher, settings: Settings) -> FieldCipher:
    """Bind `target` to the provider, blind-index key and cache limits of the settings."""
    target.configure(build_provider(settings), index_key=index_key(settings),
                     max_age=settings.data_key_max_age_seconds,
                     max_uses=settings.data_key_max_uses)
    target.bound_to = settings
    return target


def init_cipher(settings: Settings) -> None:
    """Bind the process-wide cipher (the one the column types use)."""
    configure_cipher(cipher, settings)
