"""Server-Sent Events of live quotes: one shared subscriber per process, a queue per client.

The hub holds ONE subscription to the store's "quotes" channel (one Redis connection per
process, not per client) and hands each message to the queues of the clients watching its
symbol. Slow clients lose their oldest messages, never block the others.

In production run a dedicated stream process made for long connections:

    gunicorn -k gevent --worker-connections 2000 invsim.market.stream:app

(nginx sends /api/v1/market/stream there with proxy_buffering off). In embedded mode the
threaded development server serves the same endpoint directly.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

import structlog

from invsim.core.errors import ServiceUnavailable
from invsim.core.inbox import Inbox
from invsim.core.kvstore import KeyValueStore
from invsim.extensions import stores
from invsim.market.instruments import require_known
from invsim.market.quotes import get_quotes
from invsim.market.symbols import normalise_symbols
from invsim.market.ticks import CHANNEL, INTEREST_TTL_SECONDS, quote_message, register_interest

log = structlog.get_logger("invsim.market.stream")

HEARTBEAT_SECONDS = 15.0
CLIENT_QUEUE_SIZE = 256
RETRY_MILLISECONDS = 3000
SNAPSHOT_MAX_AGE_SECONDS = 10.0
_POLL_SECONDS = 0.25
_INTEREST_REFRESH_SECONDS = INTEREST_TTL_SECONDS / 3


class StreamClient(Inbox):
    """One open stream: the symbols it watches and its own bounded queue."""

    def __init__(self, symbols: Iterable[str]) -> None:
        super().__init__(CLIENT_QUEUE_SIZE)
        self.symbols = frozenset(symbols)


class QuoteHub:
    """Fans the "quotes" channel out to the stream clients of this process."""

    def __init__(self, kv: KeyValueStore) -> None:
        self.kv = kv
        self._by_symbol: dict[str, set[StreamClient]] = {}
        self._latest: dict[str, tuple[float, str]] = {}  # symbol -> (received, message)
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def subscribe(self, symbols: Iterable[str]) -> StreamClient:
        """Register a client for `symbols` and make sure the shared subscriber runs."""
        client = StreamClient(symbols)
        with self._lock:
            new = [symbol for symbol in client.symbols if symbol not in self._by_symbol]
            for symbol in client.symbols:
                self._by_symbol.setdefault(symbol, set()).add(client)
            self._start()
        # Symbols other local clients already watch have their interest renewed by the hub.
        register_interest(self.kv, new)
        return client

    def unsubscribe(self, client: StreamClient) -> None:
        """Forget a client whose connection closed."""
        with self._lock:
            for symbol in client.symbols:
                watchers = self._by_symbol.get(symbol)
                if watchers is not None:
                    watchers.discard(client)
                    if not watchers:
                        del self._by_symbol[symbol]

    def wait_ready(self, timeout: float = 5.0) -> bool:
        """Wait until the shared subscription listens (tests and benchmarks)."""
        return self._ready.wait(timeout)

    def latest(self, symbols: Iterable[str], max_age: float) -> dict[str, str]:
        """Return the last message received per symbol, if younger than `max_age` seconds."""
        oldest = time.monotonic() - max_age
        with self._lock:
            found = {s: self._latest.get(s) for s in symbols}
        return {s: entry[1] for s, entry in found.items() if entry and entry[0] >= oldest}

    def client_count(self) -> int:
        """Count the distinct clients connected to this process."""
        with self._lock:
            return len({c for watchers in self._by_symbol.values() for c in watchers})

    def dispatch(self, message: str) -> int:
        """Hand one published quote to every client watching its symbol; return how many."""
        try:
            symbol = json.loads(message)["symbol"]
        except (ValueError, KeyError, TypeError):
            log.warning("stream_message_unreadable")
            return 0
        with self._lock:
            self._latest[symbol] = (time.monotonic(), message)
            watchers = list(self._by_symbol.get(symbol, ()))
        for client in watchers:
            client.offer(message)
        return len(watchers)

    def stop(self, timeout: float = 2.0) -> None:
        """Close the shared subscription and wait for its thread to end."""
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _start(self) -> None:
        """Start the subscriber thread (a greenlet under gevent) once."""
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="invsim-quote-hub",
                                            daemon=True)
            self._thread.start()

    def _run(self) -> None:
        """Listen until stopped, reconnecting after errors."""
        while not self._stopped.is_set():
            try:
                self._listen()
            except Exception:
                self._ready.clear()
                log.exception("stream_subscriber_failed")
                time.sleep(1.0)

    def _listen(self) -> None:
        """Dispatch messages and keep the watched symbols' interest alive."""
        refreshed = time.monotonic()
        subscription = self.kv.subscribe([CHANNEL], timeout=_POLL_SECONDS)
        try:
            for message in subscription:
                self._ready.set()
                if self._stopped.is_set():
                    return
                if message is not None:
                    self.dispatch(message)
                if time.monotonic() - refreshed > _INTEREST_REFRESH_SECONDS:
                    self._refresh_interest()
                    refreshed = time.monotonic()
        finally:
            subscription.close()  # type: ignore[attr-defined]

    def _refresh_interest(self) -> None:
        """Renew the interest keys of every symbol this process's clients watch."""
        with self._lock:
            symbols = list(self._by_symbol)
        register_interest(self.kv, symbols)


