"""Envelope encryption with the local keyring: round trips, tampering, versions, cache limits."""

import base64
import json

import pytest

from invsim.crypto import envelope
from invsim.crypto.cache import EncryptionKeyCache
from invsim.crypto.errors import UndecryptableValue
from invsim.crypto.fields import FieldCipher
from invsim.crypto.providers.local import LocalKeyProvider


def make_cipher(path, **limits):
    cipher = FieldCipher()
    cipher.configure(LocalKeyProvider(path), index_key=b"k" * 32,
                     max_age=limits.get("max_age", 300), max_uses=limits.get("max_uses", 1000))
    return cipher


def flip_byte(text, position):
    prefix, payload = text.rsplit(".", 1)
    raw = bytearray(base64.urlsafe_b64decode(payload))
    raw[position] ^= 0x01
    return f"{prefix}.{base64.urlsafe_b64encode(bytes(raw)).decode()}"


def test_a_value_round_trips_and_carries_its_key_version(tmp_path):
    cipher = make_cipher(tmp_path / "keyring.json")
    sealed = cipher.encrypt("ada@example.com", field="users.email")
    assert sealed.startswith("enc.1.")
    assert "ada" not in sealed
    assert cipher.decrypt(sealed, field="users.email") == "ada@example.com"


def test_the_same_value_encrypts_differently_each_time(tmp_path):
    cipher = make_cipher(tmp_path / "keyring.json")
    assert cipher.encrypt("x", field="f") != cipher.encrypt("x", field="f")


def test_the_keyring_is_generated_once_and_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "keyring.json"
    sealed = make_cipher(path).encrypt("same key later", field="f")
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert make_cipher(path).decrypt(sealed, field="f") == "same key later"


@pytest.mark.parametrize("position", [0, 3, 40, -1])
def test_a_tampered_ciphertext_is_a_clear_error(tmp_path, position):
    cipher = make_cipher(tmp_path / "keyring.json")
    sealed = cipher.encrypt("ada@example.com", field="users.email")
    with pytest.raises(UndecryptableValue) as caught:
        cipher.decrypt(flip_byte(sealed, position), field="users.email")
    assert caught.value.status == 503
    assert caught.value.code == "undecryptable_value"


def test_a_value_moved_to_another_column_does_not_open(tmp_path):
    cipher = make_cipher(tmp_path / "keyring.json")
    sealed = cipher.encrypt("Ada", field="users.display_name")
    with pytest.raises(UndecryptableValue, match="users.email failed authentication"):
        cipher.decrypt(sealed, field="users.email")


def test_an_unknown_key_version_names_the_versions_the_keyring_has(tmp_path):
    cipher = make_cipher(tmp_path / "keyring.json")
    relabelled = cipher.encrypt("x", field="f").replace("enc.1.", "enc.7.", 1)
    with pytest.raises(UndecryptableValue, match=r"Key version 7 is not in the local keyring"):
        cipher.decrypt(relabelled, field="f")


@pytest.mark.parametrize("text", ["ada@example.com", "enc.1.", "enc.x.AAAA", "enc.1.AAAA",
                                  "enc.1.!!!!"])
def test_plain_or_malformed_text_is_refused(tmp_path, text):
    with pytest.raises(UndecryptableValue):
        make_cipher(tmp_path / "keyring.json").decrypt(text, field="f")


def test_a_new_key_version_is_seen_by_another_process_without_restart(tmp_path):
    path = tmp_path / "keyring.json"
    web, operator = make_cipher(path), LocalKeyProvider(path)
    old = web.encrypt("before", field="f")
    assert operator.add_version() == 2
    new = make_cipher(path).encrypt("after", field="f")
    assert new.startswith("enc.2.")
    assert web.decrypt(new, field="f") == "after"
    assert web.encrypt("next", field="f").startswith("enc.2.")
    assert web.decrypt(old, field="f") == "before"
    assert sorted(json.loads(path.read_text())["keys"]) == ["1", "2"]


class CountingProvider(LocalKeyProvider):
    """The real local provider, counting how often a data key is generated."""

    generated = 0

    def generate_data_key(self):
        self.generated += 1
        return super().generate_data_key()


def test_a_data_key_is_reused_for_a_bounded_number_of_values(tmp_path):
    provider = CountingProvider(tmp_path / "keyring.json")
    cache = EncryptionKeyCache(provider, max_age=300, max_uses=3)
    keys = [cache.take().wrapped for _ in range(7)]
    assert provider.generated == 3
    assert len(set(keys[:3])) == 1 and keys[3] != keys[2]


def test_a_data_key_is_reused_for_a_bounded_time(tmp_path):
    now = [0.0]
    provider = CountingProvider(tmp_path / "keyring.json")
    cache = EncryptionKeyCache(provider, max_age=60, max_uses=1000, clock=lambda: now[0])
    first = cache.take()
    now[0] = 59.0
    assert cache.take() is first
    now[0] = 60.0
    assert cache.take() is not first
    assert provider.generated == 2


def test_blind_indexes_are_keyed_and_separate_per_field(tmp_path):
    cipher = make_cipher(tmp_path / "keyring.json")
    other = FieldCipher()
    other.configure(LocalKeyProvider(tmp_path / "keyring.json"), index_key=b"o" * 32,
                    max_age=1, max_uses=1)
    value = cipher.blind_index("ada@example.com", field="users.email")
    assert value == cipher.blind_index("ada@example.com", field="users.email")
    assert value != cipher.blind_index("ada@example.com", field="other.email")
    assert value != other.blind_index("ada@example.com", field="users.email")
    assert len(value) == 64


def test_envelope_text_prefix_is_the_version():
    assert envelope.version_prefix(12) == "enc.12."
