"""A local Alpha Vantage: answers calls with the recorded real bodies in tests/fixtures/marketdata.

Symbols without a recording of their own get the MSFT (quote) or TSLA (daily) recording with
the symbol swapped in, so priority and budget tests can ask for many symbols. A test can make
every call of a function answer with a notice body (throttle, quota, premium) instead.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "marketdata"

QUOTES = {"MSFT": "alphavantage_global_quote_MSFT.json",
          "TSLA": "alphavantage_global_quote_TSLA.json"}
DAILY = {"TSLA": "alphavantage_daily_TSLA.json", "MSFT": "alphavantage_daily_MSFT_utf8bom.json"}
UNKNOWN_QUOTE = "alphavantage_global_quote_empty_unknown_symbol.json"
PREMIUM = "alphavantage_information_premium.json"
DAILY_LIMIT = "alphavantage_information_daily_limit.json"
THROTTLE_NOTE = "alphavantage_note_ratelimit.json"
UNKNOWN_SERIES = "alphavantage_error_invalid_TIME_SERIES_DAILY.json"


def recorded(name: str) -> bytes:
    """Return a recorded body byte for byte."""
    return (FIXTURES / name).read_bytes()


@dataclass
class FakeAlphaVantage:
    """Serves recorded bodies; `requests` lists every call's query in order."""

    url: str = ""
    requests: list[dict[str, str]] = field(default_factory=list)
    forced: dict[str, str] = field(default_factory=dict)  # function -> fixture file
    unknown: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def force(self, function: str, fixture: str) -> None:
        """Answer every call of `function` ("*" for all) with the recorded `fixture`."""
        self.forced[function] = fixture

    def calls(self, function: str | None = None) -> list[str]:
        """Return the symbols asked for, in order (of one function, or all)."""
        with self.lock:
            return [q.get("symbol", "") for q in self.requests
                    if function is None or q["function"] == function]

    def body_for(self, query: dict[str, str]) -> bytes:
        """Choose the recorded body for a call."""
        function, symbol = query.get("function", ""), query.get("symbol", "")
        forced = self.forced.get(function) or self.forced.get("*")
        if forced:
            return recorded(forced)
        if function == "GLOBAL_QUOTE":
            return self._swapped(QUOTES, "MSFT", symbol, UNKNOWN_QUOTE)
        if function == "TIME_SERIES_DAILY":
            return self._swapped(DAILY, "TSLA", symbol, UNKNOWN_SERIES)
        return recorded(PREMIUM)  # intraday and the rest: premium for a free key

    def _swapped(self, files: dict[str, str], donor: str, symbol: str, unknown: str) -> bytes:
        """Return the symbol's own recording, or the donor's with the symbol swapped in."""
        if symbol in self.unknown:
            return recorded(unknown)
        if symbol in files:
            return recorded(files[symbol])
        return recorded(files[donor]).replace(donor.encode(), symbol.encode())


def _handler(fake: FakeAlphaVantage) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            query = dict(parse_qsl(urlsplit(self.path).query))
            with fake.lock:
                fake.requests.append(query)
            body = fake.body_for(query)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            """Stay quiet."""

    return Handler


@contextmanager
def serve_fake_alphavantage() -> Iterator[FakeAlphaVantage]:
    """Run the fake on 127.0.0.1 (a free port) for the duration of the block."""
    fake = FakeAlphaVantage()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/query"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
