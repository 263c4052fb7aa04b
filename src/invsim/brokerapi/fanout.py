"""One shared subscription per channel and process, fanned out to the open websockets.

A websocket never subscribes to the store itself: with Redis that would be one
connection per bot. A `Fanout` holds ONE subscription (a thread; a greenlet under
gevent), reads each message's routing key (a portfolio id, a symbol) and hands the
message to the bounded inboxes of the listeners of that key. A slow listener loses
its oldest messages and never holds up the others. (`market/stream.py`'s QuoteHub does
the same for the SSE stream; this one is keyed by any field, so both Alpaca streams
share it.)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import structlog

from invsim.core.inbox import Inbox
from invsim.extensions import stores

log = structlog.get_logger("invsim.brokerapi.fanout")

INBOX_SIZE = 1024
POLL_SECONDS = 0.25

Subscribe = Callable[[float], Iterable[str | None]]


class Listener(Inbox):
    """One websocket's interest (a set of keys) and its own bounded inbox."""

    drain_limit = 256

    def __init__(self, keys: Iterable[str]) -> None:
        super().__init__(INBOX_SIZE)
        self.keys = frozenset(keys)


class Fanout:
    """The shared subscription of one channel: `key_of(message)` names who receives it."""

    def __init__(self, name: str, subscribe: Subscribe, key_of: Callable[[str], str | None],
                 *, refresh: Callable[[set[str]], None] | None = None,
                 refresh_seconds: float = 20.0) -> None:
        self.name = name
        self._subscribe = subscribe
        self._key_of = key_of
        self._refresh = refresh
        self._refresh_seconds = refresh_seconds
        self._by_key: dict[str, set[Listener]] = {}
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, keys: Iterable[str]) -> Listener:
        """Register a listener and make sure the subscription runs."""
        listener = Listener(keys)
        with self._lock:
            for key in listener.keys:
                self._by_key.setdefault(key, set()).add(listener)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, daemon=True,
                                                name=f"invsim-fanout-{self.name}")
                self._thread.start()
        return listener

    def remove(self, listener: Listener | None) -> None:
        """Forget a listener (its websocket closed or changed its subscription)."""
        if listener is None:
            return
        with self._lock:
            for key in listener.keys:
                listeners = self._by_key.get(key)
                if listeners is not None:
                    listeners.discard(listener)
                    if not listeners:
                        del self._by_key[key]

    def wait_ready(self, timeout: float = 5.0) -> bool:
        """Wait until the subscription listens: what is published afterwards arrives."""
        return self._ready.wait(timeout)

    def listener_count(self, key: str | None = None) -> int:
        """Count the listeners (of one key) in this process."""
        with self._lock:
            if key is not None:
                return len(self._by_key.get(key, ()))
            return len({item for group in self._by_key.values() for item in group})

    def dispatch(self, message: str) -> int:
        """Hand one message to the listeners of its key; return how many got it."""
        key = self._key_of(message)
        if key is None:
            return 0
        with self._lock:
            listeners = list(self._by_key.get(key, ()))
        for listener in listeners:
            listener.offer(message)
        return len(listeners)

    def keys(self) -> set[str]:
        """The keys someone in this process listens to."""
        with self._lock:
            return set(self._by_key)

    def _run(self) -> None:
        """Listen for the life of the process, reconnecting after errors."""
        while True:
            try:
                self._listen()
            except Exception:
                self._ready.clear()
                log.exception("fanout_subscription_failed", channel=self.name)
                time.sleep(1.0)

    def _listen(self) -> None:
        refreshed = time.monotonic()
        subscription: Iterator[str | None] = iter(self._subscribe(POLL_SECONDS))
        try:
            for message in subscription:
                self._ready.set()
                if message is not None:
                    self.dispatch(message)
                if self._refresh is not None and \
                        time.monotonic() - refreshed > self._refresh_seconds:
                    self._refresh(self.keys())
                    refreshed = time.monotonic()
        finally:
            close: Any = getattr(subscription, "close", None)
            if close is not None:
                close()


_fanouts: dict[tuple[str, int], tuple[object, Fanout]] = {}
_fanouts_lock = threading.Lock()


def fanout(name: str, build: Callable[[], Fanout]) -> Fanout:
    """This process's fanout `name` for the current store (one per store: tests swap it)."""
    kv = stores.kv
    slot = (name, id(kv))
    with _fanouts_lock:
        found = _fanouts.get(slot)
        if found is None or found[0] is not kv:  # the store is held, so its id is not reused
            found = _fanouts[slot] = (kv, build())
        return found[1]
