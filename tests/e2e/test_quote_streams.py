"""Each page that streams quotes opens one stream per symbol set and keeps it.

Issue 15 found the dashboard reconnecting 87–143 times a second once the
watchlist held a symbol. This test counts the stream requests the browser makes
on every page that streams (dashboard, instrument, trade) over several seconds,
with a watchlist symbol and a position, and allows one per distinct symbol set.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.flows import buy_at_market, expect_, open_first_portfolio, sign_up

pytestmark = pytest.mark.browser

STREAM_PATH = "/api/v1/market/stream"
WATCH_SECONDS = 5
# Pages that stream, and the heading that says each has loaded.
STREAMING_PAGES = [("/", "Watchlist"), ("/instruments/AAPL", "Price chart"), ("/trade/AAPL", "Order ticket")]


def symbol_set(url: str) -> str:
    """The stream's symbols as one sorted key (`symbols=A&symbols=B` or `symbols=A,B`)."""
    values = parse_qs(urlparse(url).query).get("symbols", [])
    return ",".join(sorted({s for v in values for s in v.split(",") if s}))


def count_streams(page: Any, base_url: str, path: str, heading: str) -> Counter[str]:
    """Open `path` and count the stream requests per symbol set over WATCH_SECONDS."""
    expect = expect_()
    seen: Counter[str] = Counter()

    def on_request(request: Any) -> None:
        if urlparse(request.url).path == STREAM_PATH:
            seen[symbol_set(request.url)] += 1

    page.on("request", on_request)
    try:
        page.goto(f"{base_url}{path}")
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        started = time.monotonic()
        while time.monotonic() - started < WATCH_SECONDS:
            page.wait_for_timeout(250)  # let the page's own timers and renders run
    finally:
        page.remove_listener("request", on_request)
    return seen


def test_every_streaming_page_opens_one_stream_per_symbol_set(
        live_server: str, new_page: Any, console: Any) -> None:
    expect = expect_()
    page = new_page("desktop")
    sign_up(page, live_server, "dora")
    open_first_portfolio(page)
    buy_at_market(page)
    page.goto(f"{live_server}/instruments/MSFT")
    star = page.get_by_role("button", name="Watchlist")
    star.click()
    expect(star).to_have_attribute("aria-pressed", "true")

    for path, heading in STREAMING_PAGES:
        seen = count_streams(page, live_server, path, heading)
        assert seen, f"{path} opened no quote stream"
        too_many = {symbols: n for symbols, n in seen.items() if n > 1}
        assert not too_many, f"{path} reconnected its quote streams in {WATCH_SECONDS} s: {dict(seen)}"
    assert console.errors == []
