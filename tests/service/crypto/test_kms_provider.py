"""The aws-kms provider against moto's KMS server, started here as a local HTTP process.

moto stands in for AWS KMS (no test reaches the internet); the wire protocol is boto3's own.
"""

import os
import socket
import subprocess
import sys
import time

import boto3
import pytest

from invsim.crypto.errors import KeyUnavailable, UndecryptableValue
from invsim.crypto.fields import FieldCipher
from invsim.crypto.providers.kms import KmsKeyProvider, make_client

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def kms_url():
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1",
                                "-p", str(port)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    os.environ.update(CREDENTIALS)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def new_key(url):
    client = boto3.client("kms", region_name="us-east-1", endpoint_url=url)
    return client, client.create_key(Description="invsim test")["KeyMetadata"]["KeyId"]


def kms_cipher(url, key_ids, max_attempts=2):
    cipher = FieldCipher()
    provider = KmsKeyProvider(key_ids, make_client(region="us-east-1", endpoint_url=url,
                                                   max_attempts=max_attempts))
    cipher.configure(provider, index_key=b"k" * 32, max_age=300, max_uses=1000)
    return cipher


def test_values_round_trip_through_kms_data_keys(kms_url):
    _, key_id = new_key(kms_url)
    sealed = kms_cipher(kms_url, [key_id]).encrypt("ada@example.com", field="users.email")
    assert sealed.startswith("enc.1.")
    # a fresh process (empty caches) asks KMS to unwrap the data key
    assert kms_cipher(kms_url, [key_id]).decrypt(sealed, field="users.email") == "ada@example.com"


def test_a_second_kms_key_is_version_two_and_old_values_still_open(kms_url):
    _, first = new_key(kms_url)
    _, second = new_key(kms_url)
    old = kms_cipher(kms_url, [first]).encrypt("old", field="f")
    rotated = kms_cipher(kms_url, [first, second])
    assert rotated.encrypt("new", field="f").startswith("enc.2.")
    assert rotated.decrypt(old, field="f") == "old"


def test_a_kms_error_answer_is_a_clear_key_unavailable_error(kms_url):
    missing = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    with pytest.raises(KeyUnavailable, match="AWS KMS GenerateDataKey failed: NotFound") as caught:
        kms_cipher(kms_url, [missing]).encrypt("y", field="f")
    assert caught.value.status == 503 and caught.value.details["kms_error"]


def test_an_unreachable_kms_is_a_clear_error_not_a_hang():
    cipher = kms_cipher(f"http://127.0.0.1:{free_port()}", ["some-key"], max_attempts=1)
    with pytest.raises(KeyUnavailable, match="unreachable"):
        cipher.encrypt("x", field="f")


def test_a_version_beyond_the_configured_keys_is_refused(kms_url):
    _, key_id = new_key(kms_url)
    cipher = kms_cipher(kms_url, [key_id])
    relabelled = cipher.encrypt("x", field="f").replace("enc.1.", "enc.3.", 1)
    with pytest.raises(UndecryptableValue, match="Key version 3 is not configured"):
        kms_cipher(kms_url, [key_id]).decrypt(relabelled, field="f")
