"""The AWS KMS provider: data keys generated and unwrapped by KMS (boto3).

`KMS_KEY_IDS` lists the KMS keys oldest first; a key's version is its position
(1-based), the last is current. Rotating to a new KMS key means appending its id
and running `invsim keys rotate`. KMS's own yearly rotation of a key's backing
material needs nothing from us: the same key id decrypts old blobs.
"""

from __future__ import annotations

from typing import Any

from invsim.crypto.errors import KeyUnavailable, UndecryptableValue
from invsim.crypto.providers.base import DataKey

# Binds every wrapped key to this application (KMS checks it on Decrypt, CloudTrail logs it).
ENCRYPTION_CONTEXT = {"application": "invsim", "purpose": "field-encryption"}
_BAD_BLOB = {"InvalidCiphertextException", "IncorrectKeyException"}


def make_client(*, region: str, endpoint_url: str | None, max_attempts: int) -> Any:
    """Build a KMS client with bounded retries and timeouts (standard retry mode backs off)."""
    import boto3
    from botocore.config import Config

    config = Config(retries={"max_attempts": max_attempts, "mode": "standard"},
                    connect_timeout=3, read_timeout=5)
    return boto3.client("kms", region_name=region, endpoint_url=endpoint_url or None,
                        config=config)


class KmsKeyProvider:
    """Generate and unwrap data keys through AWS KMS."""

    name = "aws-kms"

    def __init__(self, key_ids: list[str], client: Any) -> None:
        if not key_ids:
            raise KeyUnavailable("KMS_KEY_IDS is empty: name at least one KMS key.")
        self.key_ids = key_ids
        self.client = client

    def current_version(self) -> int:
        """Return the position of the newest KMS key."""
        return len(self.key_ids)

    def generate_data_key(self) -> DataKey:
        """Ask KMS for a new AES-256 data key under the current KMS key."""
        version = self.current_version()
        answer = self._call("GenerateDataKey", self.client.generate_data_key,
                            KeyId=self.key_ids[version - 1], KeySpec="AES_256",
                            EncryptionContext=ENCRYPTION_CONTEXT)
        return DataKey(plaintext=answer["Plaintext"], wrapped=answer["CiphertextBlob"],
                       version=version)

    def unwrap(self, version: int, wrapped: bytes) -> bytes:
        """Ask KMS to decrypt a wrapped data key of a known version."""
        if not 1 <= version <= len(self.key_ids):
            raise UndecryptableValue(
                f"Key version {version} is not configured: KMS_KEY_IDS names versions "
                f"1..{len(self.key_ids)}.",
                details={"reason": "unknown_key_version", "key_version": version})
        answer = self._call("Decrypt", self.client.decrypt, CiphertextBlob=wrapped,
                            KeyId=self.key_ids[version - 1],
                            EncryptionContext=ENCRYPTION_CONTEXT)
        return bytes(answer["Plaintext"])

    def _call(self, operation: str, function: Any, **kwargs: Any) -> dict[str, Any]:
        """Call KMS and turn its failures into the two errors the app knows."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return dict(function(**kwargs))
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", "Unknown"))
            message = str(error.response.get("Error", {}).get("Message", ""))
            if code in _BAD_BLOB:
                raise UndecryptableValue(
                    f"AWS KMS refused to unwrap a data key ({code}).",
                    details={"reason": "wrapped_key_rejected", "kms_error": code}) from None
            raise KeyUnavailable(f"AWS KMS {operation} failed: {code}: {message}".rstrip(": "),
                                 details={"kms_error": code, "operation": operation}) from None
        except BotoCoreError as error:
            raise KeyUnavailable(f"AWS KMS {operation} is unreachable: {error}",
                                 details={"operation": operation}) from None
