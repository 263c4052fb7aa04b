"""A small key-value store: Redis in production, an in-process twin when embedded.

Used for the JWT revocation list, quote cache, request budgets and pub/sub of
live quotes. Entries with a TTL disappear by themselves in both versions.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from typing import Any, Protocol


class KeyValueStore(Protocol):
    """What invsim needs from Redis."""

    def get(self, key: str) -> str | None: ...
    def get_many(self, keys: list[str]) -> list[str | None]: ...
    def set(self, key: str, value: str, ttl_seconds: float | None = None) -> None: ...
    def set_if_absent(self, key: str, value: str, ttl_seconds: float) -> bool: ...
    def delete(self, key: str) -> None: ...
    def incr(self, key: str, ttl_seconds: float) -> int: ...
    def ttl(self, key: str) -> float | None: ...
    def publish(self, channel: str, message: str) -> None: ...
    def publish_many(self, channel: str, messages: list[str]) -> None: ...
    def subscribe(self, channels: list[str], timeout: float) -> Iterator[str | None]: ...
    def ping(self) -> bool: ...


class MemoryStore:
    """Thread-safe in-process store with expiring keys and pub/sub."""

    def __init__(self) -> None:
        self._data: dict[str, tuple[str, float | None]] = {}
        self._lock = threading.Lock()
        self._subscribers: dict[str, set[queue.Queue[str]]] = {}

    def _live(self, key: str, now: float) -> str | None:
        entry = self._data.get(key)
        if entry is None:
            return None
        value, expires = entry
        if expires is not None and expires <= now:
            del self._data[key]
            return None
        return value

    def get(self, key: str) -> str | None:
        """Return the value, or None when absent or expired."""
        with self._lock:
            return self._live(key, time.monotonic())

    def get_many(self, keys: list[str]) -> list[str | None]:
        """Return the values of several keys at once."""
        now = time.monotonic()
        with self._lock:
            return [self._live(key, now) for key in keys]

    def set(self, key: str, value: str, ttl_seconds: float | None = None) -> None:
        """Store a value, optionally expiring after ttl_seconds."""
        expires = None if ttl_seconds is None else time.monotonic() + ttl_seconds
        with self._lock:
            self._data[key] = (value, expires)

    def set_if_absent(self, key: str, value: str, ttl_seconds: float) -> bool:
        """Store only when the key is absent; tell whether it was stored."""
        now = time.monotonic()
        with self._lock:
            if self._live(key, now) is not None:
                return False
            self._data[key] = (value, now + ttl_seconds)
            return True

    def delete(self, key: str) -> None:
        """Remove a key if present."""
        with self._lock:
            self._data.pop(key, None)

    def incr(self, key: str, ttl_seconds: float) -> int:
        """Increment a counter; a new counter expires after ttl_seconds."""
        now = time.monotonic()
        with self._lock:
            current = self._live(key, now)
            if current is None:
                self._data[key] = ("1", now + ttl_seconds)
                return 1
            _, expires = self._data[key]
            count = int(current) + 1
            self._data[key] = (str(count), expires)
            return count

    def ttl(self, key: str) -> float | None:
        """Return seconds left before the key expires (None when absent or persistent)."""
        now = time.monotonic()
        with self._lock:
            if self._live(key, now) is None:
                return None
            expires = self._data[key][1]
            return None if expires is None else expires - now

    def publish_many(self, channel: str, messages: list[str]) -> None:
        """Deliver several messages, in order."""
        for message in messages:
            self.publish(channel, message)

    def publish(self, channel: str, message: str) -> None:
        """Deliver a message to every current subscriber of the channel."""
        with self._lock:
            targets = list(self._subscribers.get(channel, ()))
        for target in targets:
            target.put_nowait(message)

    def subscribe(self, channels: list[str], timeout: float) -> Iterator[str | None]:
        """Yield messages as they come; yield None after each idle timeout."""
        inbox: queue.Queue[str] = queue.Queue()
        with self._lock:
            for channel in channels:
                self._subscribers.setdefault(channel, set()).add(inbox)
        try:
            while True:
                try:
                    yield inbox.get(timeout=timeout)
                except queue.Empty:
                    yield None
        finally:
            with self._lock:
                for channel in channels:
                    self._subscribers.get(channel, set()).discard(inbox)

    def ping(self) -> bool:
        """Always reachable."""
        return True


class RedisStore:
    """The same operations on a Redis server."""

    def __init__(self, url: str) -> None:
        import redis

        self._redis: Any = redis.Redis.from_url(
            url, decode_responses=True, socket_timeout=2.0, socket_connect_timeout=2.0
        )
        self.url = url

    def get(self, key: str) -> str | None:
        """Return the value, or None when absent or expired."""
        value = self._redis.get(key)
        return None if value is None else str(value)

    def get_many(self, keys: list[str]) -> list[str | None]:
        """Return the values of several keys in one round trip."""
        if not keys:
            return []
        return list(self._redis.mget(keys))

    def set(self, key: str, value: str, ttl_seconds: float | None = None) -> None:
        """Store a value, optionally expiring after ttl_seconds."""
        if ttl_seconds is None:
            self._redis.set(key, value)
        else:
            self._redis.set(key, value, px=max(1, int(ttl_seconds * 1000)))

    def set_if_absent(self, key: str, value: str, ttl_seconds: float) -> bool:
        """Store only when the key is absent; tell whether it was stored."""
        return bool(self._redis.set(key, value, nx=True, px=max(1, int(ttl_seconds * 1000))))

    def delete(self, key: str) -> None:
        """Remove a key if present."""
        self._redis.delete(key)

    def incr(self, key: str, ttl_seconds: float) -> int:
        """Increment a counter atomically; a new counter expires after ttl_seconds."""
        pipe = self._redis.pipeline()
        pipe.incr(key)
        pipe.pexpire(key, max(1, int(ttl_seconds * 1000)), nx=True)
        count, _ = pipe.execute()
        return int(count)

    def ttl(self, key: str) -> float | None:
        """Return seconds left before the key expires (None when absent or persistent)."""
        millis = int(self._redis.pttl(key))
        return None if millis < 0 else millis / 1000

    def publish(self, channel: str, message: str) -> None:
        """Publish to a Redis channel."""
        self._redis.publish(channel, message)

    def publish_many(self, channel: str, messages: list[str]) -> None:
        """Publish several messages, in order, in one round trip."""
        pipe = self._redis.pipeline(transaction=False)
        for message in messages:
            pipe.publish(channel, message)
        pipe.execute()

    def subscribe(self, channels: list[str], timeout: float) -> Iterator[str | None]:
        """Yield messages as they come; yield None after each idle timeout."""
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(*channels)
        try:
            while True:
                message = pubsub.get_message(timeout=timeout)
                yield None if message is None else str(message["data"])
        finally:
            pubsub.close()

    def ping(self) -> bool:
        """Tell whether Redis answers."""
        try:
            return bool(self._redis.ping())
        except Exception:
            return False


def create_store(redis_url: str) -> KeyValueStore:
    """Return a Redis store when a URL is configured, else the in-process one."""
    return RedisStore(redis_url) if redis_url else MemoryStore()
