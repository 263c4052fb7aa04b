"""The in-process store and Redis behave alike: expiry, counters, pub/sub."""

import threading
import time
import uuid

import pytest

from invsim.core.kvstore import MemoryStore, RedisStore
from tests.services import REDIS_KEY_PREFIX


@pytest.fixture(params=["memory", "redis"])
def store(request):
    if request.param == "memory":
        return MemoryStore()
    return RedisStore(request.getfixturevalue("redis_url"))


def key():
    return f"{REDIS_KEY_PREFIX}{uuid.uuid4().hex}"


def test_entries_expire_by_themselves(store):
    k = key()
    store.set(k, "v", ttl_seconds=0.2)
    assert store.get(k) == "v"
    time.sleep(0.35)
    assert store.get(k) is None


def test_counters_increment_and_expire(store):
    k = key()
    assert [store.incr(k, 5) for _ in range(3)] == [1, 2, 3]
    assert 0 < store.ttl(k) <= 5


def test_set_if_absent_only_sets_once(store):
    k = key()
    assert store.set_if_absent(k, "a", 5) is True
    assert store.set_if_absent(k, "b", 5) is False
    assert store.get_many([k, key()]) == ["a", None]


def test_published_messages_reach_subscribers(store):
    channel = key()
    received = []
    ready = threading.Event()

    def listen():
        stream = store.subscribe([channel], timeout=0.1)
        ready.set()
        for message in stream:
            if message is not None:
                received.append(message)
                return

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    ready.wait(2)
    deadline = time.time() + 3
    while not received and time.time() < deadline:
        store.publish(channel, "tick")
        time.sleep(0.1)
    thread.join(2)
    assert received == ["tick"]
