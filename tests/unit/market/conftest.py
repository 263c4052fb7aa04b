"""Market-data test fixtures: a fixed clock, shared simulated markets, a local Alpha Vantage."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from invsim.core.clock import set_clock
from invsim.market.providers.simulated import SimulatedProvider

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "marketdata"

# A Tuesday, NYSE open (14:30-21:00 UTC); the always-open market trades all day.
NOW = datetime(2026, 11, 24, 17, 0, 7, tzinfo=UTC)


@pytest.fixture()
def now() -> Iterator[datetime]:
    """Freeze the clock at NOW for one test."""
    set_clock(lambda: NOW)
    yield NOW
    set_clock(None)


@pytest.fixture()
def clock() -> Iterator[list[datetime]]:
    """Give a test a clock it can move: assign `clock[0]`."""
    moments = [NOW]
    set_clock(lambda: moments[0])
    yield moments
    set_clock(None)


@pytest.fixture(scope="module")
def always_open() -> SimulatedProvider:
    """A simulated market that trades around the clock (shared to reuse its caches)."""
    return SimulatedProvider(seed=7, calendar="always_open")


@pytest.fixture(scope="module")
def nyse() -> SimulatedProvider:
    """A simulated market that follows NYSE sessions, hours and early closes."""
    return SimulatedProvider(seed=7, calendar="nyse")


def fixture_bytes(name: str) -> bytes:
    """Return a recorded response, byte for byte."""
    return (FIXTURES / name).read_bytes()


@dataclass
class Canned:
    """One canned HTTP answer."""

    body: bytes
    status: int = 200
    content_type: str = "application/json"
    delay: float = 0.0


@dataclass
class FakeAlphaVantage:
    """A local HTTP server that answers Alpha Vantage calls with recorded bodies."""

    url: str = ""
    answers: dict[str, list[Canned]] = field(default_factory=dict)
    requests: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, function: str, *bodies: str | Canned) -> None:
        """Answer `function` with these bodies in turn (the last one repeats)."""
        self.answers[function] = [
            b if isinstance(b, Canned) else Canned(fixture_bytes(b), content_type=_type_of(b))
            for b in bodies
        ]

    def next_answer(self, function: str) -> Canned:
        """Pop the next answer for `function`."""
        with self.lock:
            queue = self.answers.get(function)
            if not queue:
                return Canned(b'{"Error Message": "no canned answer"}')
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def reset(self) -> None:
        """Forget answers and recorded requests."""
        self.answers.clear()
        self.requests.clear()


def _type_of(name: str) -> str:
    """Return the content type Alpha Vantage serves a file with."""
    return "application/x-download" if name.endswith(".csv") else "application/json"


class _Handler(BaseHTTPRequestHandler):
    """Serve the canned answer for the request's `function` parameter."""

    fake: FakeAlphaVantage

    def do_GET(self) -> None:
        query = dict(parse_qsl(urlsplit(self.path).query))
        self.fake.requests.append(query)
        canned = self.fake.next_answer(query.get("function", ""))
        if canned.delay:
            time.sleep(canned.delay)
        self.send_response(canned.status)
        self.send_header("Content-Type", canned.content_type)
        self.send_header("Content-Length", str(len(canned.body)))
        self.end_headers()
        try:
            self.wfile.write(canned.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout tests)

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@pytest.fixture(scope="module")
def _server() -> Iterator[FakeAlphaVantage]:
    """Run one local HTTP server on a random port for the module."""
    fake = FakeAlphaVantage()
    handler = type("Handler", (_Handler,), {"fake": fake})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/query"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture()
def alpha(_server: FakeAlphaVantage) -> Iterator[FakeAlphaVantage]:
    """The local Alpha Vantage, with no answers and no recorded requests."""
    _server.reset()
    yield _server
    _server.reset()