_snapshot_slots = threading.BoundedSemaphore(16)
_hubs: dict[int, QuoteHub] = {}
_hubs_lock = threading.Lock()


def hub_for(kv: KeyValueStore) -> QuoteHub:
    """Return this process's hub for the store `kv` (one per store, created on first use)."""
    with _hubs_lock:
        hub = _hubs.get(id(kv))
        if hub is None or hub.kv is not kv:
            hub = _hubs[id(kv)] = QuoteHub(kv)
        return hub


def open_stream(symbols: list[str]) -> Iterator[str]:
    """Start a stream of `symbols`: subscribe first, then send the current quotes."""
    wanted = normalise_symbols(symbols)
    require_known(wanted)
    hub = hub_for(stores.kv)
    client = hub.subscribe(wanted)
    try:
        snapshot = _snapshot(hub, wanted)
    except BaseException:
        hub.unsubscribe(client)
        raise
    return sse_events(hub, client, snapshot)


def _snapshot(hub: QuoteHub, symbols: list[str]) -> list[str]:
    """Return the current quote messages: the hub's latest ticks, else computed or cached."""
    latest = hub.latest(symbols, max_age=SNAPSHOT_MAX_AGE_SECONDS)
    missing = [s for s in symbols if s not in latest]
    if missing:
        # Bounded, so a thousand clients connecting at once cannot drain the store's pool.
        with _snapshot_slots:
            try:
                quotes = get_quotes(missing, fetch_missing=False)
            except ServiceUnavailable:
                quotes = {}
        latest.update({s: quote_message(q) for s, q in quotes.items()})
    return [latest[s] for s in symbols if s in latest]


def sse_events(hub: QuoteHub, client: StreamClient, snapshot: list[str], *,
               heartbeat: float = HEARTBEAT_SECONDS) -> Iterator[str]:
    """Yield the SSE stream: retry hint, the snapshot, then quotes and heartbeat comments."""
    try:
        yield f"retry: {RETRY_MILLISECONDS}\n\n"
        for data in snapshot:
            yield f"event: quote\ndata: {data}\n\n"
        while True:
            messages = client.drain(heartbeat)
            # One write per wake-up: quotes that arrived together leave together.
            yield "".join(f"event: quote\ndata: {m}\n\n" for m in messages) or ": heartbeat\n\n"
    finally:
        hub.unsubscribe(client)


_app_lock = threading.Lock()
_built: list[Any] = []


def _stream_app() -> Any:
    """Build the app the stream process serves (on its first request, not at import)."""
    if not _built:
        with _app_lock:
            if not _built:
                # The stream process's entry point builds the whole app; importing it at
                # module level would make the market domain import every domain above it.
                from invsim.app import create_app

                _built.append(create_app())
    return _built[0]


def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """WSGI entry point of the stream process: `gunicorn -k gevent invsim.market.stream:app`."""
    wsgi: Any = _stream_app()
    result: Iterable[bytes] = wsgi(environ, start_response)
    return result
